package transform

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// TestDuplicatesChunkedWithSpillsAreSerial: a table of 8,000 rows, 40 %
// of them copies of an earlier row (most of a recent one), converted in
// chunks of 700 and 3,000 rows (Absorb checks a chunk's rows rowSetAhead
// at a time) with a duplicate set of 1 Ki slots (a spill every 768 rows,
// many inside a group of rows looked up together), gives the rejects and
// notes of one serial converter with the default set (no spill): every
// duplicate-row warning names the same first row, at the same place.
func TestDuplicatesChunkedWithSpillsAreSerial(t *testing.T) {
	m := pcodeTestMapping(t)
	rng := rand.New(rand.NewPCG(21, 22))
	rows := make([]ingest.Row, 8000)
	for i := range rows {
		rows[i] = ingest.Row{Line: i + 3, Cells: []string{"SDN", "SD01", "Adamawa", "SD0102", "County 2",
			"SD010203", "Payam 3", fmt.Sprint(10 + i)}}
		if i > 0 && rng.IntN(10) < 4 {
			j := rng.IntN(i)
			if rng.IntN(4) > 0 {
				j = max(0, i-1-rng.IntN(400))
			}
			rows[i].Cells = rows[j].Cells
		}
	}
	want, wantNotes := convertSerial(t, m, rows)
	dups := 0
	for _, rj := range want {
		if rj.Code == schemas.CodeDuplicateRow {
			dups++
		}
	}
	if dups < 3000 {
		t.Fatalf("%d duplicate-row warnings: the test checks little", dups)
	}
	for _, chunk := range []int{700, 3000} {
		got, notes, spills := convertChunkedTinySet(t, m, rows, chunk)
		if spills < 5 {
			t.Fatalf("chunk %d: %d spills", chunk, spills)
		}
		if !reflect.DeepEqual(got, want) {
			diffRejects(t, fmt.Sprintf("chunk=%d", chunk), got, want)
		}
		if !reflect.DeepEqual(notes, wantNotes) {
			t.Errorf("chunk %d: notes %q, want %q", chunk, notes, wantNotes)
		}
	}
}

// convertChunkedTinySet is convertChunked with 2 workers and a duplicate
// set whose recent table spills past 768 rows; it also returns the spills.
func convertChunkedTinySet(t *testing.T, m *Mapping, rows []ingest.Row, chunk int) ([]schemas.Reject, []string, int) {
	t.Helper()
	return convertChunkedWith(t, m, rows, chunk, 2, func(c *Converter) { c.seen.maxSlots = 1024 })
}
