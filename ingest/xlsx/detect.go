package xlsx

import (
	"github.com/iom-dtm/dtm/ingest"
)

// headerFind is where the header (and HXL row) of a sheet were found among
// its first rows: ingest.FindHeader's result, the rule shared with the CSV
// reader, so the same table as CSV or XLSX gets the same header. The
// lower-case fields mirror the embedded result for the sheet choice.
type headerFind struct {
	ingest.HeaderFind
	found   bool     // false when every scanned row is empty
	header  int      // index of the header row in the scanned rows
	hxl     int      // index of the HXL row, -1 if none
	score   int      // scorer's rating of the header row
	skipped int      // non-empty rows above the header (titles, banners)
	notes   []string // why this row
}

// dataStart is the index of the first data row in the scanned rows.
func (h headerFind) dataStart() int {
	return h.DataStart()
}

// findHeader locates the header among the first rows of a sheet (already
// trimmed of trailing empty cells) with ingest.FindHeader. A merged cell
// reaches it as its value in the first cell and blanks after, which is
// what FindHeader expects of a two-row header's group labels.
func findHeader(rows []rawRow, score ingest.HeaderScorer) headerFind {
	f := ingest.FindHeader(scanRows(rows), score)
	return headerFind{HeaderFind: f, found: f.Found, header: f.Header, hxl: f.HXL,
		score: f.Score, skipped: f.Skipped, notes: f.Notes}
}

// scanRows converts rows for ingest.HeaderFind.Apply.
func scanRows(rows []rawRow) []ingest.ScanRow {
	scan := make([]ingest.ScanRow, len(rows))
	for i, r := range rows {
		scan[i] = ingest.ScanRow{Line: r.line, Cells: r.cells}
	}
	return scan
}
