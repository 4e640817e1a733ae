package schemas

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ErrUnknownCountry is returned by ResolveCountry for a value that is
// neither an ISO 3166 code nor a country name it knows.
var ErrUnknownCountry = errors.New("unknown country")

// ResolveCountry turns what a user gives for a country (an ISO 3166-1
// alpha-3 code in any case, an alpha-2 code, or an English or French name
// such as "South Sudan", "Tchad", "Democratic Republic of the Congo") into
// the alpha-3 code stored in country_iso3. "" stays "".
//
// Codes and names come from golang.org/x/text/language (CLDR region data),
// plus the names DTM operations use where CLDR's differ (aliases below).
// The alpha-3 ranges ISO 3166-1 leaves to users (AAA-AAZ, QMA-QZZ,
// XAA-XZZ, ZZA-ZZZ) are accepted as given: XKX is Kosovo in UN and IOM
// data, and invented test data uses AAA.
func ResolveCountry(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	up := strings.ToUpper(s)
	if len(up) == 3 && isASCIIUpper(up) {
		if userAssigned(up) {
			return up, nil
		}
		if r, err := language.ParseRegion(up); err == nil && r.IsCountry() && r.ISO3() == up {
			return up, nil
		}
	}
	if len(up) == 2 && isASCIIUpper(up) {
		if r, err := language.ParseRegion(up); err == nil && r.IsCountry() && r.ISO3() != "ZZZ" {
			return r.ISO3(), nil
		}
	}
	if code, ok := countryNames()[countryKey(s)]; ok {
		return code, nil
	}
	return "", fmt.Errorf("%w %q: give an ISO 3166-1 alpha-3 code (SSD, TCD, COD, ...) or a country name (South Sudan, Tchad)", ErrUnknownCountry, s)
}

func isASCIIUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// userAssigned reports the alpha-3 codes ISO 3166-1 reserves for users.
func userAssigned(c string) bool {
	return strings.HasPrefix(c, "AA") || strings.HasPrefix(c, "X") || strings.HasPrefix(c, "ZZ") ||
		(c[0] == 'Q' && c[1] >= 'M')
}

// countryAliases are names used by DTM operations (and their usual short
// forms) that CLDR spells differently.
var countryAliases = map[string]string{
	"Democratic Republic of the Congo": "COD", "DR Congo": "COD", "DRC": "COD", "Congo, The Democratic Republic of the": "COD",
	"Republic of the Congo": "COG", "Congo": "COG", "CAR": "CAF", "Ivory Coast": "CIV", "Turkey": "TUR", "Türkiye": "TUR",
	"Syrian Arab Republic": "SYR", "Myanmar": "MMR", "Burma": "MMR", "Palestine": "PSE", "State of Palestine": "PSE",
	"Kosovo": "XKX", "Iran (Islamic Republic of)": "IRN", "Lao People's Democratic Republic": "LAO", "Viet Nam": "VNM",
	"Bolivia (Plurinational State of)": "BOL", "Venezuela (Bolivarian Republic of)": "VEN", "United Republic of Tanzania": "TZA",
	"Republic of Moldova": "MDA", "Libyan Arab Jamahiriya": "LBY", "Cabo Verde": "CPV", "Eswatini": "SWZ", "Swaziland": "SWZ",
}

// countryNames maps normalised English and French names to alpha-3 codes;
// built once, read-only afterwards.
var countryNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	en, fr := display.English.Regions(), display.French.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() || r.ISO3() == "ZZZ" {
				continue
			}
			for _, n := range []string{en.Name(r), fr.Name(r)} {
				if n != "" {
					m[countryKey(n)] = r.ISO3()
				}
			}
		}
	}
	for n, c := range countryAliases {
		m[countryKey(n)] = c
	}
	return m
})

// countryKey normalises a country name: lower case, accents and
// punctuation removed, spaces collapsed ("Côte d’Ivoire" -> "cote d ivoire").
func countryKey(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(out) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}
