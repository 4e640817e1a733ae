package transform

import (
	"fmt"
	"github.com/iom-dtm/dtm/transform/cast"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"golang.org/x/text/language"
)

// Inferred is what a mapping reads from outside the columns: the country
// and round from the file or sheet name or from the p-codes, and the
// population a file's bare counts count. Each value says where it came from.
type Inferred struct {
	Country       string `json:"country,omitempty"`
	CountrySource string `json:"country_source,omitempty"`
	Round         int64  `json:"round,omitempty"`
	RoundLabel    string `json:"round_label,omitempty"`
	RoundSource   string `json:"round_source,omitempty"`
	// Population is what bare counts count when no column says it per row:
	// "idp" (the default), "returnee" or "host".
	Population       string `json:"population,omitempty"`
	PopulationSource string `json:"population_source,omitempty"`
}

// roundInName matches a round in a file or sheet name: "round_22",
// "Round 22", "R22", "rnd5", "ronda-3" (not inside a word).
var roundInName = regexp.MustCompile(`(?i)(?:^|[^a-z0-9])(round|rnd|ronda|r)[ _\-.]?(\d{1,3})(?:[^0-9]|$)`)

// RoundFromName returns the round number written in a file or sheet name
// ("dtm_bdi_round_22.xlsx" -> 22, "R38 sites" -> 38) and the label as
// written ("round_22").
func RoundFromName(name string) (int64, string, bool) {
	sm := roundInName.FindStringSubmatch(name)
	if sm == nil {
		return 0, "", false
	}
	n, err := strconv.ParseInt(sm[2], 10, 64)
	if err != nil {
		return 0, "", false
	}
	label := strings.Trim(sm[0], " _-.()")
	return n, label, true
}

// CountryFromName returns the ISO3 country a file or sheet name names:
// a country name of one to four words ("…_burundi_baseline…", "south
// sudan"), or a word that is an alpha-3 code ("ssd_round37"), read with
// package geo (CLDR names in English, French and Spanish). Two-letter words
// and common words that are also codes ("per", "fin") are ignored.
func CountryFromName(name string) (iso3, word string, ok bool) {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	words := strings.Split(NormalizeLabel(base), "_")
	for n := 4; n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			w := strings.Join(words[i:i+n], " ")
			if n == 1 && (len(w) < 3 || isNumber(w) || nameWordNotCountry[w]) {
				continue
			}
			if iso, ok := countries().Lookup(w); ok && iso != pcodeUnknownCountry {
				return iso, w, true
			}
		}
	}
	return "", "", false
}

// nameWordNotCountry are three-letter words of file names that are also
// alpha-3 codes but seldom mean the country there.
var nameWordNotCountry = map[string]bool{"per": true, "col": true, "mar": true, "can": true, "dom": true,
	"and": true, "pol": true, "gin": true, "est": true, "fin": true, "nor": true, "aut": true, "ton": true,
	"arm": true, "ind": true, "sur": true, "man": true, "new": true, "all": true}

// CountryFromPcode returns the ISO3 code of the country a p-code starts
// with: its leading letters are an ISO 3166 alpha-2 or alpha-3 code
// ("BI04" -> BDI, "MLI0103" -> MLI), read with x/text's region data.
func CountryFromPcode(code string) (string, bool) {
	code = strings.TrimSpace(code)
	letters := pcodeLetters(code)
	if len(letters) < 2 || len(letters) > 3 || len(letters) == len(code) {
		return "", false
	}
	r, err := language.ParseRegion(strings.ToUpper(letters))
	if err != nil || !r.IsCountry() {
		return "", false
	}
	iso3 := r.ISO3()
	if iso3 == "" || iso3 == "ZZZ" {
		return "", false
	}
	// ParseRegion canonicalises deprecated codes; a prefix must name the
	// country itself.
	if len(letters) == 3 && !strings.EqualFold(iso3, letters) {
		return "", false
	}
	if len(letters) == 2 && !strings.EqualFold(r.String(), letters) {
		return "", false
	}
	return iso3, true
}

// inferFromNames reads the country, round and population of the file from
// its file and sheet names (used only where no column and no run option
// gives them).
func (m *Mapping) inferFromNames() {
	for _, src := range []struct{ name, what string }{{m.sheet, "sheet name"}, {m.file, "file name"}} {
		if src.name == "" {
			continue
		}
		base := filepath.Base(src.name)
		if m.Inferred.Country == "" {
			if iso, w, ok := CountryFromName(base); ok {
				m.Inferred.Country = iso
				m.Inferred.CountrySource = fmt.Sprintf("%s %q (%q)", src.what, base, w)
			}
		}
		if m.Inferred.RoundSource == "" {
			if n, label, ok := RoundFromName(base); ok {
				m.Inferred.Round, m.Inferred.RoundLabel = n, label
				m.Inferred.RoundSource = fmt.Sprintf("%s %q", src.what, base)
			}
		}
		if m.Inferred.Population == "" {
			hm := meaningOf(strings.Split(NormalizeLabel(strings.TrimSuffix(base, filepath.Ext(base))), "_"))
			if hm.Pop == "returnee" || hm.Pop == "host" {
				m.Inferred.Population = hm.Pop
				m.Inferred.PopulationSource = fmt.Sprintf("%s %q", src.what, base)
			}
		}
	}
	if m.Inferred.Population == "" {
		m.Inferred.Population = "idp"
	}
	if m.Inferred.Population != "idp" {
		m.routeBareColumns(m.Inferred.Population, m.Inferred.PopulationSource)
	}
}

// inferCountryFromSample reads the country from the p-codes of the sample
// rows when the names gave none: the country of every p-code prefix, if
// they agree.
func (m *Mapping) inferCountryFromSample(sample []ingest.Row) {
	votes := map[string]int{}
	example := map[string]string{}
	for i := range m.Columns {
		col := m.Columns[i]
		if !strings.HasSuffix(col.Field, "_pcode") || strings.HasPrefix(col.Field, "origin") {
			continue
		}
		for _, r := range sample {
			v := strings.TrimSpace(cell(r.Cells, col.Index))
			if iso, ok := CountryFromPcode(v); ok {
				votes[iso]++
				if example[iso] == "" {
					example[iso] = v
				}
			}
		}
	}
	if len(votes) == 0 {
		m.inferCountryFromTypedCodes(sample)
		return
	}
	best, total := "", 0
	for iso, n := range votes {
		total += n
		if best == "" || n > votes[best] || n == votes[best] && iso < best {
			best = iso
		}
	}
	if best == "" || votes[best]*10 < total*9 {
		return
	}
	m.Inferred.Country = best
	m.Inferred.CountrySource = fmt.Sprintf("p-codes (%s -> %s, ISO 3166 prefix)", example[best], best)
}

// rowCountry returns the country of a row from its own p-codes (a file may
// span countries), else the file's inferred country.
func (c *Converter) rowCountry() (string, bool) {
	for _, f := range [...]string{"admin1_pcode", "admin2_pcode", "admin3_pcode", "admin4_pcode"} {
		v := c.get(f)
		if v == nil || !v.set {
			continue
		}
		if iso, ok := c.m.routing.countryOf(v.s); ok {
			return iso, true
		}
	}
	if c.m.Inferred.Country != "" {
		return c.m.Inferred.Country, true
	}
	return "", false
}

// applyInferredRound fills round and round_label from the file or sheet
// name when no column gives the round.
func (c *Converter) applyInferredRound() {
	if c.m.Inferred.RoundSource == "" {
		return
	}
	if v := c.get("round"); v != nil {
		*v = intValue(c.m.Inferred.Round)
	}
	if l := c.get("round_label"); l != nil {
		*l = strValue(c.m.Inferred.RoundLabel)
	}
}

// applyAdminLevel sets admin_level, when no column gives it, to the finest
// admin level of the row (0 for a national figure with no admin column).
func (c *Converter) applyAdminLevel() {
	v := c.get("admin_level")
	if v == nil || v.set {
		return
	}
	if _, mapped := c.m.ColumnFor("admin_level"); mapped {
		return
	}
	lvl := int64(0)
	for i, f := range [...]string{"admin1", "admin2", "admin3", "admin4"} {
		for _, s := range [...]string{"_pcode", "_name"} {
			if x := c.get(f + s); x != nil && x.set {
				lvl = int64(i + 1)
			}
		}
	}
	*v = intValue(lvl)
}

// inferCountryFromTypedCodes is the weaker reading of p-codes, used when
// no p-code starts with a country code: some CODs put a letter for the
// admin level after the alpha-2 code (Iraq: governorates "IQG15",
// districts "IQD001"). The country is taken when every such code of the
// sample agrees and the codes of at least two place columns carry it, so
// that a column of pseudo-codes ("IDP01", "CMP12") is not read as a
// country.
func (m *Mapping) inferCountryFromTypedCodes(sample []ingest.Row) {
	iso, example := "", ""
	cols := 0
	for i := range m.Columns {
		col := m.Columns[i]
		if !strings.HasSuffix(col.Field, "_pcode") || strings.HasPrefix(col.Field, "origin") {
			continue
		}
		seen := false
		for _, r := range sample {
			v := strings.TrimSpace(cell(r.Cells, col.Index))
			if v == "" {
				continue
			}
			got, ok := countryOfTypedPcode(v)
			if !ok || iso != "" && got != iso {
				return
			}
			iso, seen = got, true
			if example == "" {
				example = v
			}
		}
		if seen {
			cols++
		}
	}
	if iso == "" || cols < 2 {
		return
	}
	m.Inferred.Country = iso
	m.Inferred.CountrySource = fmt.Sprintf("p-codes (%s -> %s, ISO 3166 alpha-2 prefix and a level letter)", example, iso)
}

// countryOfTypedPcode reads a p-code of three leading letters that are not
// an alpha-3 code, but whose first two are an alpha-2 code, followed by
// digits ("IQG15" -> IRQ).
func countryOfTypedPcode(code string) (string, bool) {
	letters := pcodeLetters(code)
	if len(letters) != 3 || len(letters) == len(code) {
		return "", false
	}
	if _, ok := CountryFromPcode(code); ok {
		return "", false
	}
	if _, isNum := cast.Digits(code[3:4]); !isNum {
		return "", false
	}
	return CountryFromPcode(letters[:2] + code[3:])
}
