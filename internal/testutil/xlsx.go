package testutil

import (
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet is one worksheet of a workbook written by WriteXLSX.
type Sheet struct {
	// Name is the worksheet name as shown on its tab.
	Name string
	// Rows are written from row 1 down, one slice per row, cells from column
	// A. A nil row leaves a blank row. Cell values may be string, int,
	// int64, float64, bool, time.Time (written as a date-styled serial, as
	// Excel stores dates), Formula, or nil (no cell).
	Rows [][]any
}

// Formula is a cell holding a formula and the cached result Excel stored
// with it the last time it calculated the workbook. Readers should return
// Cached and never evaluate Expr.
type Formula struct {
	Expr   string // formula text without the leading '=', e.g. "SUM(A2:B2)"
	Cached any    // cached value: int, float64 or nil
}

// WriteXLSX writes a workbook with the given sheets, in order, to path. The
// first sheet replaces excelize's default "Sheet1". Strings go to the shared
// strings table, as in files saved by Excel. It fails tb on any error,
// including a Formula with a string cached value (excelize's API cannot
// store one).
func WriteXLSX(tb testing.TB, path string, sheets []Sheet) {
	tb.Helper()
	if len(sheets) == 0 {
		tb.Fatalf("WriteXLSX %s: no sheets", path)
	}
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
				tb.Fatalf("WriteXLSX %s: naming sheet %q: %v", path, sh.Name, err)
			}
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			tb.Fatalf("WriteXLSX %s: adding sheet %q: %v", path, sh.Name, err)
		}
		if err := writeSheet(f, sh); err != nil {
			tb.Fatalf("WriteXLSX %s: %v", path, err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.SaveAs(path); err != nil {
		tb.Fatalf("WriteXLSX %s: saving: %v", path, err)
	}
}

// writeSheet writes the rows of one sheet.
func writeSheet(f *excelize.File, sh Sheet) error {
	var dateStyle int
	for r, row := range sh.Rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return fmt.Errorf("sheet %q row %d col %d: %w", sh.Name, r+1, c+1, err)
			}
			if err := writeCell(f, sh.Name, cell, v, &dateStyle); err != nil {
				return fmt.Errorf("sheet %q cell %s: %w", sh.Name, cell, err)
			}
		}
	}
	return nil
}

// writeCell writes one value; dateStyle caches the id of a date style.
func writeCell(f *excelize.File, sheet, cell string, v any, dateStyle *int) error {
	switch v := v.(type) {
	case Formula:
		switch v.Cached.(type) {
		case nil, int, int64, float64:
		default:
			return fmt.Errorf("formula cached value of type %T: only numbers are supported", v.Cached)
		}
		if v.Cached != nil {
			if err := f.SetCellValue(sheet, cell, v.Cached); err != nil {
				return err
			}
		}
		return f.SetCellFormula(sheet, cell, v.Expr)
	case time.Time:
		if *dateStyle == 0 {
			id, err := f.NewStyle(&excelize.Style{NumFmt: 14})
			if err != nil {
				return err
			}
			*dateStyle = id
		}
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, cell, cell, *dateStyle)
	case string, int, int64, float64, bool:
		return f.SetCellValue(sheet, cell, v)
	default:
		return fmt.Errorf("unsupported cell value type %T", v)
	}
}
