package transform

import (
	"fmt"
	"strings"
	"testing"
)

// TestPcodeNameLinesBeyondUint32: the rows of a p-code's name are listed up
// to 2³²-1; a row number past it is counted, not listed, and the warning
// for the rows not listed says how many there are.
func TestPcodeNameLinesBeyondUint32(t *testing.T) {
	var p pcodeFileChecks
	e := p.entry(1, "AA01", "Admin1 Pcode")
	for _, l := range []int{2, 3, 4} {
		e.note(&p.lines, "North", l)
	}
	e.note(&p.lines, "Nord", 5)
	e.note(&p.lines, "Nord", 1<<33)
	out, _ := p.finish("f.csv", "")
	var rows []int
	more := false
	for _, rj := range out {
		rows = append(rows, rj.Row)
		if rj.Row == 0 && strings.Contains(rj.Message, "and 1 more rows") {
			more = true
		}
	}
	if len(rows) != 2 || rows[0] != 5 || !more {
		t.Fatalf("warnings at rows %v (more: %v), want row 5 and one 'and 1 more rows'", rows, more)
	}
}

// TestLineList: rows in any order, 1 to 2³²-1 apart, come back as listed;
// rows that follow one another take a byte each; appendFrom lists a later
// chunk's rows after n's up to pcodeFileMaxLines and counts them all.
func TestLineList(t *testing.T) {
	want := []int{1, 2, 3, 4000, 17, 1<<32 - 1, 1, 70000, 70001}
	var l lineList
	for _, w := range want {
		l.add(uint32(w))
	}
	var got []int
	l.each(func(line int) bool { got = append(got, line); return true })
	if fmt.Sprint(got) != fmt.Sprint(want) || l.n != len(want) {
		t.Fatalf("got %v (n %d), want %v", got, l.n, want)
	}
	var seq lineList
	for line := 100; line < 1100; line++ {
		seq.add(uint32(line))
	}
	if len(seq.b) != 1001 { // the first delta (100) takes 2 bytes
		t.Errorf("1,000 rows one after another take %d bytes", len(seq.b))
	}
	var a, b pcodeNameRows
	var arena lineArena
	for line := 1; line <= 600; line++ {
		a.addIn(&arena, line)
		b.addIn(&arena, 1000+line)
	}
	b.rows += 5 // rows past 2³²-1, counted but not listed
	a.appendFrom(&b)
	if a.rows != 1205 || a.lines.n != pcodeFileMaxLines {
		t.Fatalf("rows %d, listed %d; want 1205 and %d", a.rows, a.lines.n, pcodeFileMaxLines)
	}
	last := 0
	a.lines.each(func(line int) bool { last = line; return true })
	if last != 1400 {
		t.Fatalf("last row listed %d, want 1400", last)
	}
}
