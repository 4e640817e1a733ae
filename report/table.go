package report

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/sinks"
)

// col makes a text column; ncol a numeric one.
func col(name, label string) Column  { return Column{Name: name, Label: label} }
func ncol(name, label string) Column { return Column{Name: name, Label: label, Numeric: true} }

// add appends a row; it must have one cell per column.
func (t *Table) add(cells ...Cell) { t.Rows = append(t.Rows, cells) }

// text is a text cell; num an integer cell; opt an integer cell that is
// empty when ok is false; fnum a decimal cell.
func text(s string) Cell { return Cell{Text: s} }
func num(n int64) Cell   { return Cell{Text: strconv.FormatInt(n, 10)} }
func opt(n int64, ok bool) Cell {
	if !ok {
		return Cell{}
	}
	return num(n)
}
func fnum(f float64, ok bool) Cell {
	if !ok {
		return Cell{}
	}
	return Cell{Text: strconv.FormatFloat(f, 'f', -1, 64)}
}

// CSV renders the table as RFC 4180 CSV with a header row of column names.
// Suppressed cells are empty; text that a spreadsheet would run as a
// formula is prefixed with ' (as dtm export does); numbers are left alone.
func (t *Table) CSV() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = sinks.NeutralizeFormula(c.Name)
	}
	w.Write(rec)
	for _, r := range t.Rows {
		for i := range rec {
			rec[i] = ""
			if i < len(r) && !r[i].Suppressed {
				rec[i] = r[i].Text
				if !t.Columns[i].Numeric {
					rec[i] = sinks.NeutralizeFormula(rec[i])
				}
			}
		}
		w.Write(rec)
	}
	w.Flush() // writes to a bytes.Buffer cannot fail
	return buf.Bytes()
}

// csvDataURI is the table's CSV as a data: URI for a download link.
func (t *Table) csvDataURI() string {
	return "data:text/csv;charset=utf-8," + url.PathEscape(string(t.CSV()))
}

// display is a cell as the HTML table shows it: numbers grouped by
// thousands ("12,345"), suppressed cells as "suppressed", empty as "–".
func (t *Table) display(i int, c Cell) string {
	switch {
	case c.Suppressed:
		return "suppressed"
	case c.Text == "":
		return "–"
	case t.Columns[i].Numeric:
		return groupDigits(c.Text)
	}
	return c.Text
}

// groupDigits inserts thousands separators into the integer part of a
// decimal number written with digits ("-12345.5" -> "-12,345.5"); other
// text is returned unchanged.
func groupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		sign, s = s[:1], s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if intPart == "" || strings.Trim(intPart, "0123456789") != "" {
		return sign + s
	}
	var b strings.Builder
	for i, d := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	out := sign + b.String()
	if hasFrac {
		out += "." + frac
	}
	return out
}
