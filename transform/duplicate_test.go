package transform_test

import (
	"slices"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

func TestDuplicateRows(t *testing.T) {
	m, err := transform.Map(benchHeader(), schemas.SiteAssessment(), transform.MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	base := benchRows(2)
	spaced := slices.Clone(base[0].Cells)
	spaced[8] = "  " + spaced[8] + " " // surrounding spaces do not make a row different
	other := slices.Clone(base[0].Cells)
	other[15] = "7" // one cell differs
	rows := []ingest.Row{base[0], {Line: 10, Cells: spaced}, {Line: 11, Cells: other}, base[1], {Line: 12, Cells: base[1].Cells}}
	c := transform.NewConverter(m, transform.Provenance{File: "t.csv"}, transform.Options{})
	defer c.Release()
	var dupLines []int
	for _, rj := range c.Convert(rows) {
		if rj.Code == schemas.CodeDuplicateRow {
			dupLines = append(dupLines, rj.Row)
		}
	}
	if !slices.Equal(dupLines, []int{10, 12}) {
		t.Fatalf("duplicate rows reported at %v, want [10 12]", dupLines)
	}
	if s := c.Stats(); s.RowsWritten != 5 || s.RowsRejected != 0 || s.Warnings != 2 {
		t.Fatalf("identical rows are kept with a warning: stats %+v", s)
	}
	d := transform.NewConverter(m, transform.Provenance{File: "t.csv"}, transform.Options{Duplicates: transform.DuplicatesDrop})
	defer d.Release()
	for _, rj := range d.Convert(rows) {
		if rj.Code == schemas.CodeDuplicateRow && rj.Severity != schemas.SeverityError {
			t.Errorf("duplicates: drop makes a duplicate an error: %+v", rj)
		}
	}
	if s := d.Stats(); s.RowsWritten != 3 || s.RowsRejected != 2 {
		t.Fatalf("duplicates: drop: stats %+v", s)
	}
}

// TestDuplicateRowsUnmappedColumn: rows that differ only in a column dtm
// does not map are different rows.
func TestDuplicateRowsUnmappedColumn(t *testing.T) {
	h := ingest.Header{Columns: []string{"Country Code", "Admin1 Pcode", "Enumerator remarks", "IDP Individuals"}}
	m, err := transform.Map(h, schemas.SiteAssessment(), transform.MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rows := []ingest.Row{
		{Line: 2, Cells: []string{"AAA", "AA01", "road closed", "50"}},
		{Line: 3, Cells: []string{"AAA", "AA01", "market", "50"}},
		{Line: 4, Cells: []string{"AAA", "AA01", "market", "50", ""}}, // a trailing empty cell changes nothing
	}
	c := transform.NewConverter(m, transform.Provenance{File: "t.csv"}, transform.Options{})
	defer c.Release()
	var dup []int
	for _, rj := range c.Convert(rows) {
		if rj.Code == schemas.CodeDuplicateRow {
			dup = append(dup, rj.Row)
		}
	}
	if !slices.Equal(dup, []int{4}) {
		t.Fatalf("duplicate rows at %v, want [4]", dup)
	}
}
