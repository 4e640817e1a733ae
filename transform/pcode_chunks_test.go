package transform

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// pcodeTestCols are the columns of the p-code chunk tests: three admin
// levels with names.
var pcodeTestCols = []string{"Country Code", "Admin 1 pcode", "Admin 1", "Admin 2 pcode", "Admin 2",
	"Admin 3 pcode", "Admin 3", "IDP Individuals"}

// pcodeTestMapping maps a header of pcodeTestCols to the site assessment
// dataset.
func pcodeTestMapping(t testing.TB) *Mapping {
	t.Helper()
	m, err := Map(ingest.Header{File: "f.csv", Columns: pcodeTestCols}, schemas.SiteAssessment(), MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// pcodeTestRows generates n rows of shape kind: "sorted" (grouped by
// place), "shuffled", "alternating" (two places row by row), "hostile"
// (blanks, case, space and accent variants, Unicode, pseudo and ill-shaped
// codes, codes that do not nest, names that change for one code), "many"
// (a new code on most rows), "renamed" (two places row by row, one of
// whose admin 3 code is named another way on 1 row in 3 of its own) and
// "renamedodd" (renamed, with an admin 2 code that does not nest on 1 row
// in 50: the warnings give how many rows' codes nest).
func pcodeTestRows(kind string, n int, seed uint64) []ingest.Row {
	rnd := rand.New(rand.NewPCG(seed, 7))
	place := func(i int) (iso string, a1, a2, a3 int) {
		isos := []string{"SDN", "NGA", "TCD"}
		return isos[i%3], i / 3 % 5, i / 15 % 7, i / 105 % 9
	}
	names := []string{"Adamawa", "Équateur", "Bujumbura Rurale", "Ñuñoa", "Payam 7", "قرية", "Central Darfur"}
	rows := make([]ingest.Row, n)
	for i := range rows {
		var k int
		switch kind {
		case "sorted":
			k = i * 945 / n
		case "alternating", "renamed", "renamedodd":
			k = i % 2 * 400
		case "many":
			k = i
		default:
			k = rnd.IntN(945)
		}
		iso, a1, a2, a3 := place(k)
		c1 := fmt.Sprintf("%s%02d", iso[:2], a1)
		c2 := fmt.Sprintf("%s%02d", c1, a2)
		c3 := fmt.Sprintf("%s%02d", c2, a3)
		if kind == "many" {
			c1, c2, c3 = fmt.Sprintf("%s%06d", iso[:2], k), fmt.Sprintf("%s%07d", iso[:2], k), fmt.Sprintf("%s%08d", iso[:2], k)
		}
		n1, n2, n3 := names[a1%len(names)], fmt.Sprintf("County %d", a2), fmt.Sprintf("%s %d", names[a3%len(names)], a3)
		if (kind == "renamed" || kind == "renamedodd") && i%6 == 0 {
			n3 = "Renamed"
		}
		if kind == "renamedodd" && i%50 == 49 {
			c2 = iso[:2] + "99" + c2[4:] // of the country's shape, under no admin 1
		}
		if kind == "hostile" {
			switch rnd.IntN(14) {
			case 0:
				n1 = ""
			case 1:
				n2 = "  COUNTY " + fmt.Sprint(a2) + " "
			case 2:
				n3 = "equateur" // another name for the code
			case 3:
				c2 = "XX" + c2[2:] // does not nest
			case 4:
				c3 = ""
			case 5:
				c1 = "SDN-99" // pseudo or ill-shaped
			case 6:
				n1 = "EQUATEUR"
			case 7:
				n3 = fmt.Sprintf("Payam\u00a0%d", a3)
			case 8:
				c2 = "  " + c2 + " "
			case 9:
				n2 = fmt.Sprintf("Comté %d", rnd.IntN(3))
			case 10:
				c3 = "9999"
			}
		}
		rows[i] = ingest.Row{Line: i + 2, Cells: []string{iso, c1, n1, c2, n2, c3, n3, "10"}}
	}
	return rows
}

// convertSerial converts rows with one converter, as a serial ingest
// does: its rejects (rows and the file's checks) and notes.
func convertSerial(t *testing.T, m *Mapping, rows []ingest.Row) ([]schemas.Reject, []string) {
	t.Helper()
	c := NewConverter(m, Provenance{File: "f.csv", RunID: "t"}, Options{})
	defer c.Release()
	out := c.Convert(rows)
	out = append(out, c.Finish()...)
	for _, r := range c.Drain(true) {
		r.Record.Release()
	}
	return out, c.Notes()
}

// convertChunked converts rows as the chunked ingest does: the first chunk
// by the converter, the others by workers taking chunks in turn, all
// converted before any is absorbed (so that a chunk shares nothing its
// worker changes later), absorbed in order.
func convertChunked(t *testing.T, m *Mapping, rows []ingest.Row, chunk, workers int) ([]schemas.Reject, []string) {
	t.Helper()
	out, notes, _ := convertChunkedWith(t, m, rows, chunk, workers, nil)
	return out, notes
}

// convertChunkedWith is convertChunked with setup (nil: none) applied to
// the table's converter before the first row; it also returns the
// duplicate set's spilled runs.
func convertChunkedWith(t *testing.T, m *Mapping, rows []ingest.Row, chunk, workers int, setup func(*Converter)) ([]schemas.Reject, []string, int) {
	t.Helper()
	c := NewConverter(m, Provenance{File: "f.csv", RunID: "t"}, Options{})
	defer c.Release()
	if setup != nil {
		setup(c)
	}
	out := c.Convert(rows[:min(chunk, len(rows))])
	ws := make([]*Converter, workers)
	for i := range ws {
		ws[i] = c.Fork()
		defer ws[i].Release()
	}
	var chunks []*Chunk
	for k, at := 0, chunk; at < len(rows); k, at = k+1, at+chunk {
		chunks = append(chunks, ws[k%workers].ConvertChunk(rows[at:min(at+chunk, len(rows))]))
	}
	for _, ch := range chunks {
		out = append(out, c.Absorb(ch)...)
		for _, r := range ch.Records {
			r.Record.Release()
		}
	}
	out = append(out, c.Finish()...)
	for _, r := range c.Drain(true) {
		r.Record.Release()
	}
	spills := 0
	if c.seen.spill != nil {
		spills = len(c.seen.spill.runs)
	}
	return out, c.Notes(), spills
}

// TestPcodeChecksChunkedAreSerial: the p-code checks of a file converted
// in chunks by workers that keep their codes' entries from chunk to chunk,
// or by one converter, find exactly what one converter's full checks on
// every row (without the row memo, pcode_row.go) find (every reject and
// warning, with its row, column, value, code and message, in order, and
// the notes), whatever the order of the rows, the chunk size and the
// number of workers.
func TestPcodeChecksChunkedAreSerial(t *testing.T) {
	m := pcodeTestMapping(t)
	for _, kind := range []string{"sorted", "shuffled", "alternating", "hostile", "many", "renamed", "renamedodd"} {
		n, chunks, workers := 3000, []int{37, 500}, []int{1, 3}
		switch kind {
		case "many": // 78,000 codes: past the memo's and a worker's index bounds
			n, chunks, workers = 26000, []int{4096}, []int{1}
		case "renamed", "renamedodd":
			// Past the 1,000 rows a name lists in a worker's chunks, its
			// rows are counted by slot (pcodeRow.full, flushSlots):
			// the warnings say how many rows give each name and list the
			// first 1,000 rows of the other name (1,500 rows).
			n, workers = 9000, []int{1, 2}
		}
		rows := pcodeTestRows(kind, n, 1)
		// The reference: the full checks on every row (no row memo).
		want, wantNotes, _ := convertStored(t, m, rows, true)
		if got, notes := convertSerial(t, m, rows); !reflect.DeepEqual(got, want) || !reflect.DeepEqual(notes, wantNotes) {
			diffRejects(t, kind+" serial", got, want)
			if !reflect.DeepEqual(notes, wantNotes) {
				t.Errorf("notes %q, want %q", notes, wantNotes)
			}
		}
		names := 0
		for _, rj := range want {
			if rj.Code == schemas.CodePcodeName || rj.Code == schemas.CodePcodeHierarchy {
				names++
			}
		}
		if (kind == "hostile" || kind == "renamed" || kind == "renamedodd") && names == 0 {
			t.Fatalf("%s: no p-code name or hierarchy warnings: the test checks nothing", kind)
		}
		for _, chunk := range chunks {
			for _, workers := range workers {
				got, notes := convertChunked(t, m, rows, chunk, workers)
				if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(notes, wantNotes) {
					diffRejects(t, fmt.Sprintf("%s chunk=%d workers=%d", kind, chunk, workers), got, want)
					if !reflect.DeepEqual(notes, wantNotes) {
						t.Errorf("notes %q, want %q", notes, wantNotes)
					}
				}
			}
		}
	}
}

// diffRejects reports the first differences between two reject lists.
func diffRejects(t *testing.T, what string, got, want []schemas.Reject) {
	t.Helper()
	t.Errorf("%s: %d rejects, want %d", what, len(got), len(want))
	shown := 0
	for i := 0; i < max(len(got), len(want)) && shown < 5; i++ {
		var g, w schemas.Reject
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("  #%d got  %+v\n      want %+v", i, g, w)
			shown++
		}
	}
}

// TestTakeChunkKeepsNameOrder: a chunk lists a code's names in the order
// it first noted them and as it first wrote them, though the worker met
// them in another order and spelling in an earlier chunk.
func TestTakeChunkKeepsNameOrder(t *testing.T) {
	var p pcodeFileChecks
	e := p.entry(1, "AA01", "Admin1 Pcode")
	e.note(&p.lines, "North", 2)
	e.note(&p.lines, "Nord", 3)
	p.takeChunk()
	if p.entry(1, "AA01", "Admin1 Pcode") != e {
		t.Fatal("the worker did not keep the code's entry")
	}
	e.note(&p.lines, "NORD ", 10)
	e.note(&p.lines, "North", 11)
	e.note(&p.lines, "Nord", 12)
	ch := p.takeChunk()
	if len(ch.order) != 1 {
		t.Fatalf("%d entries", len(ch.order))
	}
	var got []string
	for _, n := range ch.order[0].names {
		var ls []int
		n.lines.each(func(l int) bool { ls = append(ls, l); return true })
		got = append(got, fmt.Sprintf("%s:%d:%v", n.name, n.rows, ls))
	}
	if want := []string{"NORD :2:[10 12]", "North:1:[11]"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("chunk names %v, want %v", got, want)
	}
	if ch := p.takeChunk(); len(ch.order) != 0 {
		t.Fatalf("an empty chunk holds %d entries", len(ch.order))
	}
}
