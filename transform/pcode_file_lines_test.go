package transform

import (
	"strings"
	"testing"
)

// TestPcodeNameLinesBeyondUint32: the rows of a p-code's name are kept as
// uint32; a row number past 2³²-1 is counted, not listed, and the warning
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
