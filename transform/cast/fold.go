package cast

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and strips its accents (NFD, drop combining
// marks, NFC), spelling out the ligatures œ, æ and ß.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	s = strings.ToLower(s)
	// A transformer holds state, so each call builds its own.
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if out, _, err := transform.String(t, s); err == nil {
		s = out
	}
	if strings.ContainsAny(s, "œæß") {
		s = strings.NewReplacer("œ", "oe", "æ", "ae", "ß", "ss").Replace(s)
	}
	return s
}
