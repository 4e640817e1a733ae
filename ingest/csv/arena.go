package csv

import (
	"unsafe"

	"github.com/iom-dtm/dtm/ingest"
)

// Recycled rows (Reader.RecycleRows): the memory the rows of one Next call
// are made of (their cells' text, the cells, the row slice) comes from one
// arena of a ring; the arena is reused, not reallocated, by the call that
// many calls later. A 1 M-row site ingest read its 175 MB file into about
// 550 MB of fresh strings, cell slabs and row slices (one string per
// record, one slab per 2 Ki cells, one row slice per call), all garbage a
// chunk later; a ring of arenas allocates that once.
//
// The contract is the caller's to keep: a string of a row must not be kept
// once the arena is reused; whoever keeps one copies it (strings.Clone).
// Poisoning (tests, --allocator poison) overwrites an arena before reuse so
// that a string kept by mistake changes visibly instead of silently (and
// is not reused: see arena.reset).

const (
	// textBlock is the size of an arena's blocks of cell text: a few
	// blocks per chunk of 4 Ki rows.
	textBlock = 256 << 10
	// maxArenaText is the longest record text taken from an arena; a
	// longer one is a string of its own (it would waste a block).
	maxArenaText = textBlock / 4
	// PoisonByte overwrites the text of a poisoned arena before reuse.
	PoisonByte = 0xA5
)

// poisonCell overwrites the cells of a poisoned arena before reuse.
const poisonCell = "\xa5POISONED CELL\xa5"

// arena is the memory of the rows of one Next call.
type arena struct {
	text  [][]byte // text blocks; text[ti] is being filled (len = bytes used)
	ti    int
	cells [][]string // cell slabs handed out, in order; cells[ci] is the next one
	ci    int
	rows  []ingest.Row
}

// str returns a copy of b in the arena.
func (a *arena) str(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if n > maxArenaText {
		return string(b)
	}
	for {
		if a.ti == len(a.text) {
			a.text = append(a.text, make([]byte, 0, textBlock))
		}
		blk := a.text[a.ti]
		if len(blk)+n <= cap(blk) {
			blk = append(blk, b...)
			a.text[a.ti] = blk
			return unsafe.String(&blk[len(blk)-n], n)
		}
		a.ti++
	}
}

// unstr gives back the last n bytes taken by str (a string made for a
// record that the caller parsed another way and never handed out).
func (a *arena) unstr(s string) {
	n := len(s)
	if n == 0 || n > maxArenaText || a.ti == len(a.text) {
		return
	}
	blk := a.text[a.ti]
	if len(blk) >= n && unsafe.StringData(s) == &blk[len(blk)-n] {
		a.text[a.ti] = blk[:len(blk)-n]
	}
}

// slab returns a slab of at least n cells for recordSource.take.
func (a *arena) slab(n int) []string {
	n = max(n, slabCells)
	for ; a.ci < len(a.cells); a.ci++ {
		if s := a.cells[a.ci]; len(s) >= n {
			a.ci++
			return s
		}
	}
	s := make([]string, n)
	a.cells = append(a.cells, s)
	a.ci = len(a.cells)
	return s
}

// rowSlice returns an empty row slice of capacity at least n.
func (a *arena) rowSlice(n int) []ingest.Row {
	if cap(a.rows) < n {
		a.rows = make([]ingest.Row, 0, n)
	}
	return a.rows[:0]
}

// keepRows remembers the row slice handed out (append may have grown it).
func (a *arena) keepRows(rows []ingest.Row) {
	if cap(rows) > cap(a.rows) {
		a.rows = rows
	}
}

// reset makes the arena's memory free for the rows of another call. With
// poison it is overwritten and dropped instead, as bufpool's poisoning
// pool does: a string kept past its arena's reuse then reads PoisonByte
// (and a kept cell poisonCell) for good, rather than another row's text.
func (a *arena) reset(poison bool) {
	if poison {
		for _, blk := range a.text {
			blk = blk[:cap(blk)]
			for j := range blk {
				blk[j] = PoisonByte
			}
		}
		for _, s := range a.cells {
			for j := range s {
				s[j] = poisonCell
			}
		}
		rows := a.rows[:cap(a.rows)]
		for i := range rows {
			rows[i] = ingest.Row{Line: -1}
		}
		*a = arena{}
		return
	}
	for i := range a.text {
		a.text[i] = a.text[i][:0]
	}
	a.ti, a.ci = 0, 0
}

// rowRing is the ring of arenas of Reader.RecycleRows.
type rowRing struct {
	arenas []*arena
	calls  int // Next calls since RecycleRows
	poison bool
}

// next returns the arena of the next Next call, reset.
func (g *rowRing) next() *arena {
	a := g.arenas[g.calls%len(g.arenas)]
	if a == nil {
		a = &arena{}
		g.arenas[g.calls%len(g.arenas)] = a
	} else {
		a.reset(g.poison)
	}
	g.calls++
	return a
}
