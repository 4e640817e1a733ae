package transform_test

import (
	"testing"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// TestDrainBoundsBufferedRows checks that the rows held in builders stay
// under MaxBufferedRows whatever the number of partitions, and that every
// row comes out exactly once.
func TestDrainBoundsBufferedRows(t *testing.T) {
	for _, tc := range []struct{ batch, maxHeld, step int }{
		{100, 200, 10}, {100, 0, 7}, {1000, 150, 50}, {64, 64, 1},
	} {
		m, err := transform.Map(benchHeader(), schemas.SiteAssessment(), transform.MapOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c := transform.NewConverter(m, transform.Provenance{File: "t.csv"},
			transform.Options{BatchRows: tc.batch, MaxBufferedRows: tc.maxHeld})
		rows := benchRows(3000)
		maxHeld := tc.maxHeld
		if maxHeld == 0 {
			maxHeld = 2 * tc.batch
		}
		out, parts := 0, map[transform.Partition]bool{}
		for i := 0; i < len(rows); i += tc.step {
			c.Convert(rows[i:min(len(rows), i+tc.step)])
			for _, r := range c.Drain(false) {
				out += int(r.Record.NumRows())
				parts[r.Partition] = true
				r.Record.Release()
			}
			if held := min(len(rows), i+tc.step) - out; held > maxHeld {
				t.Fatalf("%+v: %d rows held after row %d, over %d", tc, held, i+tc.step, maxHeld)
			}
		}
		for _, r := range c.Drain(true) {
			out += int(r.Record.NumRows())
			r.Record.Release()
		}
		c.Release()
		if out != len(rows) || c.Stats().RowsWritten != len(rows) {
			t.Fatalf("%+v: %d rows out, %d written, want %d", tc, out, c.Stats().RowsWritten, len(rows))
		}
		if len(parts) < 2 {
			t.Fatalf("%+v: only %d partitions drained early", tc, len(parts))
		}
	}
}
