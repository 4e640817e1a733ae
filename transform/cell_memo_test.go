package transform

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// memoTestCols are the columns of the cell memo tests: dictionary strings
// (country, admin names and codes), vocabularies, a date, numbers and a
// list.
var memoTestCols = []string{"Country Code", "State", "State Pcode", "County", "County Pcode",
	"Site ID", "Site Type", "Assessment Type", "Survey Date", "Reported Date", "Latitude",
	"Total IDP (Households)", "Total IDP (Individuals)", "Type of Displacement"}

// memoTestRows generates n rows drawing each cell from a small pool of
// hostile texts (so that cells repeat, on consecutive rows when sorted):
// white space and no-break spaces, case, accents and other scripts,
// spreadsheet error cells, blanks and missing-value tokens, unknown and
// don't-know vocabulary labels, ambiguous and impossible dates, numbers
// with separators, units and overflow.
func memoTestRows(n int, seed uint64, sorted bool) []ingest.Row {
	rnd := rand.New(rand.NewPCG(seed, 11))
	pools := [][]string{
		{"SDN", "sdn", " SDN ", "NGA", "", "#N/A", "TCD", "Sdn"},
		{"Adamawa", "adamawa ", "Équateur", "EQUATEUR", "  Central   Darfur ", "قرية", "", "n/a", "#REF!", "Payam\u00a07"},
		{"SD02", " SD02", "sd02", "NG02", "SDN-99", "", "-", "#DIV/0!", "XX01"},
		{"County 7", "County\t7", "COUNTY 7", "Comté 3", "", "NULL"},
		{"SD0206", "SD0206 ", "NG0207", "9999", "", "#VALUE!"},
		{"S1", "S2", "S3", "S1 ", ""},
		{"Camp", "camp", " Host Community", "host_community", "Urban", "spaceship", "dnk", "don't know", "", "Collective centre", "CAMP\u00a0"},
		{"BA", "ba", "ETT", "Site Assessment", "xyz", "", "#NAME?"},
		{"2025-09-14", "14/09/2025", "09/10/2025", "31/02/2025", "2025-13-01", "", "n/a", "45000", " 2025-09-14", "Sept 2025"},
		{"03/04/2025", "13/04/2025", "2025-04-03", ""},
		{"10.61002", "-4.5", "10,61002", "1e2", "abc", "", "95.5", "１２.5", "-0.0", "00012.50"},
		{"531", "1,341", "1 017", "12 HH", "-3", "(3)", "99999999999999999999", "1.5", "", "#N/A", "١٢٣"},
		{"3,189", "5364", "12 ind.", "12 HH", "", "-", "9223372036854775808", "1e5"},
		{"Conflict", "Conflict; Flood", "conflict;flood", "", "Flood | Conflict", "n/a"},
	}
	rows := make([]ingest.Row, n)
	for i := range rows {
		cells := make([]string, len(pools))
		for j, p := range pools {
			k := rnd.IntN(len(p))
			if sorted {
				k = (i / (5 + 3*j)) % len(p) // runs of equal cells, of different lengths per column
			}
			cells[j] = p[k]
		}
		if rnd.IntN(40) == 0 {
			cells = cells[:rnd.IntN(len(cells))] // a short row
		}
		rows[i] = ingest.Row{Line: i + 3, Cells: cells}
	}
	return rows
}

// convertMemo converts rows with one converter, its cell memos on or (the
// reference) off from the second row, in batches of batch rows, and
// returns the rejects and the records of each partition as text.
func convertMemo(t *testing.T, m *Mapping, rows []ingest.Row, batch int, memo bool) ([]schemas.Reject, map[Partition][]string) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	c := NewConverter(m, Provenance{File: "f.csv", RunID: "t"}, Options{Allocator: mem, BatchRows: 300})
	defer c.Release()
	out := c.Convert(rows[:1])
	if !memo {
		for i := range c.plan {
			c.plan[i].memo = nil
		}
	}
	recs := map[Partition][]string{}
	take := func(final bool) {
		for _, pr := range c.Drain(final) {
			recs[pr.Partition] = append(recs[pr.Partition], recordText(pr.Record))
			pr.Record.Release()
		}
	}
	for at := 1; at < len(rows); at += batch {
		out = append(out, c.Convert(rows[at:min(at+batch, len(rows))])...)
		take(false)
	}
	out = append(out, c.Finish()...)
	take(true)
	return out, recs
}

// recordText prints a record's columns, dictionaries included: the
// dictionary of each record must be the same, not only its values.
func recordText(rec arrow.RecordBatch) string {
	s := ""
	for i := range int(rec.NumCols()) {
		col := rec.Column(i)
		if d, ok := col.(*array.Dictionary); ok {
			s += fmt.Sprintf("%d dict %v idx %v|", i, d.Dictionary(), d.Indices())
			continue
		}
		s += fmt.Sprintf("%d %v|", i, col)
	}
	return s
}

// TestCellMemoMatchesCast: a converter whose columns remember their cells'
// casts (cell_memo.go) writes exactly the rows, values, dictionaries and
// rejects (file, row, column, value, code, message, in order) of one that
// casts every cell, on hostile cells shuffled or in runs, in batches of
// any size.
func TestCellMemoMatchesCast(t *testing.T) {
	m, err := Map(ingest.Header{File: "f.csv", Columns: memoTestCols}, schemas.SiteAssessment(), MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sorted := range []bool{false, true} {
		for seed := range uint64(3) {
			for _, batch := range []int{1, 97, 5000} {
				rows := memoTestRows(3000, seed, sorted)
				gotRj, gotRecs := convertMemo(t, m, rows, batch, true)
				wantRj, wantRecs := convertMemo(t, m, rows, batch, false)
				name := fmt.Sprintf("sorted=%v seed=%d batch=%d", sorted, seed, batch)
				if !reflect.DeepEqual(gotRj, wantRj) {
					diffRejects(t, name, gotRj, wantRj)
				}
				if !reflect.DeepEqual(gotRecs, wantRecs) {
					t.Errorf("%s: the records differ with the cell memos", name)
				}
				if len(wantRj) == 0 || len(wantRecs) == 0 {
					t.Fatalf("%s: nothing rejected or written: the test proves nothing", name)
				}
			}
		}
	}
}

// TestCellMemoTurnsOff: a column whose cells rarely repeat stops looking
// its cells up; one whose cells repeat keeps its memo, bounded.
func TestCellMemoTurnsOff(t *testing.T) {
	f := schemas.Field{Name: "assessment_date", Kind: schemas.Date}
	m := newCellMemo(&f, 0, false)
	var v value
	for i := range 2 * memoProbe {
		raw := fmt.Sprint(i)
		if m.get(raw, &v) {
			t.Fatalf("cell %q found, never put", raw)
		}
		if !m.off {
			m.put(raw, &value{set: true}, nil)
		}
	}
	if !m.off || m.raws.slots != nil || m.raws.keys != nil {
		t.Errorf("a memo of unique cells is still on after %d lookups", 2*memoProbe)
	}
	m = newCellMemo(&f, 0, false)
	for i := range 4 * memoProbe {
		raw := fmt.Sprint(i % 1000)
		v.reset()
		if !m.get(raw, &v) {
			m.put(raw, &value{set: true}, nil)
		}
	}
	if m.off || m.len() != 1000 || m.hits != 4*memoProbe-1000 {
		t.Errorf("memo of repeated cells: off %v, %d cells, %d hits", m.off, m.len(), m.hits)
	}
	m = newCellMemo(&f, 0, false)
	for i := range 2 * maxMemoCells {
		m.put(fmt.Sprint(i), &value{set: true}, nil)
	}
	if m.len() != maxMemoCells {
		t.Errorf("a memo holds %d cells, at most %d", m.len(), maxMemoCells)
	}
	if g := newCellMemo(&schemas.Field{Name: "site_name", Kind: schemas.String}, 0, false); g != nil {
		t.Errorf("a plain string column has a memo")
	}
}

// TestCellMemoKeepsCellsApart: a memo gives back the very value put for
// each cell, among cells that share their first and last bytes (every
// length 1 to 41 of one letter; long cells differing only in the middle),
// across the growth of its index, for each kind: strings, dates, and
// bools both true and false.
func TestCellMemoKeepsCellsApart(t *testing.T) {
	var raws []string
	for n := range 41 {
		raws = append(raws, strings.Repeat("a", n+1), strings.Repeat("b", n+1))
	}
	for i := range 300 {
		raws = append(raws, fmt.Sprintf("%s%03d%s", strings.Repeat("x", 9), i, strings.Repeat("y", 9)))
	}
	want := func(i int) value {
		return value{set: i%5 != 0, s: fmt.Sprint("v", i), b: i%2 == 0, d: time.Date(2000, 1, 1+i, 0, 0, 0, 0, time.UTC)}
	}
	for _, f := range []schemas.Field{{Name: "s", Kind: schemas.String, Vocabulary: []string{"x"}},
		{Name: "d", Kind: schemas.Date}, {Name: "b", Kind: schemas.Bool}} {
		m := newCellMemo(&f, 0, false)
		for i, raw := range raws {
			var v value
			if m.get(raw, &v) {
				t.Fatalf("%s: %q found before it was put", f.Name, raw)
			}
			w := want(i)
			m.put(raw, &w, nil)
		}
		for round := range 2 {
			for i, raw := range raws {
				var v value
				if !m.get(raw, &v) {
					t.Fatalf("%s round %d: %q not found", f.Name, round, raw)
				}
				w := want(i)
				ok := v.set == w.set
				if w.set {
					switch f.Kind {
					case schemas.String:
						ok = ok && v.s == w.s
					case schemas.Date:
						ok = ok && v.d == w.d
					case schemas.Bool:
						ok = ok && v.b == w.b
					}
				}
				if !ok {
					t.Fatalf("%s round %d: %q gave %+v, put %+v", f.Name, round, raw, v, w)
				}
			}
		}
	}
}
