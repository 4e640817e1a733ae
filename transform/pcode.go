package transform

import (
	"github.com/iom-dtm/dtm/transform/cast"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/iom-dtm/dtm/transform/geo"
)

// PcodeIsPseudo reports a placeholder written where a p-code was unknown:
// DTM's temporary codes ("Temp03", "TEMP-1", "tmp_4", "DTM12"), other
// placeholders ("PSEUDO5", "XXX", "UNKNOWN", "000", "OOO") and missing-value
// tokens ("NA", "n/a", "-", empty). Such codes are kept as published and
// flagged, never checked for shape or hierarchy.
func PcodeIsPseudo(code string) bool {
	if ok, done := pcodeIsPseudoASCII(code); done {
		return ok
	}
	c := strings.ToUpper(cast.Trim(code))
	if cast.IsMissing(c) {
		return true
	}
	// Drop separators: "TEMP-1", "tmp_4", "DTM 12".
	var b strings.Builder
	for _, r := range c {
		switch r {
		case '-', '_', ' ', '.', '/', '#':
		default:
			b.WriteRune(r)
		}
	}
	return pcodePseudoCompact(b.String())
}

// pcodePseudoPrefixes are the words that open a placeholder code.
var pcodePseudoPrefixes = [...]string{"TEMPORARY", "TEMP", "TMP", "DTM", "PSEUDO", "FAKE", "DUMMY",
	"NOPCODE", "NOCODE", "UNKNOWN", "TBD", "XXX", "XX", "OOO"}

// pcodePseudoCompact is the end of PcodeIsPseudo on an upper-cased code
// without separators.
func pcodePseudoCompact(c string) bool {
	for _, p := range pcodePseudoPrefixes {
		if rest, ok := strings.CutPrefix(c, p); ok && pcodeAllDigits(rest) {
			return true
		}
	}
	return c != "" && strings.Trim(c, "0") == ""
}

// pcodeIsPseudoASCII is PcodeIsPseudo for ASCII codes of up to 32 bytes,
// without allocating; done is false for other codes.
func pcodeIsPseudoASCII(code string) (pseudo, done bool) {
	var arr [32]byte
	if len(code) > len(arr) {
		return false, false
	}
	for i := 0; i < len(code); i++ {
		if code[i] >= utf8.RuneSelf {
			return false, false
		}
	}
	if cast.IsMissing(code) { // case-insensitive, trims
		return true, true
	}
	// cast.Trim on ASCII trims exactly the ASCII white space.
	code = strings.Trim(code, " \t\n\v\f\r")
	buf := arr[:0]
	for i := 0; i < len(code); i++ {
		ch := code[i]
		switch {
		case ch == '-', ch == '_', ch == ' ', ch == '.', ch == '/', ch == '#':
			continue
		case ch >= 'a' && ch <= 'z':
			ch -= 'a' - 'A'
		}
		buf = append(buf, ch)
	}
	return pcodePseudoCompact(string(buf)), true
}

// PcodeShapeOK reports whether code looks like a COD p-code of the country
// at the admin level: the country's ISO2 or ISO3 letters (TD0704 for TCD,
// NG002003 for NGA, UA0102 for UKR, IQG01 for IRQ), then letters and digits
// with at least one digit and at least level characters. Level 0 is the
// country code itself; a negative level skips the level check. Case and
// surrounding spaces are ignored. When iso3 is empty or not in the table,
// any ^[A-Z]{2,3}[0-9A-Z]+$ is accepted (^[A-Z]{2,3}$ at level 0).
func PcodeShapeOK(code, iso3 string, level int) bool {
	c := strings.ToUpper(cast.Trim(code))
	if !pcodeGenericShape(c, level == 0) {
		return false
	}
	country, known := countries().ByISO3(cast.Trim(iso3))
	if !known {
		return true
	}
	for _, prefix := range []string{country.ISO3, country.ISO2} {
		rest, ok := strings.CutPrefix(c, prefix)
		if !ok {
			continue
		}
		if level == 0 {
			if rest == "" {
				return true
			}
			continue
		}
		if rest == "" || !pcodeHasDigit(rest) || (level > 0 && len(rest) < level) {
			continue
		}
		return true
	}
	return false
}

// PcodeUnder reports whether child lies under parent by the p-code prefix
// rule (TD0704 is under TD07): child is longer and starts with parent.
// Case and surrounding spaces are ignored; an empty code is under nothing.
func PcodeUnder(child, parent string) bool {
	c := strings.ToUpper(cast.Trim(child))
	p := strings.ToUpper(cast.Trim(parent))
	return p != "" && len(c) > len(p) && strings.HasPrefix(c, p)
}

// ISO3FromCountry returns the ISO 3166-1 alpha-3 code of a country written
// as an ISO3 code ("tcd"), an ISO2 code ("TD") or a name in English, French
// or Spanish ("Chad", "Tchad", "Sudán del Sur", "Côte d'Ivoire"), case,
// accents and punctuation ignored: every country of ISO 3166-1 (CLDR data
// of golang.org/x/text, see package geo) plus DTM's aliases ("RDC", "KSA").
// Unknown-country labels ("OOO", "unknown", "inconnu", "NS/NR") give "OOO".
// Missing-value tokens give ok=false; "NA" is therefore missing, not
// Namibia.
func ISO3FromCountry(s string) (string, bool) {
	s = cast.Trim(s)
	if cast.IsMissing(s) {
		return "", false
	}
	return countries().Lookup(s)
}

// pcodeUnknownCountry is the flow-monitoring code of an unknown country.
const pcodeUnknownCountry = geo.Unknown

// countries is the ISO 3166-1 index (x/text's CLDR data and DTM's
// aliases), built on first use and read-only after.
var countries = sync.OnceValue(geo.New)

// pcodeGenericShape checks ^[A-Z]{2,3}[0-9A-Z]+$ (or ^[A-Z]{2,3}$ when
// bare is allowed) on upper-cased text.
func pcodeGenericShape(c string, bare bool) bool {
	letters := 0
	for letters < len(c) && c[letters] >= 'A' && c[letters] <= 'Z' {
		letters++
	}
	if letters < 2 {
		return false
	}
	if len(c) <= 3 && letters == len(c) {
		return bare
	}
	for i := 2; i < len(c); i++ {
		if !(c[i] >= 'A' && c[i] <= 'Z' || c[i] >= '0' && c[i] <= '9') {
			return false
		}
	}
	return true
}

func pcodeHasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

func pcodeAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
