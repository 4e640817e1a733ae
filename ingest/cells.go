package ingest

import (
	"strconv"
	"strings"
	"unicode"
)

// IsNumeric reports whether a cell reads as a number as DTM files write
// them: "12", "-10.5", "14,46382" (decimal comma), "1 952" or "1,952"
// (thousands separators, including a no-break space), "12%".
func IsNumeric(cell string) bool {
	s := strings.TrimSpace(cell)
	s = strings.TrimSuffix(s, "%")
	if s == "" {
		return false
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return true
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'':
			return -1
		case ',':
			return '.'
		}
		return r
	}, s)
	if strings.Count(s, ".") > 1 { // 1,234,567 or 1.234.567: thousands
		s = strings.ReplaceAll(s, ".", "")
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// isLabel reports whether a non-empty cell reads as a label: it holds a
// letter and is not a number or an HXL tag.
func isLabel(cell string) bool {
	c := strings.TrimSpace(cell)
	return c != "" && !strings.HasPrefix(c, "#") &&
		strings.IndexFunc(c, unicode.IsLetter) >= 0 && !IsNumeric(c)
}

// labelRow reports whether every non-empty cell of a row is a label (and
// at least one is).
func labelRow(cells []string) bool {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		if !isLabel(c) {
			return false
		}
		n++
	}
	return n > 0
}

// nonEmpty counts the cells that are not blank.
func nonEmpty(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// blank reports whether cell i of cells is absent or blank.
func blank(cells []string, i int) bool {
	return i >= len(cells) || strings.TrimSpace(cells[i]) == ""
}

// excelErrors are the error literals spreadsheets write into cells (they
// start with '#' but are not HXL tags).
var excelErrors = map[string]bool{
	"#N/A": true, "#REF!": true, "#DIV/0!": true, "#VALUE!": true, "#NAME?": true,
	"#NUM!": true, "#NULL!": true, "#SPILL!": true, "#CALC!": true, "#GETTING_DATA": true,
}

// IsHXLRow is LooksLikeHXLRow made safe for data: spreadsheet error
// literals (#N/A, #REF!) are ignored, so a data row full of #N/A is not
// taken for tags while a tag row with one #REF! still is; and a row with a
// numeric cell is never a tag row (a two-column data row `12,#A7` would
// otherwise look like one).
func IsHXLRow(cells []string) bool {
	clean := make([]string, len(cells))
	for i, c := range cells {
		t := strings.TrimSpace(c)
		if IsNumeric(t) {
			return false
		}
		if !excelErrors[strings.ToUpper(t)] {
			clean[i] = c
		}
	}
	return LooksLikeHXLRow(clean)
}

// strictHXLRow reports whether every non-empty cell of a row is an HXL tag
// ("#" then a letter, no space): evidence strong enough to believe the row
// is a tag row even when the row above it is not the best header candidate.
func strictHXLRow(cells []string) bool {
	n := 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if len(c) < 2 || c[0] != '#' || !unicode.IsLetter(rune(c[1])) || strings.ContainsAny(c, " \t") {
			return false
		}
		n++
	}
	return n > 0
}

// unitWords are cells seen in units rows under DTM headers (English and
// French), compared lower-cased after removing brackets.
var unitWords = map[string]bool{
	"%": true, "#": true, "no.": true, "nb": true, "nbr": true, "number": true,
	"num": true, "nombre": true, "entier": true, "décimal": true, "count": true, "persons": true, "person": true, "people": true,
	"individuals": true, "individual": true, "ind": true, "ind.": true, "inds": true, "indiv": true,
	"hh": true, "hhs": true, "households": true, "household": true, "ménages": true, "menages": true,
	"ménage": true, "menage": true, "personnes": true, "individus": true, "pers": true, "pers.": true,
	"families": true, "familles": true, "text": true, "texte": true, "string": true, "integer": true,
	"int": true, "decimal": true, "float": true, "date": true, "yyyy-mm-dd": true, "dd/mm/yyyy": true,
	"mm/dd/yyyy": true, "jj/mm/aaaa": true, "aaaa-mm-jj": true, "km": true, "km2": true, "km²": true,
	"kg": true, "usd": true, "$": true, "percent": true, "percentage": true, "pourcentage": true,
	"ratio": true, "yes/no": true, "oui/non": true, "y/n": true, "days": true, "jours": true,
	"years": true, "ans": true, "années": true, "deg": true, "degrees": true, "degrés": true,
	"decimal degrees": true, "degrés décimaux": true, "°": true, "€": true,
}

// unitLike reports whether a cell reads as a unit of measure or a type
// ("(persons)", "HH", "%", "dd/mm/yyyy", "unit: households").
func unitLike(cell string) bool {
	c := strings.ToLower(strings.TrimSpace(cell))
	c = strings.Trim(c, "()[]{} ")
	for _, p := range []string{"unit:", "unité:", "unite:", "units:", "in "} {
		c = strings.TrimSpace(strings.TrimPrefix(c, p))
	}
	if c == "" {
		return false
	}
	return unitWords[c]
}
