package transform

import (
	"sort"
	"strings"
	"unicode"
)

// HXLTag is a parsed HXL hashtag with its attributes (lowercase, sorted,
// without the '+').
type HXLTag struct {
	Hashtag    string   // "#adm1"
	Attributes []string // ["code"]
}

// String renders the tag canonically ("#adm1+code").
func (t HXLTag) String() string {
	if t.Hashtag == "" {
		return ""
	}
	return t.Hashtag + joinAttrs(t.Attributes)
}

func joinAttrs(attrs []string) string {
	var b strings.Builder
	for _, a := range attrs {
		b.WriteByte('+')
		b.WriteString(a)
	}
	return b.String()
}

// ParseHXL parses a tag cell as found in real files: tabs and spaces inside
// the tag, a missing '#', case variants, attributes in any order, empty
// attributes. It returns ok=false for cells that are not tags (empty,
// "#REF!", text with spaces between words).
func ParseHXL(cell string) (HXLTag, bool) {
	s := strings.TrimSpace(cell)
	if s == "" {
		return HXLTag{}, false
	}
	// Remove whitespace inside the tag ("#adm1 +name", "#adm1\t+code").
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	s = strings.ToLower(s)
	if !strings.HasPrefix(s, "#") {
		s = "#" + s
	}
	parts := strings.Split(s, "+")
	hashtag := parts[0]
	if len(hashtag) < 2 || !isHXLName(hashtag[1:]) {
		return HXLTag{}, false
	}
	var attrs []string
	seen := map[string]bool{}
	for _, a := range parts[1:] {
		if a == "" || seen[a] {
			continue
		}
		if !isHXLName(a) {
			return HXLTag{}, false
		}
		seen[a] = true
		attrs = append(attrs, a)
	}
	sort.Strings(attrs)
	return HXLTag{Hashtag: hashtag, Attributes: attrs}, true
}

func isHXLName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r == '_':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// hxlQualifiers are attributes that change what a column means; an extra
// one in a cell tag prevents a match with a field tag that lacks it.
var hxlQualifiers = map[string]bool{
	"origin": true, "dest": true, "destination": true, "m": true, "f": true,
	"hh": true, "ind": true, "code": true, "name": true, "returnees": true,
	"ret": true, "idps": true, "host": true, "abroad": true, "internal": true,
	"children": true, "adults": true, "elderly": true, "infants": true,
	"lat": true, "lon": true, "type": true, "label": true, "num": true,
}

// hxlMatch scores how well a cell tag matches a field's tag: -1 for no match;
// otherwise the number of the field tag's attributes (all of which must be
// present in the cell tag), plus a bonus for an exact match. Extra
// attributes in the cell tag are tolerated (non-standard attributes seen in
// real files).
func hxlMatch(cell, field HXLTag) int {
	if cell.Hashtag != field.Hashtag {
		return -1
	}
	have := map[string]bool{}
	for _, a := range cell.Attributes {
		have[a] = true
	}
	want := map[string]bool{}
	for _, a := range field.Attributes {
		if !have[a] {
			return -1
		}
		want[a] = true
	}
	for _, a := range cell.Attributes {
		if !want[a] && hxlQualifiers[a] {
			return -1 // e.g. "+origin" or "+m" changes the meaning
		}
	}
	score := len(field.Attributes) * 2
	if len(field.Attributes) == len(cell.Attributes) {
		score++
	}
	return score
}

// ParseHXLLenient parses a tag cell as ParseHXL does, but keeps the valid
// part of a tag with invalid attributes (DTM files carry
// "#affected+idps+ind+year+2024": an attribute may not start with a
// digit): the invalid attributes are returned in dropped.
func ParseHXLLenient(cell string) (tag HXLTag, dropped []string, ok bool) {
	if t, ok := ParseHXL(cell); ok {
		return t, nil, true
	}
	s := strings.TrimSpace(cell)
	if s == "" || strings.Count(s, "+") == 0 {
		return HXLTag{}, nil, false
	}
	parts := strings.Split(s, "+")
	keep := []string{parts[0]}
	for _, a := range parts[1:] {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if isHXLName(strings.ToLower(a)) {
			keep = append(keep, a)
		} else {
			dropped = append(dropped, a)
		}
	}
	if len(dropped) == 0 {
		return HXLTag{}, nil, false
	}
	t, ok := ParseHXL(strings.Join(keep, "+"))
	if !ok {
		return HXLTag{}, nil, false
	}
	return t, dropped, true
}

// hxlLegacy maps pre-1.0 HXL hashtags (2014 beta: one word with a suffix,
// no attributes) to the 1.x tag of the same meaning. Read-only.
var hxlLegacy = map[string]string{
	"#adm1": "#adm1+name", "#adm2": "#adm2+name", "#adm3": "#adm3+name", "#adm4": "#adm4+name",
	"#adm1_id": "#adm1+code", "#adm2_id": "#adm2+code", "#adm3_id": "#adm3+code", "#adm4_id": "#adm4+code",
	"#adm1_code": "#adm1+code", "#adm2_code": "#adm2+code", "#adm3_code": "#adm3+code", "#adm4_code": "#adm4+code",
	"#adm1code": "#adm1+code", "#adm2code": "#adm2+code", "#adm3code": "#adm3+code", "#adm4code": "#adm4+code",
	"#loc": "#loc+name", "#loc_id": "#loc+code", "#loc_code": "#loc+code", "#loctype": "#loc+type",
	"#country": "#country+name", "#country_id": "#country+code", "#country_code": "#country+code",
	"#report_date": "#date+reported", "#survey_date": "#date+occurred", "#assessment_date": "#date+occurred",
	"#lat_deg": "#geo+lat", "#lon_deg": "#geo+lon",
	"#displaced_num": "#affected+idps+ind", "#idps_num": "#affected+idps+ind",
	"#returnees_num": "#affected+returnees+ind",
}

// hxlLegacyBare are pre-1.0 count tags that name no population: like a bare
// "Individuals" header they count the population the row or file says.
var hxlLegacyBare = map[string]string{
	"#people_num": "ind", "#affected_num": "ind", "#population_num": "ind", "#households_num": "hh",
}

// modernHXL returns the 1.x form of a pre-1.0 tag (and true), or the tag
// unchanged (and false).
func modernHXL(t HXLTag) (HXLTag, bool) {
	if len(t.Attributes) > 0 {
		return t, false
	}
	if m, ok := hxlLegacy[t.Hashtag]; ok {
		if nt, ok := ParseHXL(m); ok {
			return nt, true
		}
	}
	return t, false
}

// isHXLHeaderCell reports a header cell that is itself an HXL tag (files
// whose only header row is the tag row): one word starting with '#'.
func isHXLHeaderCell(h string) bool {
	h = strings.TrimSpace(h)
	return len(h) > 1 && h[0] == '#' && !strings.ContainsAny(h, " \t") && isHXLName(strings.ToLower(strings.SplitN(h[1:], "+", 2)[0]))
}
