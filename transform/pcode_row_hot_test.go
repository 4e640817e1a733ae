package transform

import (
	"strings"
	"testing"
)

// TestPcodeHotRowsHoldOnlyTheRowsCells: pcodeHotRows holds a full row of
// its generation only when the row's cells are the remembered row's very
// strings (an equal copy elsewhere, say in a reader's buffer, has other
// words that could later be another string's), finds it by those words
// alone, replays its nesting codes and slots, and drops its rows when the
// checks' generation changes.
func TestPcodeHotRowsHoldOnlyTheRowsCells(t *testing.T) {
	cells := [pcodeRowLevels]struct{ code, name string }{{"SD01", "North"}, {"SD0102", "County 2"}, {"SD010203", "Payam 3"}}
	pr := &pcodeRow{iso: "SDN", n: 4, full: true, gen: 1, nest: 0b110, slots: [pcodeRowLevels]uint16{1, 2, 3}, cells: cells}
	var k pcodeHotKey
	for l := range pcodeRowHot {
		pr.has |= (pcodeRowCode | pcodeRowName) << (2 * l)
		pr.words[l] = [2]uint64{pcodeWord(cells[l].code), pcodeWord(cells[l].name)}
	}
	k.words, k.has, k.level, k.sid = pr.words, pr.has, 2, 5
	iso := pcodeHotIso("SDN")

	hot := pcodeHotRows{gen: 1}
	if hot.find(&k, iso, 4, 1) != nil {
		t.Fatal("an empty table found a row")
	}
	// An equal name that is not the row's string: not held.
	copied := k
	copied.words[2][1] = pcodeWord(strings.Clone(cells[2].name))
	hot.put(&copied, pr)
	if hot.find(&copied, iso, 4, 1) != nil || hot.find(&k, iso, 4, 1) != nil {
		t.Fatal("a row was held for cells that are not its own strings")
	}
	hot.put(&k, pr)
	h := hot.find(&k, iso, 4, 1)
	if h == nil {
		t.Fatal("the full row was not held")
	}
	for _, miss := range []struct {
		iso uint64
		n   int
	}{{pcodeHotIso("SSD"), 4}, {pcodeHotIso("SDNX"), 4}, {pcodeHotIso(""), 4}, {iso, 3}} {
		if hot.find(&k, miss.iso, miss.n, 1) != nil {
			t.Errorf("found for country %x, %d levels", miss.iso, miss.n)
		}
	}
	p := pcodeFileChecks{slotRows: make([]uint32, 4)}
	p.replayHot(h)
	p.replayHot(h)
	if p.nested != [8]int{0, 0, 2, 2} || p.slotRows[1] != 2 || p.slotRows[2] != 2 || p.slotRows[3] != 2 || p.slotRows[0] != 0 {
		t.Errorf("replayed nested %v, slot rows %v", p.nested, p.slotRows)
	}
	if hot.find(&k, iso, 4, 0) != nil || hot.find(&k, iso, 4, 2) != nil {
		t.Fatal("a row of another generation was found")
	}
	hot.put(&k, pr) // of generation 1: the checks' is 1 again
	if hot.find(&k, iso, 4, 2) != nil {
		t.Fatal("a row of another generation was found")
	}
	pr.gen, pr.full = 2, false
	hot.put(&k, pr)
	if hot.find(&k, iso, 4, 2) != nil {
		t.Fatal("a row that is not full was held")
	}
}
