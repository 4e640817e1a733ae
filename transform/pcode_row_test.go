package transform

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// pcodePlaceRows generates n rows drawn from a pool of places (country,
// three codes and names) in the order kind says: "sorted" (runs of one
// place), "shuffled", "alternating" (two places row by row) or "runs"
// (short runs of random places). The pool is hostile: besides plain
// places it holds the same deepest code with other names, other parents
// or another country; blank codes and names; case, space and accent
// variants of names; Unicode; pseudo, ill-shaped and non-nesting codes;
// so that rows remembered clean alternate with rows that are not, under
// the same key.
func pcodePlaceRows(kind string, n int, seed uint64) []ingest.Row {
	rnd := rand.New(rand.NewPCG(seed, 11))
	names := []string{"Adamawa", "Équateur", "Bujumbura Rurale", "Ñuñoa", "Payam 7", "قرية", "Central Darfur"}
	var pool [][]string
	for k := range 40 {
		iso, prefix := []string{"SDN", "NGA", "TCD"}[k%3], []string{"SD", "NG", "TD"}[k%3]
		a1, a2, a3 := k%4, k/4%3, k/12
		c1 := fmt.Sprintf("%s%02d", prefix, a1)
		c2 := fmt.Sprintf("%s%02d", c1, a2)
		c3 := fmt.Sprintf("%s%02d", c2, a3)
		n1, n2, n3 := names[a1], fmt.Sprintf("County %d", a2), fmt.Sprintf("%s %d", names[a3%len(names)], a3)
		pool = append(pool, []string{iso, c1, n1, c2, n2, c3, n3})
		for v := range 3 {
			r := []string{iso, c1, n1, c2, n2, c3, n3}
			switch (k + v*5) % 16 {
			case 0:
				r[6] = "equateur" // another name for the same code
			case 1:
				r[6] = fmt.Sprintf("  %s\u00a0%d ", names[a3%len(names)], a3) // spacing variant
			case 2:
				r[2] = "" // blank name
			case 3:
				r[5] = "" // blank code: the key is the admin 2 code
			case 4:
				r[3] = fmt.Sprintf("%s%02d%02d", prefix, a1+5, a2) // does not nest
			case 5:
				r[1] = "SDN-99" // pseudo
			case 6:
				r[5] = "9999" // ill-shaped
			case 7:
				r[0] = "TCD" // same codes, another country
			case 8:
				r[4] = fmt.Sprintf("Comté %d", a2)
			case 9:
				r[3] = "  " + c2 + " "
			case 10:
				r[6] = "" // code without a name
			case 11:
				r[1], r[2] = "", "" // no admin 1
			case 12:
				r[6] = fmt.Sprintf("%s %d", names[(a3+1)%len(names)], a3) // a name that changes
			case 13:
				r[5] = "temp01" // pseudo at the deepest level
			case 14:
				r[5] = c3[:2] + "99" // same key as another place? a short code
			case 15:
				r[1], r[3], r[5] = "", "", "" // no codes at all
			}
			pool = append(pool, r)
		}
	}
	rows := make([]ingest.Row, n)
	k := 0
	for i := range rows {
		switch kind {
		case "sorted":
			k = i * len(pool) / n
		case "alternating":
			k = i % 4 // a place, then its variants: another name, ill-shaped, no name
		case "runs":
			if rnd.IntN(4) == 0 {
				k = rnd.IntN(len(pool))
			}
		default:
			k = rnd.IntN(len(pool))
		}
		cells := append(append([]string(nil), pool[k]...), fmt.Sprint(i)) // no duplicate rows
		rows[i] = ingest.Row{Line: i + 2, Cells: cells}
	}
	return rows
}

// convertStored converts rows serially, the row memo on or off, and
// returns every reject (Finish included), the notes and the stored rows.
func convertStored(t *testing.T, m *Mapping, rows []ingest.Row, memoOff bool) ([]schemas.Reject, []string, []map[string]string) {
	t.Helper()
	return convertStoredWith(t, m, rows, func(c *Converter) { c.memo.rows.off = memoOff })
}

// convertStoredWith is convertStored with the converter set up by setup
// (its row memo, its intern tables) before the rows are converted.
func convertStoredWith(t *testing.T, m *Mapping, rows []ingest.Row, setup func(*Converter)) ([]schemas.Reject, []string, []map[string]string) {
	t.Helper()
	c := NewConverter(m, Provenance{File: "f.csv", RunID: "t"}, Options{})
	defer c.Release()
	setup(c)
	out := c.Convert(rows)
	out = append(out, c.Finish()...)
	var stored []map[string]string
	for _, pr := range c.Drain(true) {
		rec := pr.Record
		for r := 0; r < int(rec.NumRows()); r++ {
			row := map[string]string{}
			for j, f := range rec.Schema().Fields() {
				if col := rec.Column(j); !col.IsNull(r) {
					row[f.Name] = cellText(col, r)
				}
			}
			stored = append(stored, row)
		}
		rec.Release()
	}
	return out, c.Notes(), stored
}

// TestPcodeRowMemoIsFullChecks: rows whose p-code cells repeat an earlier
// row's replay what the full checks did; the rejects and warnings (row,
// column, value, code, message, in order), the file's p-code findings
// with their row lists, the notes and the stored rows (pcode_flags
// included) are those of the full checks run on every row, serially and
// in chunks, on hostile pools of places in any order.
func TestPcodeRowMemoIsFullChecks(t *testing.T) {
	m := pcodeTestMapping(t)
	for _, kind := range []string{"sorted", "shuffled", "alternating", "runs"} {
		for seed := range uint64(2) {
			rows := pcodePlaceRows(kind, 2500, seed)
			want, wantNotes, wantRows := convertStored(t, m, rows, true)
			found := map[string]int{}
			for _, rj := range want {
				found[rj.Code]++
			}
			for _, code := range []string{schemas.CodePcodeName, schemas.CodePcodeHierarchy, schemas.CodePseudoPcode, schemas.CodePcodeShape} {
				if found[code] == 0 && (kind != "alternating" || code == schemas.CodePcodeName || code == schemas.CodePcodeShape) {
					t.Fatalf("%s seed %d: no %s finding: the test checks nothing of it (%v)", kind, seed, code, found)
				}
			}
			what := fmt.Sprintf("%s seed %d", kind, seed)
			got, notes, stored := convertStored(t, m, rows, false)
			if !reflect.DeepEqual(got, want) {
				diffRejects(t, what+" serial", got, want)
			}
			if !reflect.DeepEqual(notes, wantNotes) {
				t.Errorf("%s serial: notes %q, want %q", what, notes, wantNotes)
			}
			if !reflect.DeepEqual(stored, wantRows) {
				t.Errorf("%s serial: stored rows differ from the full checks'", what)
			}
			for _, chunk := range []int{7, 200} {
				for _, workers := range []int{1, 3} {
					got, notes := convertChunked(t, m, rows, chunk, workers)
					if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(notes, wantNotes) {
						diffRejects(t, fmt.Sprintf("%s chunk=%d workers=%d", what, chunk, workers), got, want)
					}
				}
			}
		}
	}
}

// TestPcodeRowTableIsFullChecks is TestPcodeRowMemoIsFullChecks (serially)
// with pcodeRows' table strained: every hash cut to two bits (rows share
// slots and probe past each other), the table started again every 3 to
// 500 rows, and the intern tables off (no cell interned: every cell is
// compared by its bytes); the rejects, notes and stored rows are still
// those of the full checks.
func TestPcodeRowTableIsFullChecks(t *testing.T) {
	m := pcodeTestMapping(t)
	for _, kind := range []string{"shuffled", "runs", "alternating"} {
		rows := pcodePlaceRows(kind, 2000, 5)
		want, wantNotes, wantRows := convertStored(t, m, rows, true)
		for _, tc := range []struct {
			collide, noIntern bool
			max               int
		}{{true, false, 3}, {true, false, 40}, {false, false, 7}, {true, false, 0}, {false, true, 500}, {true, true, 0}} {
			var rs *pcodeRows
			got, notes, stored := convertStoredWith(t, m, rows, func(c *Converter) {
				c.memo.rows = pcodeRows{collide: tc.collide, max: tc.max}
				rs = &c.memo.rows
				if tc.noIntern {
					clear(c.parts.interns)
				}
			})
			what := fmt.Sprintf("%s %+v", kind, tc)
			min := 1 // a small table holds few of the 160 places
			if tc.max == 0 || tc.max >= 500 {
				min = len(rows) / 4
			}
			if rs.found < min {
				t.Errorf("%s: %d rows found in the memo, want at least %d: the test checks little", what, rs.found, min)
			}
			if !reflect.DeepEqual(got, want) {
				diffRejects(t, what, got, want)
			}
			if !reflect.DeepEqual(notes, wantNotes) || !reflect.DeepEqual(stored, wantRows) {
				t.Errorf("%s: notes %q and %d stored rows, want %q and %d (or the rows differ)", what, notes, len(stored), wantNotes, len(wantRows))
			}
		}
	}
}

// TestPcodeRowMemoCopiesRecycledCells: rows whose cells are in a buffer
// overwritten after each Convert call (a reader's recycled memory), their
// cells interned or not: the memo remembers copies, and the rejects,
// notes and stored rows are those of the full checks.
func TestPcodeRowMemoCopiesRecycledCells(t *testing.T) {
	m := pcodeTestMapping(t)
	rows := pcodePlaceRows("shuffled", 1500, 9)
	convert := func(off, noIntern bool) ([]schemas.Reject, []string, int, int) {
		c := NewConverter(m, Provenance{File: "f.csv", RunID: "t"}, Options{})
		defer c.Release()
		c.memo.rows.off = off
		if noIntern {
			clear(c.parts.interns)
		}
		var buf []byte
		var out []schemas.Reject
		for at := 0; at < len(rows); at += 50 {
			batch := make([]ingest.Row, 0, 50)
			buf = buf[:0]
			for _, r := range rows[at:min(at+50, len(rows))] {
				for _, cell := range r.Cells {
					buf = append(buf, cell...)
				}
			}
			if len(buf) > 0 {
				poisoned := unsafe.String(&buf[0], len(buf))
				next := 0
				for _, r := range rows[at:min(at+50, len(rows))] {
					cells := make([]string, len(r.Cells))
					for j, cell := range r.Cells {
						cells[j], next = poisoned[next:next+len(cell)], next+len(cell)
					}
					batch = append(batch, ingest.Row{Line: r.Line, Cells: cells})
				}
			}
			for _, rj := range c.Convert(batch) {
				rj.Value, rj.Message, rj.Column = strings.Clone(rj.Value), strings.Clone(rj.Message), strings.Clone(rj.Column)
				out = append(out, rj)
			}
			for i := range buf {
				buf[i] = '#' // the reader reuses its memory
			}
		}
		out = append(out, c.Finish()...)
		n := 0
		for _, pr := range c.Drain(true) {
			n += int(pr.Record.NumRows())
			pr.Record.Release()
		}
		return out, c.Notes(), n, c.memo.rows.found
	}
	for _, noIntern := range []bool{false, true} {
		want, wantNotes, wantN, _ := convert(true, noIntern)
		got, notes, n, found := convert(false, noIntern)
		if found < len(rows)/2 {
			t.Errorf("noIntern=%v: %d rows found in the memo: the test checks little", noIntern, found)
		}
		what := fmt.Sprintf("noIntern=%v", noIntern)
		if !reflect.DeepEqual(got, want) {
			diffRejects(t, what, got, want)
		}
		if !reflect.DeepEqual(notes, wantNotes) || n != wantN {
			t.Errorf("%s: notes %q and %d rows, want %q and %d", what, notes, n, wantNotes, wantN)
		}
	}
}

// TestPcodeRowsKeepInternedCells: a remembered row keeps its interned
// cells themselves (not copies), so that a later row with the cells is
// found by comparing their addresses (pcodeWord), without reading them.
func TestPcodeRowsKeepInternedCells(t *testing.T) {
	m := pcodeTestMapping(t)
	c := NewConverter(m, Provenance{File: "f.csv", RunID: "t"}, Options{})
	defer c.Release()
	c.Convert(pcodePlaceRows("shuffled", 400, 3))
	pls := c.pcodeLevels
	rs := &c.memo.rows
	if rs.held == 0 {
		t.Fatal("no row remembered")
	}
	cells := 0
	for n := 1; n <= rs.held; n++ {
		pr := rs.row(uint32(n))
		for l := range int(pr.n) {
			for i, cell := range []struct {
				s    string
				slot int
			}{{pr.cells[l].code, pls[l].slot}, {pr.cells[l].name, pls[l].nameSlot}} {
				if cell.s == "" {
					continue
				}
				cells++
				tab := c.parts.interns[cell.slot]
				if id, ok := tab.ids[cell.s]; !ok || !sameString(tab.strs[id], cell.s) {
					t.Fatalf("row %d level %d cell %d %q is not its interned string", n, l, i, cell.s)
				}
				if pcodeWord(cell.s) != pr.wordsOf(l)[i] {
					t.Fatalf("row %d level %d cell %d %q: word %x, want %x", n, l, i, cell.s, pr.wordsOf(l)[i], pcodeWord(cell.s))
				}
			}
		}
	}
	if cells == 0 {
		t.Fatal("no cell checked")
	}
}

// TestPcodeRowsFindIsExact: find gives the remembered row for the cells
// it was remembered with, by the previous row or by the table, and no row
// for a country or a cell that differs from them in its length only (the
// same address), or in its bytes only (names of 40,000 bytes, too long
// for a pcodeWord).
func TestPcodeRowsFindIsExact(t *testing.T) {
	m := pcodeTestMapping(t)
	long := strings.Repeat("a", 40000)
	for _, name3 := range []string{"Payam 2", long} {
		c := NewConverter(m, Provenance{File: "f.csv", RunID: "t"}, Options{})
		defer c.Release()
		if rj := c.Convert([]ingest.Row{{Line: 2, Cells: []string{"SDN", "SD01", "North", "SD0101", "County 1", "SD010101", name3, "5"}}}); len(rj) > 0 {
			t.Fatalf("unexpected reject %+v", rj[0])
		}
		rs, pls := &c.memo.rows, c.pcodeLevels
		if rs.held != 1 {
			t.Fatalf("%d rows remembered, want 1", rs.held)
		}
		pr := rs.row(1)
		name, code := c.slotValue(pls[2].nameSlot), c.slotValue(pls[1].slot)
		for _, viaLast := range []bool{true, false} {
			what := fmt.Sprintf("name of %d bytes, viaLast=%v", len(name3), viaLast)
			find := func(iso string) *pcodeRow {
				if !viaLast {
					rs.last = nil
				}
				return rs.find(c, iso, pls)
			}
			if got := find("SDN"); got != pr {
				t.Fatalf("%s: the row's own cells found %p, want %p", what, got, pr)
			}
			for _, iso := range []string{"SDN\x00", "SD", "SDNX", "NGA", ""} {
				if find(iso) != nil {
					t.Errorf("%s: country %q found the row of SDN", what, iso)
				}
			}
			saved, savedCode := *name, *code
			for _, s := range []string{strings.Repeat("b", len(name3)), name3[1:], name3 + "a", name3[:len(name3)-1], ""} {
				name.s, name.sid = s, 0
				if find("SDN") != nil {
					t.Errorf("%s: a name of %d bytes %.3q… found the row", what, len(s), s)
				}
			}
			*name = saved
			code.s = savedCode.s[:5] // the code's first bytes: the same address, another length
			if find("SDN") != nil {
				t.Errorf("%s: code %q found the row of SD0101", what, code.s)
			}
			code.set = false
			if find("SDN") != nil {
				t.Errorf("%s: a row without the admin 2 code found the row", what)
			}
			*code = savedCode
		}
	}
}

// TestPcodeRowsFindBySid: a row is found by the intern number of its
// deepest code (bySid) with pcodeRows' hash table emptied, and only by
// all of its cells: a row with the same deepest code but another name,
// parent or country is not found there; a row remembered later under the
// same code takes its place; the table started again forgets them all.
func TestPcodeRowsFindBySid(t *testing.T) {
	m := pcodeTestMapping(t)
	c := NewConverter(m, Provenance{File: "f.csv", RunID: "t"}, Options{})
	defer c.Release()
	row := func(cells ...string) []string {
		base := []string{"SDN", "SD01", "North", "SD0101", "County 1", "SD010101", "Payam 1", "5"}
		for i, s := range cells {
			if s != "" {
				base[i] = s
			}
		}
		return base
	}
	convert := func(line int, cells []string) {
		t.Helper()
		cells = slices.Clone(cells)
		cells[7] = fmt.Sprint(line) // not a duplicate row
		if rj := c.Convert([]ingest.Row{{Line: line, Cells: cells}}); len(rj) > 0 {
			t.Fatalf("unexpected reject %+v", rj[0])
		}
	}
	rs := &c.memo.rows
	// find with the row's cells in c's values, only through bySid.
	find := func() *pcodeRow {
		rs.last = nil
		saved := slices.Clone(rs.tab)
		clear(rs.tab)
		defer copy(rs.tab, saved)
		return rs.find(c, "SDN", c.pcodeLevels)
	}
	first := row()
	convert(2, first)
	if l, sid := rs.key(c, c.pcodeLevels); l != 2 || sid <= 0 {
		t.Fatalf("deepest code at level %d, number %d: the test checks no interned code", l, sid)
	}
	pr := rs.row(1)
	if got := find(); got != pr {
		t.Fatalf("the row's own cells found %p by their deepest code, want %p", got, pr)
	}
	for i, other := range [][]string{row("", "", "", "", "", "", "Payam 2"), row("", "", "", "SD010"), row("", "", "South")} {
		convert(3+i, other)
		if got := find(); got == nil || got == pr || got.cells[2].name != other[6] || got.cells[1].code != other[3] || got.cells[0].name != other[2] {
			t.Fatalf("row %q: found %+v by its deepest code, want its own row", other, got)
		}
		convert(10+i, first)
		if got := find(); got != pr {
			t.Fatalf("the first row after %q: found %p by its deepest code, want %p", other, got, pr)
		}
	}
	convert(15, row("", "", "", "", "", "SD010103"))
	rs.max = rs.held // start again at the next row remembered
	convert(20, row("", "", "", "", "", "SD010102"))
	if got := find(); got == nil || got.cells[2].code != "SD010102" {
		t.Fatalf("a new row after the table started again: found %+v", got)
	}
	for l := range rs.bySid {
		for sid, n := range rs.bySid[l] {
			if n > 0 && (int(n) > rs.held) {
				t.Errorf("level %d code %d: row %d of a table of %d", l, sid, n, rs.held)
			}
		}
	}
	convert(21, first)
	if got := find(); got == nil || got.cells[2].code != "SD010101" {
		t.Fatalf("the first row remembered again: found %+v", got)
	}
}
