package xlsx

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/testutil"
)

// FuzzOpen feeds arbitrary bytes to Open as an .xlsx file: it must return
// an error or rows, never panic or exceed its limits.
func FuzzOpen(f *testing.F) {
	dir := f.TempDir()
	seed := filepath.Join(dir, "seed.xlsx")
	testutil.WriteXLSX(f, seed, []testutil.Sheet{
		{Name: "Summary", Rows: [][]any{strs("Total", "10")}},
		{Name: "Data", Rows: [][]any{
			{"Title"},
			strs("Site", "Admin 1", "IDPs"),
			strs("#loc+name", "#adm1+name", "#affected+idps"),
			{"A", "Borno", 12},
			nil,
			{"B", nil, testutil.Formula{Expr: "C4*2", Cached: 24}},
		}},
	})
	good, err := os.ReadFile(seed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte("a,b,c\n1,2,3\n"))
	f.Add([]byte{})
	for _, extra := range handMadeBooks(f) {
		f.Add(extra)
	}
	// The 1904 date system with date-formatted cells, and error cells.
	f.Add(rawBookStyled(f, `<workbookPr date1904="1"/>`, dateStyles, dateSheet))
	f.Add(rawBook(f, errorSheet, `<si><t>#N/A</t></si>`, `<si><t>1 250</t></si>`))
	lim := ingest.Limits{MaxFileBytes: 1 << 20, MaxDecompressedBytes: 4 << 20, MaxColumns: 200,
		MaxCellBytes: 4096, MaxRowBytes: 1 << 16, MaxHeaderScan: 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "in.xlsx")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		opts := ingest.Options{Limits: lim}
		if r, err := Open(path, opts); err == nil {
			width := len(r.Header().Columns)
			prev := r.Header().HeaderLine
			// A stray value far down yields up to a million blank rows:
			// look at the first few hundred batches only.
			for range 300 {
				rows, err := r.Next(64)
				if err != nil {
					break
				}
				for _, row := range rows {
					for k, e := range row.Errors {
						if e < 0 || e >= len(row.Cells) || row.Cells[e] == "" || (k > 0 && e <= row.Errors[k-1]) {
							t.Fatalf("row %d: error marks %v out of order or on empty cells %q", row.Line, row.Errors, row.Cells)
						}
					}
					if row.Line <= prev || len(row.Cells) < width || len(row.Cells) > lim.MaxColumns {
						t.Fatalf("row %d (after %d) has %d cells, header %d", row.Line, prev, len(row.Cells), width)
					}
					prev = row.Line
				}
			}
			_ = r.Close()
		}
		_, _ = Sheets(path, opts)
		if rds, err := OpenAll(path, nil, opts); err == nil {
			if len(rds) == 0 {
				t.Fatal("OpenAll returned no reader and no error")
			}
			for _, r := range rds {
				_, _ = r.Next(64)
				_ = r.Close()
			}
		}
	})
}
