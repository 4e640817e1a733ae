package xlsx

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// rawRow is one sheet row as read, before fitting to the header width.
type rawRow struct {
	line  int      // 1-based spreadsheet row number
	cells []string // cell texts from column A; may have trailing empties
}

// rowSource streams the rows of one sheet in order. Rows that are absent
// from the sheet XML (blank rows) are produced as rows without cells, so
// that every row number between the first and the last row appears.
type rowSource interface {
	// next returns the next row, or ok=false at the end of the sheet.
	next() (row rawRow, ok bool, err error)
	close() error
}

// excelizeRows adapts excelize's streaming Rows iterator. excelize's Next
// advances one row number at a time (it yields an empty row for each row
// number missing from the XML), so counting Next calls gives the row number
// Excel shows.
type excelizeRows struct {
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
	return &excelizeRows{file: wb.path, sheet: sheet, rows: rows}, nil
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
	return rawRow{line: s.line, cells: cells}, true, nil
}

func (s *excelizeRows) close() (err error) {
	defer recoverErr(&err, s.file, s.sheet)
	return s.rows.Close()
}
