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
