package xlsx

import (
	"strings"
)

// styleTable tells which cell formats (the s attribute of a cell, an index
// into styles.xml's cellXfs) display numbers as dates.
type styleTable struct {
	date []bool // by cellXfs index
}

// isDate reports whether cell format index i displays a date.
func (t *styleTable) isDate(i int) bool {
	return t != nil && i >= 0 && i < len(t.date) && t.date[i]
}

// xStyles is the part of styles.xml that gives each cell format's number
// format.
type xStyles struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	CellXfs []struct {
		NumFmtID int `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

// loadStyles reads the styles part; a workbook without one (or with one
// that cannot be parsed) has no date formats, and its dates arrive as
// serial numbers.
func loadStyles(pm *partMap) *styleTable {
	name := pm.styles
	if name == "" {
		name = "xl/styles.xml"
	}
	if pm.files[normPart(name)] == nil {
		return nil
	}
	var xs xStyles
	if err := pm.decode(name, &xs); err != nil {
		return nil
	}
	custom := make(map[int]string, len(xs.NumFmts))
	for _, f := range xs.NumFmts {
		custom[f.ID] = f.Code
	}
	t := &styleTable{date: make([]bool, len(xs.CellXfs))}
	for i, xf := range xs.CellXfs {
		if code, ok := custom[xf.NumFmtID]; ok {
			t.date[i] = isDateFormat(code)
		} else {
			t.date[i] = isBuiltinDateFormat(xf.NumFmtID)
		}
	}
	return t
}

// isBuiltinDateFormat reports the built-in number formats that show a
// date (ECMA-376 Part 1, §18.8.30: 14-17 and 22, and the East Asian
// locales' 27-36 and 50-58). The time-only formats (18-21, 45-47) are not
// dates: their values stay numbers.
func isBuiltinDateFormat(id int) bool {
	switch {
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return true
	}
	return false
}

// isDateFormat reports whether a custom number format code shows a date:
// outside quoted text, escaped characters and [bracketed] parts (colours,
// locales, elapsed time such as [h]), its first section has a year or day token (y, d)
// or a month token (m) without hours or seconds (which would make m
// minutes). "General", "0.00", "h:mm" and "[h]:mm:ss" are not dates.
func isDateFormat(code string) bool {
	if i := sectionEnd(code); i >= 0 {
		code = code[:i]
	}
	var hasYD, hasM, hasHS bool
	for i := 0; i < len(code); i++ {
		switch c := code[i] | 0x20; {
		case code[i] == '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case code[i] == '\\', code[i] == '_', code[i] == '*':
			i++ // the next character is literal (or padding)
		case code[i] == '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return hasYD || (hasM && !hasHS)
			}
			if elapsed := strings.Trim(strings.ToLower(code[i+1:i+j]), "hms"); elapsed == "" && j > 1 {
				hasHS = true // [h], [mm], [ss]: elapsed time, so m means minutes
			}
			i += j
		case c == 'y', c == 'd':
			hasYD = true
		case c == 'm':
			hasM = true
		case c == 'h', c == 's':
			hasHS = true
		case code[i] == 'E' || code[i] == 'e':
			// scientific notation or the era year of some locales: ignored
		}
	}
	return hasYD || (hasM && !hasHS)
}

// sectionEnd returns the index of the first unquoted ';' (the end of the
// positive-number section), or -1.
func sectionEnd(code string) int {
	quoted := false
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			quoted = !quoted
		case '\\':
			i++
		case ';':
			if !quoted {
				return i
			}
		}
	}
	return -1
}
