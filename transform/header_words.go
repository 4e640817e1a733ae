package transform

import (
	"strings"
	"unicode"
)

// headerWords splits a header label into lower-case, accent-free words, the
// way a reader of DTM files would: camelCase and letter/digit runs are split
// ("admin1Name" -> admin 1 name, "numPresentIdpInd" -> num present idp
// ind), punctuation ('#' used for '.' by some exports, '_', '-', '/') splits
// words, and the pairs "p code" and "sous/sub prefecture" are joined back
// ("P-code" -> pcode). Returns nil for an empty label.
func headerWords(label string) []string {
	s := strings.ReplaceAll(CleanHeader(label), "%", " percent ")
	var b strings.Builder
	var prev rune
	for i, r := range s {
		if i > 0 {
			switch {
			case unicode.IsLower(prev) && unicode.IsUpper(r):
				b.WriteByte(' ')
			case unicode.IsLetter(prev) && unicode.IsDigit(r), unicode.IsDigit(prev) && unicode.IsLetter(r):
				b.WriteByte(' ')
			}
		}
		b.WriteRune(r)
		prev = r
	}
	k := NormalizeLabel(b.String())
	if k == "" {
		return nil
	}
	raw := strings.Split(k, "_")
	out := make([]string, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		w := raw[i]
		if i+1 < len(raw) {
			next := raw[i+1]
			switch {
			case w == "p" && (next == "code" || next == "codes" || next == "cod"):
				out = append(out, "pcode")
				i++
				continue
			case (w == "sous" || w == "sub") && next != "":
				out = append(out, "sub"+next)
				i++
				continue
			}
		}
		if w == "loctype" { // pre-1.0 HXL #loctype
			out = append(out, "loc", "type")
			continue
		}
		out = append(out, w)
	}
	return out
}

// headerSplitParts splits a label joined from a two-row header ("Family
// size / Total individuals") into its parts, last (the sub-label) first;
// nil when the label has no such join.
func headerSplitParts(label string) []string {
	if !strings.Contains(label, " / ") {
		return nil
	}
	parts := strings.Split(label, " / ")
	out := make([]string, 0, len(parts))
	for i := len(parts) - 1; i >= 0; i-- {
		if p := strings.TrimSpace(parts[i]); p != "" {
			out = append(out, p)
		}
	}
	return out
}
