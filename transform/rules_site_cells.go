package transform

import (
	"strings"
	"time"

	"github.com/iom-dtm/dtm/transform/cast"
)

// The site rules' answers per distinct cell. A site file names one
// country and one round, or a few, on every row, and a few hundred survey
// dates: the country (missing-value test, country lookup), the round
// (missing-value test, round parse, label trim) and the end of the survey
// date (a second parse of the date cell) are pure functions of the cell,
// so a converter remembers them for the cells it has seen (its siteRefs),
// and a repeated cell costs a comparison or two. Only answers that gave no
// reject are remembered: a cell with a warning or an error takes the full
// rule again, and warns again. On a 1 M-row ingest profiled (3 countries
// and 2 rounds interleaved row by row) applyCountry, applyRound and
// applyDateEnd took 0.13, 0.07 and 0.07 CPU s; at 10 M, 1.54, 0.94 and
// 0.75 s of 86.

// recentCells remembers the answers of the last few distinct cells of a
// column, most recently added first (a find does not reorder: the cells
// of a file's few countries or rounds stay). A column whose cells keep
// changing past what it holds (more than recentCellsAdds added) is no
// longer remembered: each add copies the cell.
type recentCells[T any] struct {
	n    int
	cell [4]string
	val  [4]T
	adds int
}

// recentCellsAdds bounds the cells a recentCells adds.
const recentCellsAdds = 256

// find returns the answer remembered for raw.
func (rc *recentCells[T]) find(raw string) (v T, ok bool) {
	for i := range rc.n {
		if rc.cell[i] == raw {
			return rc.val[i], true
		}
	}
	return v, false
}

// add remembers v for raw (copied: it may point into a reader's buffer),
// dropping the oldest cell when full.
func (rc *recentCells[T]) add(raw string, v T) {
	if rc.adds >= recentCellsAdds {
		return
	}
	rc.adds++
	rc.n = min(rc.n+1, len(rc.cell))
	copy(rc.cell[1:rc.n], rc.cell[:rc.n-1])
	copy(rc.val[1:rc.n], rc.val[:rc.n-1])
	rc.cell[0], rc.val[0] = strings.Clone(raw), v
}

// roundCell is what applyRound makes of a round cell that parses: its
// number and its label (the cell trimmed).
type roundCell struct {
	n     int64
	label string
}

// dateEnds remembers what parseDate made of the survey date cells of up
// to 16 bytes (DTM writes ISO dates, "2025-09-14"), in a table indexed by
// a hash of the cell, one cell a slot (a later cell takes the slot): a
// cell is compared by its bytes in two words (strWords) and its length.
type dateEnds struct {
	slots []dateEndSlot // nil until the first add
}

// dateEndSlot is one cell of dateEnds and parseDate's answer: start and
// end when ok (not missing, no error).
type dateEndSlot struct {
	lo, hi uint64
	n      int8 // len(cell) + 1; 0: empty
	ok     bool
	ord    cast.DateOrder
	s, e   time.Time
}

// dateEndSlots is the size of a dateEnds table (144 KB, of which a file
// touches a slot per distinct date): the 338 dates of the bench file in
// 512 slots still met in a slot often enough to show parseDate in a
// profile.
const dateEndSlots = 2048

// parse returns parseDate(raw, ord)'s start and end, and whether it gave
// them (not missing, no error), from the table when raw was seen with ord.
func (de *dateEnds) parse(c *Converter, raw string, ord cast.DateOrder) (s, e time.Time, ok bool) {
	if len(raw) > 16 {
		s, e, missing, err := c.parseDate(raw, ord)
		return s, e, err == nil && !missing
	}
	lo, hi, h := strWords(raw)
	if de.slots == nil {
		de.slots = make([]dateEndSlot, dateEndSlots)
	}
	d := &de.slots[h&(dateEndSlots-1)]
	if d.n == int8(len(raw)+1) && d.lo == lo && d.hi == hi && d.ord == ord {
		return d.s, d.e, d.ok
	}
	s, e, missing, err := c.parseDate(raw, ord)
	ok = err == nil && !missing
	*d = dateEndSlot{lo: lo, hi: hi, n: int8(len(raw) + 1), ok: ok, ord: ord, s: s, e: e}
	return s, e, ok
}
