package geo

import (
	"strings"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/unicode/norm"
)

// Unknown is the flow-monitoring code of an unknown country (DTM FMR/FMS
// forms): not an ISO 3166 code, but a value that Lookup returns for
// "unknown", "inconnu", "NS/NR"...
const Unknown = "OOO"

// Country is one ISO 3166-1 country.
type Country struct {
	ISO3 string // alpha-3, e.g. "TCD"
	ISO2 string // alpha-2, e.g. "TD"
}

// Countries looks countries up by code or name. Build it with New.
type Countries struct {
	byISO3 map[string]Country
	byISO2 map[string]string // alpha-2 -> alpha-3
	byName map[string]string // normalised name -> alpha-3
}

// reserved are the ISO 3166 "exceptionally reserved" codes that CLDR lists
// as regions but that are not countries of their own in humanitarian data
// (Ascension, Clipperton, Diego Garcia, Ceuta and Melilla, Canary Islands,
// Tristan da Cunha).
var reserved = map[string]bool{"AC": true, "CP": true, "DG": true, "EA": true, "IC": true, "TA": true}

// iso3Override replaces CLDR's alpha-3 where humanitarian data uses
// another: Kosovo is XKX in OCHA's COD and HDX (CLDR: XKK).
var iso3Override = map[string]string{"XK": "XKX"}

// New builds the index from x/text's region data: every current two-letter
// region that CLDR calls a country (deprecated codes such as ZR or YU,
// reserved ones and regions without an English name are left out), its
// names in English, French and Spanish, then DTM's aliases (which win over
// CLDR names).
func New() *Countries {
	c := &Countries{byISO3: map[string]Country{}, byISO2: map[string]string{}, byName: map[string]string{}}
	langs := []display.Namer{display.English.Regions(), display.French.Regions(), display.Spanish.Regions()}
	ambiguous := map[string]bool{}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.String() != code || r.Canonicalize() != r || reserved[code] {
				continue
			}
			iso3 := r.ISO3()
			if o, ok := iso3Override[code]; ok {
				iso3 = o
			}
			if len(iso3) != 3 || iso3 == "ZZZ" || langs[0].Name(r) == "" { // ZZZ: CLDR gives UN no alpha-3
				continue
			}
			c.byISO3[iso3] = Country{ISO3: iso3, ISO2: code}
			c.byISO2[code] = iso3
			for _, n := range langs {
				k := Normalize(n.Name(r))
				if k == "" || ambiguous[k] {
					continue
				}
				if other, taken := c.byName[k]; taken && other != iso3 {
					delete(c.byName, k)
					ambiguous[k] = true
					continue
				}
				c.byName[k] = iso3
			}
		}
	}
	for _, al := range aliases {
		for _, n := range strings.Split(al.names, "|") {
			c.byName[Normalize(n)] = al.iso3
		}
	}
	return c
}

// Len is the number of countries known by code.
func (c *Countries) Len() int { return len(c.byISO3) }

// ByISO3 returns the country of an alpha-3 code (any case).
func (c *Countries) ByISO3(iso3 string) (Country, bool) {
	k, ok := c.byISO3[strings.ToUpper(strings.TrimSpace(iso3))]
	return k, ok
}

// Lookup returns the alpha-3 code of a country written as an alpha-3 code
// ("tcd"), an alpha-2 code ("TD"), a CLDR name in English, French or
// Spanish ("Chad", "Tchad", "Sudán del Sur") or a DTM alias ("RDC"); case,
// accents, punctuation and spaces ignored. Unknown-country labels give
// Unknown ("OOO"). Missing-value tokens are the caller's business: "NA"
// here is Namibia.
func (c *Countries) Lookup(s string) (string, bool) {
	s = strings.TrimSpace(s)
	up := strings.ToUpper(s)
	if len(up) == 3 {
		if k, ok := c.byISO3[up]; ok {
			return k.ISO3, true
		}
	}
	if len(up) == 2 {
		if iso3, ok := c.byISO2[up]; ok {
			return iso3, true
		}
	}
	iso3, ok := c.byName[Normalize(s)]
	return iso3, ok
}

// Normalize is the key names are compared by: lower case, accents removed,
// every run of characters other than letters and digits one space, trimmed
// ("Côte d’Ivoire" -> "cote d ivoire").
//
// Accents are removed by decomposing (NFD), dropping nonspacing marks
// (Unicode category Mn) and recomposing (NFC); an ASCII string has no
// accents and skips that step. Safe for concurrent use.
func Normalize(s string) string {
	if !isASCII(s) {
		s = removeMarks(s)
	}
	return wordKey(s)
}

// wordKey lower-cases s and turns every run of characters other than
// letters and digits into one space, trimmed at both ends.
func wordKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// removeMarks returns s decomposed (NFD) without its nonspacing marks
// (Mn), recomposed (NFC): "Côte" -> "Cote". It is what
// transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
// gives, without building a chain (and its buffers) per call.
func removeMarks(s string) string {
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// isASCII reports whether every byte of s is below 0x80.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
