package transform

import (
	"math"
	"unsafe"
)

// The repeat of a full row (pcodeRow.full: its names list no more rows)
// only counts its nesting codes and its names' rows at their slots
// (replayRow). pcodeHotRows finds such a row in one cache line, indexed
// by its deepest code's intern number, that holds all it needs: the
// cells' words to compare and the effects to replay. pcodeRows.find read
// the remembered row (384 bytes, 600 KB for a file's 1,500 places) after
// bySid, a DRAM miss a row on a file of a few thousand places in any
// order: matches was 1.54 s of 52 s of a 10 M-row ingest, 1.22 s of it on
// the row's first word.

// pcodeHotRow is a full row of at most pcodeRowHot levels with cells
// (deeper levels, up to pcodeRowLevels, have none), one cache line.
type pcodeHotRow struct {
	// words are the cells' pcodeWords, per level (0: not set), as in
	// pcodeRow.words.
	words [pcodeRowHot][2]uint64
	// iso is the country's pcodeHotIso.
	iso uint64
	// slots are the row's names' slots (pcodeRow.slots; 0: none).
	slots [pcodeRowHot]uint16
	// has is pcodeRow.has (0: no row here: a row found here has a code).
	has uint8
	// meta is the row's levels (pcodeRow.n, 3 bits) and nest (pcodeRow.nest
	// of the first pcodeRowHot levels) shifted by 3.
	meta uint8
}

// A row of the table is a cache line: this does not compile unless.
var _ = [unsafe.Sizeof(pcodeHotRow{}) - 64]struct{}{}
var _ = [64 - unsafe.Sizeof(pcodeHotRow{})]struct{}{}

// pcodeHotSidMax bounds the intern numbers whose rows pcodeHotRows holds
// (1 MB a level at most).
const pcodeHotSidMax = 1 << 14

// pcodeHotRows holds full rows (pcodeHotRow) by the level and intern
// number of their deepest code: the latest one to be found there. The
// words of a row's cells are those of a row remembered in pcodeRows
// (which keeps their strings, so that no other string can have their
// words): the table is emptied when a remembered row changes (add of the
// same cells, pcodeRows starting again) or the checks' generation does
// (gen: the rows and slots are of one generation).
type pcodeHotRows struct {
	bySid [pcodeRowHot][]pcodeHotRow
	// held tells the numbers with a row in bySid, a bit each: a row that
	// is not full (most rows of a file's first million) is not looked up
	// in bySid, whose line it would read for nothing (a cache miss more a
	// row: the checks of the first 3 M rows of the bench's 10 M file took
	// 1.26 and 1.38 -> 1.70 and 1.73 s of profile without it).
	held [pcodeRowHot][]uint64
	gen  uint64
	n    int // rows put since the table was emptied
}

// pcodeHotIso is a country of up to 7 bytes and its length in a word
// (math.MaxUint64, which no shorter one has, for a longer one: not held).
func pcodeHotIso(s string) uint64 {
	if len(s) > 7 {
		return math.MaxUint64
	}
	w := uint64(len(s)) << 56
	for i := 0; i < len(s); i++ {
		w |= uint64(s[i]) << (8 * i)
	}
	return w
}

// pcodeHotKey is what pcodeHotRows compares of a row: its cells' words
// and which are set, the level and intern number of its deepest code.
type pcodeHotKey struct {
	words [pcodeRowHot][2]uint64
	has   uint8
	level int
	sid   int32
}

// pcodeHotKeyOf returns the pcodeHotKey of the row whose cells are c's values at
// the slots of pls; ok is false for a row the table cannot hold (a cell
// past pcodeRowHot levels or without a word, no interned code).
func pcodeHotKeyOf(c *Converter, pls []pcodeLevel) (k pcodeHotKey, ok bool) {
	k.level = -1
	for l, pl := range pls {
		v, nv := c.slotValue(pl.slot), c.slotValue(pl.nameSlot)
		codeSet, nameSet := v != nil && v.set, nv != nil && nv.set
		if !codeSet && !nameSet {
			continue
		}
		if l >= pcodeRowHot {
			return k, false
		}
		if codeSet {
			if k.words[l][0] = pcodeWord(v.s); k.words[l][0] == 0 {
				return k, false
			}
			k.has |= pcodeRowCode << (2 * l)
			k.level, k.sid = l, v.sid
		}
		if nameSet {
			if k.words[l][1] = pcodeWord(nv.s); k.words[l][1] == 0 {
				return k, false
			}
			k.has |= pcodeRowName << (2 * l)
		}
	}
	return k, k.level >= 0 && k.sid > 0 && k.sid < pcodeHotSidMax
}

// find returns the full row whose cells are k's (country iso, n levels)
// in generation gen, nil if the table does not hold it.
func (t *pcodeHotRows) find(k *pcodeHotKey, iso uint64, n int, gen uint64) *pcodeHotRow {
	if t.gen != gen {
		t.empty()
		t.gen = gen
		return nil
	}
	if w := uint(k.sid) / 64; w >= uint(len(t.held[k.level])) || t.held[k.level][w]&(1<<(uint(k.sid)%64)) == 0 {
		return nil
	}
	h := &t.bySid[k.level][k.sid]
	if h.has != k.has || h.iso != iso || int(h.meta&7) != n || h.words != k.words {
		return nil
	}
	return h
}

// put holds pr, a remembered row found for the row of k, of the checks'
// current generation, in place of the row with the same deepest code, if
// any: when pr is full and its cells are the row's by their words (the
// very strings pr keeps, not equal strings elsewhere). The rows of
// another generation are dropped.
func (t *pcodeHotRows) put(k *pcodeHotKey, pr *pcodeRow) {
	if t.gen != pr.gen {
		t.empty()
		t.gen = pr.gen
	}
	iso := pcodeHotIso(pr.iso)
	if !pr.full || iso == math.MaxUint64 || pr.n > 7 ||
		pr.has != k.has || pr.words != k.words || pr.nest>>pcodeRowHot != 0 {
		return
	}
	if int(k.sid) >= len(t.bySid[k.level]) {
		t.bySid[k.level] = append(t.bySid[k.level], make([]pcodeHotRow, min(max(int(k.sid)+1, 2*len(t.bySid[k.level])), pcodeHotSidMax)-len(t.bySid[k.level]))...)
		t.held[k.level] = append(t.held[k.level], make([]uint64, (len(t.bySid[k.level])+63)/64-len(t.held[k.level]))...)
	}
	h := &t.bySid[k.level][k.sid]
	*h = pcodeHotRow{words: k.words, iso: iso, has: pr.has, meta: pr.n | pr.nest<<3}
	copy(h.slots[:], pr.slots[:pcodeRowHot])
	t.held[k.level][k.sid/64] |= 1 << (uint(k.sid) % 64)
	t.n++
}

// empty drops the rows held.
func (t *pcodeHotRows) empty() {
	if t.n == 0 {
		return
	}
	for l := range t.held {
		clear(t.held[l])
	}
	t.n = 0
}

// replayHot does what replayRow does for a full row, for the row h.
func (p *pcodeFileChecks) replayHot(h *pcodeHotRow) {
	nest := h.meta >> 3
	for l := range pcodeRowHot {
		if nest&(1<<l) != 0 {
			p.nested[l+1]++
		}
		if s := h.slots[l]; s > 0 {
			p.slotRows[s]++
		}
	}
}
