package cast

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CountUnit is the unit a count cell writes after its number ("12 HH",
// "250 ind."), if any.
type CountUnit uint8

const (
	// UnitNone: the cell has no unit word ("12").
	UnitNone CountUnit = iota
	// UnitPersons: "ind", "individuals", "pers", "personnes", "people"...
	UnitPersons
	// UnitHouseholds: "HH", "households", "ménages", "hogares", "familles"...
	UnitHouseholds
)

func (u CountUnit) String() string {
	switch u {
	case UnitPersons:
		return "persons"
	case UnitHouseholds:
		return "households"
	}
	return ""
}

// countUnitWords maps the folded unit words written after a count in DTM
// files (English, French, Spanish, Portuguese, Arabic transliteration
// aside) to their unit. DTM counts families as households. Read-only.
var countUnitWords = map[string]CountUnit{
	"hh": UnitHouseholds, "hhs": UnitHouseholds, "household": UnitHouseholds, "households": UnitHouseholds,
	"men": UnitHouseholds, "menage": UnitHouseholds, "menages": UnitHouseholds,
	"hogar": UnitHouseholds, "hogares": UnitHouseholds, "agregado": UnitHouseholds, "agregados": UnitHouseholds,
	"family": UnitHouseholds, "families": UnitHouseholds, "famille": UnitHouseholds, "familles": UnitHouseholds,
	"familia": UnitHouseholds, "familias": UnitHouseholds,
	"ind": UnitPersons, "inds": UnitPersons, "indiv": UnitPersons, "individual": UnitPersons, "individuals": UnitPersons,
	"individu": UnitPersons, "individus": UnitPersons, "pers": UnitPersons, "person": UnitPersons, "persons": UnitPersons,
	"people": UnitPersons, "personne": UnitPersons, "personnes": UnitPersons, "persona": UnitPersons,
	"personas": UnitPersons, "pessoa": UnitPersons, "pessoas": UnitPersons, "pax": UnitPersons,
}

// ParseCount casts a count cell: ParseInt, or a whole number followed by
// a unit word ("12 HH", "12HH", "250 ind.", "1 234 personnes", "7
// ménages"), whose unit is returned so that the caller can check it
// against the column's (a cell "12 HH" in a column of individuals is a
// contradiction, not 12 individuals). Unknown words give ParseInt's error.
// unit is UnitNone when the cell writes no unit.
func ParseCount(s string) (v int64, unit CountUnit, missing bool, err error) {
	v, missing, err = ParseInt(s)
	if err == nil {
		return v, UnitNone, missing, nil
	}
	num, word, ok := splitUnitWord(Trim(s))
	if !ok {
		return 0, UnitNone, false, err
	}
	u, known := countUnitWords[Fold(word)]
	if !known {
		return 0, UnitNone, false, err
	}
	n, nmissing, nerr := ParseInt(num)
	if nerr != nil || nmissing {
		return 0, UnitNone, false, err
	}
	return n, u, false, nil
}

// splitUnitWord splits "12 HH" into "12" and "HH": a trailing run of
// letters (with an optional final '.'), after the number and optional
// white space. ok is false when s does not end with letters or has
// nothing before them.
func splitUnitWord(s string) (num, word string, ok bool) {
	end := len(s)
	if strings.HasSuffix(s, ".") {
		end--
	}
	i := end
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) {
			break
		}
		i -= size
	}
	if i == end || i == 0 {
		return "", "", false
	}
	return Trim(s[:i]), s[i:end], true
}
