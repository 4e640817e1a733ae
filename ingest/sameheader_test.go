package ingest_test

import (
	"bytes"
	stdcsv "encoding/csv"
	"io"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/csv"
	"github.com/iom-dtm/dtm/ingest/xlsx"
	"github.com/iom-dtm/dtm/internal/testutil"
)

// TestSameHeaderCSVAndXLSX writes the same table as CSV and as XLSX and
// checks that both readers find the same header, HXL and units rows, the
// same column labels and the same data rows: header detection is one rule.
func TestSameHeaderCSVAndXLSX(t *testing.T) {
	tables := map[string][][]string{
		"two-row header (flow registry)": {
			{"Form no", "Date", "FMP", "Direction", "Family size", "", ""},
			{"", "", "", "", "Males", "Females", "Total individuals"},
			{"1", "2016-10-02", "Point A", "incoming", "2", "3", "5"},
			{"2", "2016-10-03", "Point A", "incoming", "1", "1", "2"},
		},
		"title, two-row header, HXL": {
			{"DTM Round 3", "", "", ""},
			{"Site", "IDPs", "", "Date"},
			{"", "HH", "Ind", ""},
			{"#loc+name", "#affected+idps+hh", "#affected+idps+ind", "#date"},
			{"A", "1", "5", "2024-01-01"},
		},
		"units row between header and HXL": {
			{"Region", "Site", "IDP households", "IDP individuals"},
			{"", "", "(HH)", "(persons)"},
			{"#adm1+name", "#loc+name", "#affected+idps+hh", "#affected+idps+ind"},
			{"Nord", "A", "3", "15"},
		},
		"titles and a banner over the header": {
			{"MATRICE DE SUIVI DES DEPLACEMENTS", "", "", "", ""},
			{"Publié le 12/03/2023", "Source: OIM", "", "", ""},
			{"DATE", "", "METHODE DE COLLECTE", "", ""},
			{"Jour", "Mois", "Enquêteur", "Mode", "Lieu"},
			{"12", "3", "A. Traoré", "KI", "Gao"},
		},
		"two-row header with repeated group labels": {
			{"Site", "IDPs", "IDPs", "Returnees", "Returnees"},
			{"", "HH", "Ind", "HH", "Ind"},
			{"A", "1", "5", "2", "9"},
		},
		"plain header with a wider data row": {
			{"Site", "IDPs"},
			{"A", "1", "2", "3"},
			{"B", "4"},
		},
	}
	for name, table := range tables {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			w := stdcsv.NewWriter(&buf)
			if err := w.WriteAll(table); err != nil {
				t.Fatal(err)
			}
			cr, err := csv.NewReader("t.csv", &buf, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ch, crows := drain(t, cr)

			sheet := testutil.Sheet{Name: "Data"}
			for _, row := range table {
				cells := make([]any, len(row))
				for i, c := range row {
					if c != "" {
						cells[i] = c
					}
				}
				sheet.Rows = append(sheet.Rows, cells)
			}
			path := filepath.Join(t.TempDir(), "t.xlsx")
			testutil.WriteXLSX(t, path, []testutil.Sheet{sheet})
			xr, err := xlsx.Open(path, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			xh, xrows := drain(t, xr)

			if ch.HeaderLine != xh.HeaderLine || ch.SubHeaderLine != xh.SubHeaderLine || ch.UnitsLine != xh.UnitsLine ||
				ch.HXLLine != xh.HXLLine || ch.SkippedAbove != xh.SkippedAbove {
				t.Errorf("csv header/sub/units/hxl/skipped %d %d %d %d %d; xlsx %d %d %d %d %d",
					ch.HeaderLine, ch.SubHeaderLine, ch.UnitsLine, ch.HXLLine, ch.SkippedAbove,
					xh.HeaderLine, xh.SubHeaderLine, xh.UnitsLine, xh.HXLLine, xh.SkippedAbove)
			}
			if !reflect.DeepEqual(ch.Columns, xh.Columns) || !reflect.DeepEqual(ch.HXL, xh.HXL) {
				t.Errorf("csv columns %q hxl %q; xlsx %q %q", ch.Columns, ch.HXL, xh.Columns, xh.HXL)
			}
			if len(crows) != len(xrows) {
				t.Fatalf("csv %d rows, xlsx %d", len(crows), len(xrows))
			}
			for i := range crows {
				if crows[i].Line != xrows[i].Line || !reflect.DeepEqual(trim(crows[i].Cells), trim(xrows[i].Cells)) {
					t.Errorf("row %d: csv %d %q, xlsx %d %q", i, crows[i].Line, crows[i].Cells, xrows[i].Line, xrows[i].Cells)
				}
			}
		})
	}
}

// trim drops trailing empty cells (CSV keeps a record's width, XLSX does
// not store empty cells).
func trim(cells []string) []string { return ingest.TrimTrailingEmpty(cells) }

func drain(t *testing.T, r ingest.Reader) (ingest.Header, []ingest.Row) {
	t.Helper()
	defer r.Close()
	var rows []ingest.Row
	for {
		got, err := r.Next(100)
		rows = append(rows, got...)
		if err == io.EOF {
			return r.Header(), rows
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
