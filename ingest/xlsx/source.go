package xlsx

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// rawRow is one sheet row as read, before fitting to the header width.
type rawRow struct {
	line  int      // 1-based spreadsheet row number
	cells []string // cell texts from column A; may have trailing empties
	errs  []int    // 0-based indexes of error cells (type "e"), increasing
}

// blank reports whether every cell of the row is empty or white space.
func (r *rawRow) blank() bool {
	for _, c := range r.cells {
		if c != "" && strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// rowSource streams the rows of one sheet in order. Rows that are absent
// from the sheet XML, or stored with only empty cells, are produced as rows
// without cells when a non-blank row follows them, so that every row number
// between the first and the last non-blank row appears; blank rows after
// the last non-blank row (a formatted but empty cell at row 1,048,576) are
// never produced.
type rowSource interface {
	// next returns the next row, or ok=false at the end of the sheet.
	next() (row rawRow, ok bool, err error)
	close() error
}

// storedRows is an engine's raw stream: the rows stored in the sheet, in
// increasing row number, possibly with gaps and blank rows.
type storedRows interface {
	next() (row rawRow, ok bool, err error)
	close() error
}

// gapFiller turns an engine's stored rows into a rowSource: it skips blank
// rows, then produces an empty row for each row number between the last
// row returned and the next non-blank one. A sheet's trailing blank rows
// thus cost one scan of their XML and nothing else.
type gapFiller struct {
	src     storedRows
	line    int    // last row number returned
	pend    rawRow // the next non-blank row
	hasPend bool
	done    bool
}

func (g *gapFiller) next() (rawRow, bool, error) {
	for !g.hasPend {
		if g.done {
			return rawRow{}, false, nil
		}
		r, ok, err := g.src.next()
		if err != nil || !ok {
			g.done = true
			return rawRow{}, false, err
		}
		if !r.blank() && r.line > g.line {
			g.pend, g.hasPend = r, true
		}
	}
	if g.line+1 < g.pend.line {
		g.line++
		return rawRow{line: g.line}, true, nil
	}
	g.hasPend, g.line = false, g.pend.line
	return g.pend, true, nil
}

func (g *gapFiller) close() error { return g.src.close() }

// excelizeRows adapts excelize's streaming Rows iterator. excelize's Next
// advances one row number at a time (it yields an empty row for each row
// number missing from the XML), so counting Next calls gives the row number
// Excel shows. Cell types and styles are looked up per non-empty cell
// (GetCellType, GetCellStyle), which is slow but this engine is only the
// fallback for packages fastRows cannot resolve.
type excelizeRows struct {
	wb          *workbook
	file, sheet string
	rows        *excelize.Rows
	line        int
}

// openExcelizeRows starts streaming one sheet.
func openExcelizeRows(wb *workbook, sheet string) (src *excelizeRows, err error) {
	defer recoverErr(&err, wb.path, sheet)
	rows, err := wb.f.Rows(sheet)
	if err != nil {
		return nil, sheetErr(wb.path, sheet, classify(err))
	}
	return &excelizeRows{wb: wb, file: wb.path, sheet: sheet, rows: rows}, nil
}

func (s *excelizeRows) next() (row rawRow, ok bool, err error) {
	defer recoverErr(&err, s.file, s.sheet)
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return rawRow{}, false, rowErr(s.file, s.sheet, s.line+1, classify(err))
		}
		return rawRow{}, false, nil
	}
	s.line++
	cells, err := s.rows.Columns()
	if err != nil {
		return rawRow{}, false, rowErr(s.file, s.sheet, s.line, fmt.Errorf("%w: %v", ErrCorrupt, err))
	}
	row = rawRow{line: s.line, cells: cells}
	for i, v := range cells {
		if strings.TrimSpace(v) == "" {
			continue
		}
		ref, err := excelize.CoordinatesToCellName(i+1, s.line)
		if err != nil {
			continue
		}
		switch typ, _ := s.wb.f.GetCellType(s.sheet, ref); typ {
		case excelize.CellTypeError:
			row.errs = append(row.errs, i)
		case excelize.CellTypeUnset, excelize.CellTypeNumber:
			if st, err := s.wb.f.GetCellStyle(s.sheet, ref); err == nil && s.wb.styles.isDate(st) {
				if iso, ok := serialToISO(v, s.wb.date1904); ok {
					cells[i] = iso
				}
			}
		}
	}
	return row, true, nil
}

func (s *excelizeRows) close() (err error) {
	defer recoverErr(&err, s.file, s.sheet)
	return s.rows.Close()
}
