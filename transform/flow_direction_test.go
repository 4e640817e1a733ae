package transform

import (
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// TestFlowDirectionDefault: Options.Direction (a sheet named Entry/Exit)
// gives the direction of rows whose direction cell is missing or whose
// table has no direction column; a direction cell wins, and a label that
// is not a direction stays a warning with the direction empty.
func TestFlowDirectionDefault(t *testing.T) {
	cases := []struct {
		name string
		cols []string
		rows [][]string
		opt  string
		want []string
	}{
		{"no column", []string{"Date", "FMP", "Country", "Individuals"},
			[][]string{{"2016-10-02", "A", "TCD", "5"}}, "outgoing", []string{"outgoing"}},
		{"no column, no hint", []string{"Date", "FMP", "Country", "Individuals"},
			[][]string{{"2016-10-02", "A", "TCD", "5"}}, "", []string{""}},
		{"cells win, empty and unknown cells", []string{"Date", "FMP", "Country", "Direction", "Individuals"},
			[][]string{{"2016-10-02", "A", "TCD", "incoming", "5"}, {"2016-10-02", "A", "TCD", "", "5"}, {"2016-10-02", "A", "TCD", "sideways", "5"}},
			"outgoing", []string{"incoming", "outgoing", ""}},
	}
	for _, c := range cases {
		h := ingest.Header{File: "fmr.xlsx", Sheet: "Exit", Columns: c.cols}
		m, err := Map(h, schemas.FlowRegistry(), MapOptions{})
		if err != nil {
			t.Fatal(err)
		}
		in := make([]ingest.Row, len(c.rows))
		for i, r := range c.rows {
			in[i] = ingest.Row{Line: i + 2, Cells: r}
		}
		conv := NewConverter(m, Provenance{File: h.File, Sheet: h.Sheet, RunID: "t"}, Options{Direction: c.opt})
		conv.Convert(in)
		var got []string
		for _, pr := range conv.Drain(true) {
			rec := pr.Record
			idx := rec.Schema().FieldIndices("direction")[0]
			for r := 0; r < int(rec.NumRows()); r++ {
				if rec.Column(idx).IsNull(r) {
					got = append(got, "")
				} else {
					got = append(got, rec.Column(idx).ValueStr(r))
				}
			}
			rec.Release()
		}
		conv.Release()
		if len(got) != len(c.want) {
			t.Errorf("%s: directions %q, want %q", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: directions %q, want %q", c.name, got, c.want)
				break
			}
		}
	}
}
