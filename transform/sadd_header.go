package transform

import (
	"github.com/iom-dtm/dtm/transform/cast"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SADDBand is a sex-and-age band as a SADD column header publishes it.
type SADDBand struct {
	// Group is the population group the header names: "" for IDPs (the
	// default), or "returnee", "host", "refugee" when the header carries
	// such a suffix or prefix ("male_1_to_5_ret").
	Group string
	// Sex is "m" or "f".
	Sex string
	// AgeMin and AgeMax are the band's bounds in whole years, inclusive, as
	// published: "<1" is 0-0, "1-5" is 1-5, "U5 (excl. U1)" is 1-4. AgeMax is
	// nil for an open band ("60+", "60 ans et +").
	AgeMin int32
	AgeMax *int32
}

// ParseSADDHeader recognises the header of a sex-and-age disaggregated
// count column and returns its band. Seen forms:
//
//   - Chad: male_less_than_1, female_1_to_5, male_6_to_12, female_13_to_17,
//     male_18_to_59, female_60_above, with group suffixes (_ret,
//     _retournes -> "returnee");
//   - Burundi: h_Nourrissons(<1 an), h_Enfants(1-5 ans), f_Jeunes(6-17 ans),
//     h_Adultes(18-59 ans), f_Personnes âgées(60 ans et +);
//   - Sudan: lessthan1M, 0lessthan1F, 1-5M, 6-17F, 18-59M, 60+F;
//   - Ukraine: Male Infants (U1), Male Children U5 (excl. U1), Male Children
//     5-17, Female Adults 18-59, Female Elderly (60+);
//   - and the like in English and French ("Hommes 18-59 ans", "Girls 6-17"),
//     also after a Kobo group path ("sadd/male_1_to_5").
//
// A header must name exactly one sex and exactly one age band, and every
// other word must be an age-group word (infants, enfants, adults, ans, ...)
// or a population group: so "Male", "Female", "Total IDP (Individuals)",
// "Round", "Households" and "Latitude" are not bands. Bands counted in
// months are refused (their bounds would not be years).
func ParseSADDHeader(header string) (SADDBand, bool) {
	h := cast.Trim(header)
	if h == "" || len(h) > 200 {
		return SADDBand{}, false
	}
	if b, ok := saddParse(h); ok {
		return b, true
	}
	if i := strings.LastIndexByte(h, '/'); i >= 0 && i+1 < len(h) {
		return saddParse(h[i+1:])
	}
	return SADDBand{}, false
}

// Atoms of an age band.
const (
	saddNum  = iota // a number
	saddLess        // "<", "less than", "under", "U"
	saddPlus        // "+", "above", "plus"
	saddExcl        // "excl."
)

type saddAtom struct {
	kind int
	n    int
}

// saddWords classifies the words of SADD headers (folded, lower case).
// Read-only.
var saddWords = map[string]string{
	// sex
	"male": "sex:m", "males": "sex:m", "m": "sex:m", "h": "sex:m", "homme": "sex:m",
	"hommes": "sex:m", "men": "sex:m", "man": "sex:m", "boys": "sex:m", "boy": "sex:m",
	"garcons": "sex:m", "garcon": "sex:m", "masculin": "sex:m",
	"female": "sex:f", "females": "sex:f", "f": "sex:f", "femme": "sex:f", "femmes": "sex:f",
	"women": "sex:f", "woman": "sex:f", "girls": "sex:f", "girl": "sex:f", "filles": "sex:f",
	"fille": "sex:f", "feminin": "sex:f",
	// population groups
	"ret": "group:returnee", "rets": "group:returnee", "retour": "group:returnee",
	"retournes": "group:returnee", "retourne": "group:returnee", "retournees": "group:returnee",
	"retournee": "group:returnee", "returnee": "group:returnee", "returnees": "group:returnee",
	"returned": "group:returnee",
	"hote":     "group:host", "hotes": "group:host", "host": "group:host", "hc": "group:host",
	"refugies": "group:refugee", "refugie": "group:refugee", "refugees": "group:refugee",
	"refugee": "group:refugee", "ref": "group:refugee",
	"pdi": "group:", "idp": "group:", "idps": "group:", "deplaces": "group:", "deplace": "group:",
	// band words
	"lessthan": "less", "less": "less", "under": "less", "u": "less", "moins": "less",
	"below": "less", "inf": "less",
	"above": "plus", "plus": "plus", "over": "plus", "more": "plus", "andabove": "plus",
	"excl": "excl", "excluding": "excl", "except": "excl", "sauf": "excl", "hors": "excl",
	"to": "", "a": "", "au": "",
	"mois": "month", "month": "month", "months": "month", "mo": "month",
	// fillers
	"nourrissons": "", "nourrisson": "", "bebes": "", "enfants": "", "enfant": "",
	"jeunes": "", "jeune": "", "adolescents": "", "adolescent": "", "adultes": "",
	"adulte": "", "personnes": "", "personne": "", "agees": "", "agee": "", "ages": "",
	"age": "", "aged": "", "vieux": "", "vieillards": "", "infants": "", "infant": "",
	"children": "", "child": "", "youth": "", "adults": "", "adult": "", "elderly": "",
	"elders": "", "older": "", "persons": "", "person": "", "people": "", "an": "",
	"ans": "", "year": "", "years": "", "yrs": "", "yr": "", "old": "", "de": "",
	"du": "", "des": "", "of": "", "the": "", "and": "", "et": "", "or": "", "ou": "",
	"than": "", "nombre": "", "number": "", "nb": "",
}

// saddParse reads one header (no path handling).
func saddParse(h string) (SADDBand, bool) {
	s := cast.Fold(h)
	var (
		band    SADDBand
		sexes   int
		groups  int
		atoms   [8]saddAtom
		nAtoms  int
		addAtom = func(a saddAtom) bool {
			if nAtoms == len(atoms) {
				return false
			}
			atoms[nAtoms] = a
			nAtoms++
			return true
		}
	)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			n, ok := cast.Digits(s[i:j])
			if !ok || j-i > 3 || !addAtom(saddAtom{kind: saddNum, n: n}) {
				return SADDBand{}, false
			}
			i = j
			continue
		case unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += sz
			}
			class, known := saddWords[s[i:j]]
			if !known {
				return SADDBand{}, false
			}
			switch {
			case strings.HasPrefix(class, "sex:"):
				sexes++
				band.Sex = class[4:]
			case strings.HasPrefix(class, "group:"):
				if groups > 0 && band.Group != class[6:] {
					return SADDBand{}, false
				}
				groups++
				band.Group = class[6:]
			case class == "less":
				if !addAtom(saddAtom{kind: saddLess}) {
					return SADDBand{}, false
				}
			case class == "plus":
				if !addAtom(saddAtom{kind: saddPlus}) {
					return SADDBand{}, false
				}
			case class == "excl":
				if !addAtom(saddAtom{kind: saddExcl}) {
					return SADDBand{}, false
				}
			case class == "month":
				return SADDBand{}, false
			}
			i = j
			continue
		case r == '<':
			if !addAtom(saddAtom{kind: saddLess}) {
				return SADDBand{}, false
			}
		case r == '+':
			if !addAtom(saddAtom{kind: saddPlus}) {
				return SADDBand{}, false
			}
		case r == '>' || r == '=' || r == '≥' || r == '≤' || r == '%':
			return SADDBand{}, false
		}
		i += size
	}
	if sexes != 1 {
		return SADDBand{}, false
	}
	lo, hi, open, ok := saddBand(atoms[:nAtoms])
	if !ok {
		return SADDBand{}, false
	}
	band.AgeMin = int32(lo)
	if !open {
		v := int32(hi)
		band.AgeMax = &v
	}
	return band, true
}

// saddMaxAge bounds a plausible age in years.
const saddMaxAge = 120

// saddBand reads the age band from its atoms.
func saddBand(a []saddAtom) (lo, hi int, open, ok bool) {
	is := func(kinds ...int) bool {
		if len(a) != len(kinds) {
			return false
		}
		for i, k := range kinds {
			if a[i].kind != k {
				return false
			}
		}
		return true
	}
	switch {
	case is(saddNum, saddNum): // 1-5, 1_to_5
		lo, hi = a[0].n, a[1].n
	case is(saddLess, saddNum): // <1, less_than_1, U1
		if a[1].n < 1 {
			return 0, 0, false, false
		}
		lo, hi = 0, a[1].n-1
	case is(saddNum, saddLess, saddNum): // 0lessthan1
		if a[0].n != 0 || a[2].n < 1 {
			return 0, 0, false, false
		}
		lo, hi = 0, a[2].n-1
	case is(saddNum, saddPlus): // 60+, 60_above, 60 ans et +
		return a[0].n, 0, true, a[0].n <= saddMaxAge
	case is(saddLess, saddNum, saddExcl, saddLess, saddNum): // U5 (excl. U1)
		if a[4].n < 1 || a[4].n >= a[1].n {
			return 0, 0, false, false
		}
		lo, hi = a[4].n, a[1].n-1
	default:
		return 0, 0, false, false
	}
	if lo > hi || hi > saddMaxAge {
		return 0, 0, false, false
	}
	return lo, hi, false, true
}
