package cast

import "strings"

// SplitMulti splits a multi-valued cell into its items.
//
//   - Cells holding ';', '|' or line breaks are split on those ("Armed
//     attacks; Floods", "a|b"). Commas never split: labels contain them.
//   - Otherwise a KoboToolbox select_multiple cell (option names joined by
//     spaces) is split on spaces, but only when it has at least two tokens
//     and every token looks like an option name, [a-z0-9_]+
//     ("climate_floods armed_conflict"). A lower-case phrase of plain words
//     ("armed conflict") is indistinguishable from such a cell and is split
//     too; capitalised labels ("Armed conflict") are kept whole.
//
// Items are trimmed (also of no-break spaces), empty and missing-value items
// ("n/a", "Not available") are dropped, and duplicates are dropped keeping
// the first occurrence. The result is nil when nothing is left.
func SplitMulti(s string) []string {
	s = Trim(s)
	if s == "" {
		return nil
	}
	var parts []string
	if strings.ContainsAny(s, ";|\n\r") {
		parts = strings.FieldsFunc(s, func(r rune) bool {
			return r == ';' || r == '|' || r == '\n' || r == '\r'
		})
	} else if koboTokens(s) {
		parts = strings.Fields(s)
	} else {
		if IsMissing(s) {
			return nil
		}
		return []string{collapseSpaces(s)}
	}
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		p = collapseSpaces(Trim(p))
		if p == "" || IsMissing(p) {
			continue
		}
		dup := false
		for _, have := range out {
			if have == p {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// koboTokens reports >= 2 space-separated tokens of [a-z0-9_].
func koboTokens(s string) bool {
	tokens, inToken := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			inToken = false
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_':
			if !inToken {
				tokens++
				inToken = true
			}
		default:
			return false
		}
	}
	return tokens >= 2
}

// collapseSpaces turns runs of white space into one space (no
// allocation when there are none).
func collapseSpaces(s string) string {
	prevSpace := false
	for _, r := range s {
		sp := isBlank(r)
		if sp && (prevSpace || r != ' ') {
			return strings.Join(strings.FieldsFunc(s, isBlank), " ")
		}
		prevSpace = sp
	}
	return s
}
