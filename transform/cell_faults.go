package transform

import (
	"github.com/iom-dtm/dtm/transform/cast"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// spreadsheetErrors are the error values Excel, LibreOffice and Google
// Sheets show in a cell whose formula failed (upper case, as they print
// them). A cell holding one is an error cell, never a value: not 0, not
// text.
var spreadsheetErrors = [...]string{"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
	"#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
	"#NAME", "#N/A!", "#ERROR!"}

// IsErrorCell reports whether a cell's text is a spreadsheet error value
// ("#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!" and
// the newer "#SPILL!", "#CALC!"...), compared case-insensitively after
// trimming. CSV exports of workbooks carry them as literal text; the XLSX
// reader also marks them (ingest.Row.Errors). It does not allocate.
func IsErrorCell(s string) bool {
	if len(s) > 0 && s[0] != '#' && s[0] > ' ' && s[0] < 0x80 {
		return false // Trim keeps a printable ASCII first byte: not '#' after trimming either
	}
	s = cast.Trim(s)
	if len(s) < 3 || s[0] != '#' {
		return false
	}
	for _, e := range spreadsheetErrors {
		if strings.EqualFold(s, e) {
			return true
		}
	}
	return false
}

// mayBeErrorCell reports whether a cell whose first byte is b may be an
// error cell (IsErrorCell's own first test, inlined in the row's loop).
func mayBeErrorCell(b byte) bool { return b == '#' || b <= ' ' || b >= 0x80 }

// blankErrorCells empties the error cells of a row (marked by the reader
// in r.Errors, or written as error literals) with one error-cell warning
// each, naming the error. It returns the cells the rest of the row's
// conversion reads: r.Cells itself when the row has no error cell, else a
// copy in c.cellBuf (r.Cells is never modified). errCols collects the
// indexes of the emptied cells.
func (c *Converter) blankErrorCells(r ingest.Row, rc *rowContext) []string {
	cells := r.Cells
	copied := false
	blank := func(i int) {
		if i < 0 || i >= len(cells) || cells[i] == "" {
			return
		}
		if !copied {
			c.cellBuf = append(c.cellBuf[:0], r.Cells...)
			cells, copied = c.cellBuf, true
		}
		raw := cells[i]
		header, field := c.columnAt(i)
		switch {
		case field != "":
			rc.warnf(header, raw, schemas.CodeErrorCell,
				"%s: the cell holds the spreadsheet error %s (a formula that failed), not a value; stored as empty — fix the formula in the source", field, strings.TrimSpace(raw))
		default:
			rc.warnf(header, raw, schemas.CodeErrorCell,
				"the cell holds the spreadsheet error %s (a formula that failed); the column is not used by dtm", strings.TrimSpace(raw))
		}
		cells[i] = ""
		c.rowErrCols = append(c.rowErrCols, i)
	}
	c.rowErrCols = c.rowErrCols[:0]
	for _, i := range r.Errors {
		blank(i)
	}
	for i, s := range r.Cells {
		if s != "" && mayBeErrorCell(s[0]) && IsErrorCell(s) {
			blank(i) // a no-op when the reader marked it already
		}
	}
	return cells
}

// columnAt returns the header and field of the source column at index i
// ("" when the row is longer than the header or the column is unmapped).
func (c *Converter) columnAt(i int) (header, field string) {
	if i < len(c.colAt) && c.colAt[i] >= 0 {
		col := &c.m.Columns[c.colAt[i]]
		return col.Header, col.Field
	}
	return "", ""
}

// buildColumnIndex maps source column indexes to m.Columns.
func (c *Converter) buildColumnIndex() {
	n := 0
	for _, col := range c.m.Columns {
		n = max(n, col.Index+1)
	}
	c.colAt = make([]int, n)
	for i := range c.colAt {
		c.colAt[i] = -1
	}
	for i, col := range c.m.Columns {
		if col.Index >= 0 {
			c.colAt[col.Index] = i
		}
	}
}

// emptiedCell reports whether the cell of the column with this header was
// emptied by a warning of the row (error cell, type error, negative count),
// and returns that warning's code and message.
func emptiedCell(rc *rowContext, header string) (schemas.Reject, bool) {
	if header == "" {
		return schemas.Reject{}, false
	}
	for _, rj := range rc.rejects {
		if rj.Column == header && rj.Severity == schemas.SeverityWarning {
			return rj, true
		}
	}
	return schemas.Reject{}, false
}
