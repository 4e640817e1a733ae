package transform

import (
	"fmt"
	"github.com/iom-dtm/dtm/transform/cast"
	"regexp"
	"sort"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

// adminFieldRe matches the admin place fields (not the origin ones).
var adminFieldRe = regexp.MustCompile(`^admin([1-4])_(name|pcode)$`)

// placeGroup is one place of a file: its name and code columns, which share
// a place word ("Province" and "Province Pcode") or a written level.
type placeGroup struct {
	key      string
	cols     []int // indexes in Mapping.Columns
	first    int   // index of the first column
	prior    int   // usual level of the word, or the written level
	fixed    bool  // level written as a number, an HXL tag or an override
	codeLen  int   // median length of the group's p-codes in the sample (0: none)
	codeDigs int   // median number of digits after the letters of those p-codes
	level    int
}

// settleAdminLevels gives each place column its admin level by position, not
// by word: the same word is a different level in different countries
// (Burkina Faso: Région 1, Province 2, Commune 3; elsewhere Province is 1
// and Commune 2 or 4). Place columns are grouped (a name and its code),
// ordered coarsest to finest by their p-codes' lengths when every group has
// codes in the sample, else by column order, and each group takes the
// larger of its word's usual level and one below the previous group. Levels
// written as numbers (Admin 2, adm2), HXL tags and overrides are kept.
// sample may be nil (header only). A change is noted on the columns.
func (m *Mapping) settleAdminLevels(sample []ingest.Row) {
	var groups []*placeGroup
	byKey := map[string]*placeGroup{}
	for i := range m.Columns {
		col := &m.Columns[i]
		sm := adminFieldRe.FindStringSubmatch(col.want)
		if sm == nil {
			continue
		}
		lvl := int(sm[1][0] - '0')
		fixed := col.wantRule == RuleHXL || col.wantRule == RuleOverride
		hm := readHeader(col.Header)
		key := hm.PlaceKey
		prior := hm.Level
		if hm.Place != "admin" || key == "" || fixed {
			key, prior = fmt.Sprintf("admin%d", lvl), lvl
			fixed = true
		}
		if hm.Explicit {
			fixed = true
		}
		g := byKey[key]
		if g == nil {
			g = &placeGroup{key: key, first: i, prior: prior, fixed: fixed}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.fixed = g.fixed || fixed
		g.cols = append(g.cols, i)
	}
	if len(groups) == 0 {
		return
	}
	allCodes := len(sample) > 0
	for _, g := range groups {
		g.codeLen, g.codeDigs = m.groupCodeLength(g, sample)
		if g.codeLen == 0 {
			allCodes = false
		}
	}
	order := append([]*placeGroup(nil), groups...)
	if allCodes && len(order) > 1 {
		sort.SliceStable(order, func(a, b int) bool { return order[a].codeLen < order[b].codeLen })
	}
	prev := 0
	for n, g := range order {
		switch {
		case g.fixed:
			g.level = g.prior
		default:
			g.level = g.prior
			if g.level <= prev {
				g.level = prev + 1
			}
			// The coarsest place of a file with short codes (HT01, NG001)
			// is admin 1 whatever its word (Haiti's Département).
			if n == 0 && g.codeDigs > 0 && g.codeDigs <= 3 {
				g.level = 1
			}
		}
		prev = g.level
	}
	var why []string
	for _, g := range order {
		why = append(why, fmt.Sprintf("%s=%d", g.key, g.level))
	}
	for _, g := range groups {
		for _, ci := range g.cols {
			col := &m.Columns[ci]
			sm := adminFieldRe.FindStringSubmatch(col.want)
			if g.level > 4 {
				col.want, col.wantRule = "", RuleUnmapped
				col.wantNote = fmt.Sprintf("place column finer than admin 4 by position (%s): not read", strings.Join(why, ", "))
				continue
			}
			want := fmt.Sprintf("admin%d_%s", g.level, sm[2])
			if want != col.want {
				col.wantNote = joinNote(col.wantNote, fmt.Sprintf("admin level by position, coarsest to finest (%s): %s rather than %s", strings.Join(why, ", "), want, col.want))
				col.want = want
			}
		}
	}
}

// groupCodeLength returns the median length and digit count of the
// p-codes of a group's code column in the sample (0, 0 without codes).
func (m *Mapping) groupCodeLength(g *placeGroup, sample []ingest.Row) (length, digits int) {
	for _, ci := range g.cols {
		col := m.Columns[ci]
		if !strings.HasSuffix(col.want, "_pcode") {
			continue
		}
		var ls, ds []int
		for _, r := range sample {
			v := strings.TrimSpace(cell(r.Cells, col.Index))
			if v == "" || cast.IsMissing(v) || !pcodeLike.MatchString(v) {
				continue
			}
			ls = append(ls, len(v))
			ds = append(ds, len(v)-len(pcodeLetters(v)))
		}
		if len(ls) == 0 {
			continue
		}
		sort.Ints(ls)
		sort.Ints(ds)
		return ls[len(ls)/2], ds[len(ds)/2]
	}
	return 0, 0
}

// pcodeLetters returns the leading letters of a p-code ("BI0404" -> "BI").
func pcodeLetters(v string) string {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return v[:i]
		}
	}
	return v
}

func joinNote(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
