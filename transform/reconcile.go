package transform

import (
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform/cast"
)

// Reconciliation accounts for one headline figure of one input: what the
// file holds, what was written, and where the difference went. Always
// InFile = Written + Dropped and Dropped = RowsDropped + CellsEmptied, the
// sum of ByCode.
type Reconciliation struct {
	Field string `json:"field" desc:"canonical field of the figure (idp_individuals, individuals...)"`
	Label string `json:"label" desc:"the figure in words (IDP individuals, returnees...)"`
	// Column is the source header read for the figure ("" when none).
	Column string `json:"column,omitempty" desc:"source column read for the figure (empty when the file has none)"`
	// InFile sums the usable cells of the field's column as read: whole
	// numbers >= 0, not error cells; a totals row is not counted.
	InFile  int64 `json:"in_file" desc:"sum of the usable cells of the figure's column as read from the file (whole numbers >= 0, error cells and totals rows left out)"`
	Written int64 `json:"written" desc:"sum of the figure over the rows written"`
	Dropped int64 `json:"dropped" desc:"in_file - written"`
	// RowsDropped is the part of Dropped in rows not written.
	RowsDropped int64 `json:"rows_dropped" desc:"part of dropped in rows not written (error-severity rejects)"`
	// CellsEmptied is the part of Dropped in rows written whose cell was
	// emptied or changed by a rule (negative when a rule added to it).
	CellsEmptied int64 `json:"cells_emptied" desc:"part of dropped in rows written whose cell a rule emptied (negative if a rule added to the figure)"`
	// ByCode splits Dropped by the reject code that explains it (the first
	// error of a dropped row; the warning on the emptied cell; "changed" when
	// a rule changed a usable value without a warning on its cell).
	ByCode map[string]int64 `json:"by_code,omitempty" desc:"dropped split by the reject code that explains it (changed: a rule moved the value without a warning on the cell)"`
	// UnusableCells counts the non-empty cells that were not usable
	// (negative, not a number, error cells): they are not in InFile.
	UnusableCells int64 `json:"unusable_cells" desc:"non-empty cells of the column that were not usable counts (negative, not a number, error cells); not in in_file"`
	// FileTotal is the file's own total (its totals row at the bottom), if any.
	FileTotal    *int64 `json:"file_total,omitempty" desc:"the file's own total for the figure (its totals row), when it has one"`
	FileTotalRow int    `json:"file_total_row,omitempty" desc:"row of the file's totals row"`
}

// CodeChanged labels, in Reconciliation.ByCode, a difference no reject
// explains: a rule changed a usable value (for example moved it to
// another figure).
const CodeChanged = "changed"

// headline is one figure a dataset reconciles.

// reconMeasure is the running reconciliation of one figure.
type reconMeasure struct {
	col, slot int    // source column index (-1: no column), value slot (-1: not stored)
	header    string // source header of the column
	out       Reconciliation
}

// prepareReconciliation resolves the columns and slots of the dataset's
// headline figures.
func (c *Converter) prepareReconciliation() {
	c.recon = c.recon[:0]
	for _, h := range c.rules.Headline {
		m := reconMeasure{col: -1, slot: -1, out: Reconciliation{Field: h.Field, Label: h.Label}}
		if i, ok := c.slot[h.Field]; ok {
			m.slot = i
		}
		if ci, ok := c.m.ColumnFor(h.Field); ok {
			m.col, m.header = c.m.Columns[ci].Index, c.m.Columns[ci].Header
			m.out.Column = m.header
		}
		c.recon = append(c.recon, m)
	}
}

// usableCount reads a headline cell as the reconciliation counts it: a
// whole number >= 0 that is not an error cell.
func usableCount(cells []string, errs []int, col int) (int64, bool) {
	if col < 0 || col >= len(cells) {
		return 0, false
	}
	if isMarkedError(errs, col) {
		return 0, false
	}
	s := cells[col]
	if IsErrorCell(s) {
		return 0, false
	}
	n, _, missing, err := cast.ParseCount(s) // "12 HH" as the cast reads it (a unit contradiction is then a warning on the cell)
	if err != nil || missing || n < 0 {
		return 0, false
	}
	return n, true
}

// reconcileRow adds one converted row (not a totals row) to the figures.
// cells are the row's cells as read (before error cells were emptied).
func (c *Converter) reconcileRow(r ingest.Row, cells []string, rc *rowContext) {
	for i := range c.recon {
		m := &c.recon[i]
		u, ok := usableCount(cells, r.Errors, m.col)
		if !ok && m.col >= 0 && m.col < len(cells) && (!cast.IsMissing(cells[m.col]) || isMarkedError(r.Errors, m.col) || IsErrorCell(cells[m.col])) {
			m.out.UnusableCells++
		}
		m.out.InFile += u
		if rc.dropped {
			if u != 0 {
				m.out.RowsDropped += u
				m.addCode(firstErrorCode(rc), u)
			}
			continue
		}
		var w int64
		if m.slot >= 0 && c.vals[m.slot].set {
			w = c.vals[m.slot].i
		}
		m.out.Written += w
		if d := u - w; d != 0 {
			m.out.CellsEmptied += d
			code := CodeChanged
			if rj, ok := emptiedCell(rc, m.header); ok && w == 0 {
				code = rj.Code
			}
			m.addCode(code, d)
		}
	}
}

func (m *reconMeasure) addCode(code string, n int64) {
	if m.out.ByCode == nil {
		m.out.ByCode = map[string]int64{}
	}
	m.out.ByCode[code] += n
}

func firstErrorCode(rc *rowContext) string {
	for _, rj := range rc.rejects {
		if rj.Severity == schemas.SeverityError {
			return rj.Code
		}
	}
	return CodeChanged
}

// Reconciliation returns the headline figures of the input so far (call
// after Finish for the comparison with the file's own totals).
func (c *Converter) Reconciliation() []Reconciliation {
	out := make([]Reconciliation, len(c.recon))
	for i, m := range c.recon {
		out[i] = m.out
		out[i].Dropped = m.out.InFile - m.out.Written
		if m.out.ByCode != nil {
			out[i].ByCode = make(map[string]int64, len(m.out.ByCode))
			for k, v := range m.out.ByCode {
				out[i].ByCode[k] = v
			}
		}
	}
	return out
}

// isMarkedError reports whether the reader marked the cell as an error.
func isMarkedError(errs []int, col int) bool {
	for _, e := range errs {
		if e == col {
			return true
		}
	}
	return false
}
