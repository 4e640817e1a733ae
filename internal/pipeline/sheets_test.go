package pipeline

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/iom-dtm/dtm/internal/testutil"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// TestSeveralDataSheets: the entries and exits of a flow registry kept on
// two sheets of one layout are both ingested, each row with its sheet and
// the direction its sheet's name gives (there is no direction column);
// the summary sheet is not read; rows_in = written + rejected for the
// input, which is one ledger entry. Naming the sheets reads the same.
func TestSeveralDataSheets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fmr_oct.xlsx")
	header := []any{"Date", "FMP", "Country", "Individuals"}
	testutil.WriteXLSX(t, path, []testutil.Sheet{
		{Name: "Summary", Rows: [][]any{{"Total"}, {"Individuals", 14}}},
		{Name: "Entrées", Rows: [][]any{header, {"2016-10-02", "Point A", "TCD", 5}, {"2016-10-03", "Point A", "TCD", 2}}},
		{Name: "Sorties", Rows: [][]any{header, {"2016-10-02", "Point A", "TCD", 4}, nil, {"2016-10-05", "Point B", "TCD", 3}}},
	})
	for _, sheets := range [][]string{nil, {"Entrées", "sorties"}} {
		wh := t.TempDir()
		res := runFlow(t, wh, "", nil, []Input{{Path: path, Kind: "flow_registry", Sheets: sheets}})
		sr := res.Sources[0]
		if sr.RowsIn != 5 || sr.RowsIn != sr.RowsWritten+sr.RowsRejected || sr.RowsWritten != 4 || sr.Sheet != "Entrées, Sorties" {
			t.Errorf("sheets %q: rows in %d written %d rejected %d, sheet %q", sheets, sr.RowsIn, sr.RowsWritten, sr.RowsRejected, sr.Sheet)
		}
		db, err := query.Open(context.Background(), wh, schemas.Default())
		if err != nil {
			t.Fatal(err)
		}
		wantRows(t, "rows by sheet", rowsOf(t, db, `SELECT source_sheet, CAST(source_row AS VARCHAR), direction, coalesce(CAST(individuals AS VARCHAR), 'NULL')
			FROM flow_registry ORDER BY source_sheet, source_row`), []string{
			"Entrées|2|incoming|5", "Entrées|3|incoming|2", "Sorties|2|outgoing|4", "Sorties|4|outgoing|3",
		})
		wantRows(t, "rejects name the sheet", rowsOf(t, db, `SELECT sheet, CAST("row" AS VARCHAR), code FROM rejects WHERE code = 'blank-row'`),
			[]string{"Sorties|3|blank-row"})
		db.Close()
	}
}
