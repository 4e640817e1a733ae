package csv

import (
	"fmt"

	"github.com/iom-dtm/dtm/ingest"
)

// scanned is a record read while looking for the header.
type scanned = ingest.Row

// chooseHeader finds the header among the scanned records with the rule
// shared by every reader (ingest.FindHeader: HXL evidence, title and banner
// rows, two-row headers, units rows). It fails with ErrNoHeader when every
// scanned cell is empty.
func chooseHeader(recs []scanned, score ingest.HeaderScorer) (ingest.HeaderFind, error) {
	f := ingest.FindHeader(scanOf(recs), score)
	if !f.Found {
		return f, fmt.Errorf("%w: all cells of the first %d rows are empty", ErrNoHeader, len(recs))
	}
	return f, nil
}

// scanOf returns the line numbers and cells of recs for ingest.FindHeader.
func scanOf(recs []scanned) []ingest.ScanRow {
	scan := make([]ingest.ScanRow, len(recs))
	for i, r := range recs {
		scan[i] = ingest.ScanRow{Line: r.Line, Cells: r.Cells}
	}
	return scan
}
