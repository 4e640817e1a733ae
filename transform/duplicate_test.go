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
	if s := c.Stats(); s.RowsWritten != 3 || s.RowsRejected != 2 {
		t.Fatalf("stats %+v", s)
	}
}
