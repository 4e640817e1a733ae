package synth

import (
	"fmt"
	"math/rand/v2"

	"github.com/xuri/excelize/v2"
)

// WriteSiteXLSX writes a deterministic site assessment workbook of n data
// rows (sheet "Sites": header, HXL row, data) with excelize's StreamWriter.
// Numbers are numeric cells, as in the published DTM workbooks.
func WriteSiteXLSX(path string, n int) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	const sheet = "Sites"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	row := make([]any, len(SiteHeader))
	put := func(r int, cells []any) error {
		cell, err := excelize.CoordinatesToCellName(1, r)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	}
	for i, s := range SiteHeader {
		row[i] = s
	}
	if err := put(1, row); err != nil {
		return err
	}
	for i, s := range SiteHXL {
		row[i] = s
	}
	if err := put(2, row); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(42, uint64(n)))
	for i := range n {
		r := newSiteRow(rng, i)
		for j, s := range r.cells() {
			row[j] = s
		}
		row[10], row[11] = r.lat, r.lon
		row[15], row[16], row[17], row[18] = r.hh, r.ind, r.males, r.female
		if err := put(i+3, row); err != nil {
			return fmt.Errorf("row %d: %w", i+3, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}
