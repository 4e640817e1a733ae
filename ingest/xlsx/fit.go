package xlsx

import (
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

// fitRow shapes a row for the caller and enforces the per-row limits: it
// drops empty (whitespace-only) cells past width, so that hundreds of
// formatted-but-empty trailing columns cost nothing, pads the row with ""
// up to width, and fails with ingest.ErrLimit when the row has more than
// MaxColumns columns, a cell longer than MaxCellBytes, or more than
// MaxRowBytes in all. With width 0 every trailing empty cell is dropped.
func fitRow(cells []string, width int, lim ingest.Limits, file, sheet string, line int) ([]string, error) {
	n := len(cells)
	for n > width && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	cells = cells[:n]
	if n > lim.MaxColumns {
		return nil, cellErr(file, sheet, line, lim.MaxColumns+1,
			limitErr("row has %d columns, limit %d", n, lim.MaxColumns))
	}
	total := 0
	for i, c := range cells {
		if len(c) > lim.MaxCellBytes {
			return nil, cellErr(file, sheet, line, i+1,
				limitErr("cell has %d bytes, limit %d", len(c), lim.MaxCellBytes))
		}
		total += len(c)
	}
	if total > lim.MaxRowBytes {
		return nil, rowErr(file, sheet, line, limitErr("row has %d bytes, limit %d", total, lim.MaxRowBytes))
	}
	if n < width {
		padded := make([]string, width)
		copy(padded, cells)
		cells = padded
	}
	return cells, nil
}
