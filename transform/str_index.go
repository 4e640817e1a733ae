package transform

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// strIndex numbers up to maxStrIndex distinct strings and finds a string's
// number by its text: an open-addressing table probed linearly, at most
// half full, whose slot holds the string's length, its number + 1 (0:
// empty) and two words of its bytes (strWords): the first 8 and the last 8
// bytes, which for a string of up to 16 bytes are all of it. So a short
// cell (a p-code, a date, a name) is found by comparing three numbers in
// the slot, without reading the string; a longer one is compared with the
// string kept too. It is what a map[string]int32 of the cell memos was
// (cell_memo.go), at a fraction of the cost per lookup.
//
// The hash is not keyed: a hostile file can make its cells collide and
// slow the lookups of its own conversion (at most maxStrIndex strings, so
// a probe sequence is bounded), never change a result: a string is found
// only by comparing all of its bytes.
type strIndex = strTable[struct{}]

// strTable is a strIndex whose slots also hold a payload P per string: a
// lookup that finds a string reads its payload in the same slot (one
// cache line, or two adjacent ones), not in a separate array by number
// (the cell memos, cell_memo.go).
type strTable[P any] struct {
	slots []strSlot[P]
	keys  []string // by number (the caller's strings, not copied)
}

// strSlot is one slot of a strTable.
type strSlot[P any] struct {
	p      P      // first: a P of no size (strIndex) adds no padding
	lo, hi uint64 // strWords of the string
	n      uint32 // its length (strings are shorter than 4 GiB: cells)
	id     uint32 // its number + 1; 0: an empty slot
}

// maxStrIndex is the number of strings an index holds at most.
const maxStrIndex = 1 << 16

// find returns the number of s, or -1.
func (x *strTable[P]) find(s string) int32 {
	if len(x.slots) == 0 {
		return -1
	}
	lo, hi, h := strWords(s)
	return x.findWords(s, lo, hi, h)
}

// findWords is find(s) given strWords(s).
func (x *strTable[P]) findWords(s string, lo, hi, h uint64) int32 {
	if e := x.lookup(s, lo, hi, h); e != nil {
		return int32(e.id - 1)
	}
	return -1
}

// lookup returns the slot of s, given strWords(s), or nil. The slot is
// valid until the next add.
func (x *strTable[P]) lookup(s string, lo, hi, h uint64) *strSlot[P] {
	if len(x.slots) == 0 {
		return nil
	}
	n := uint32(len(s))
	mask := len(x.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		e := &x.slots[i]
		if e.id == 0 {
			return nil
		}
		if e.lo == lo && e.hi == hi && e.n == n && (n <= 16 || x.keys[e.id-1] == s) {
			return e
		}
	}
}

// add numbers s, which must not be in the index (find gave -1), and
// returns its number, or -1 when the index is full. The index keeps s
// itself: the caller passes a string that outlives it.
func (x *strTable[P]) add(s string) int32 {
	var p P
	return x.addWith(s, p)
}

// addWith is add, p the payload of s.
func (x *strTable[P]) addWith(s string, p P) int32 {
	if len(x.keys) >= maxStrIndex || uint64(len(s)) >= 1<<32 {
		return -1
	}
	if 2*(len(x.keys)+1) > len(x.slots) {
		x.grow(max(16, 2*len(x.slots)))
	}
	x.keys = append(x.keys, s)
	lo, hi, h := strWords(s)
	x.place(strSlot[P]{p: p, lo: lo, hi: hi, n: uint32(len(s)), id: uint32(len(x.keys))}, h)
	return int32(len(x.keys) - 1)
}

// place stores e, of a string hashing to h, in its first empty slot.
func (x *strTable[P]) place(e strSlot[P], h uint64) {
	mask := len(x.slots) - 1
	i := int(h) & mask
	for x.slots[i].id != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = e
}

// grow makes the table n slots (a power of two) and places the strings
// (and their payloads) again.
func (x *strTable[P]) grow(n int) {
	old := x.slots
	x.slots = make([]strSlot[P], n)
	for i := range old {
		if e := &old[i]; e.id != 0 {
			_, _, h := strWords(x.keys[e.id-1])
			x.place(*e, h)
		}
	}
}

// strWords returns two words of the bytes of s and its hash. A string of 8
// to 16 bytes is read as two overlapping little-endian words (the first
// and the last 8 bytes), one of 4 to 7 bytes as two overlapping 4-byte
// words, one of 1 to 3 bytes as its first, middle and last bytes: with
// the length, the words are the whole string. A longer string gives its
// first and last 8 bytes and a hash of all of its bytes. Equal strings
// give equal words and hashes; that is all the index relies on.
func strWords(s string) (lo, hi, h uint64) {
	const k0, k1, k2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
	n := len(s)
	b := unsafe.Slice(unsafe.StringData(s), n)
	acc := uint64(n)
	switch {
	case n > 16:
		// The bytes between the first and the last 8, a word at a time,
		// the last word ending where the last 8 bytes start.
		mid := b[8 : n-8]
		for ; len(mid) >= 8; mid = mid[8:] {
			h, l := bits.Mul64(binary.LittleEndian.Uint64(mid)^k0, acc^k1)
			acc = h ^ l
		}
		if len(mid) > 0 {
			h, l := bits.Mul64(binary.LittleEndian.Uint64(b[n-16:])^k0, acc^k1)
			acc = h ^ l
		}
		fallthrough
	case n >= 8:
		lo, hi = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[n-8:])
	case n >= 4:
		lo, hi = uint64(binary.LittleEndian.Uint32(b)), uint64(binary.LittleEndian.Uint32(b[n-4:]))
	case n > 0:
		lo = uint64(b[0])<<16 | uint64(b[n>>1])<<8 | uint64(b[n-1])
	}
	m1, m0 := bits.Mul64(lo^k0^acc, hi^k1)
	m1, m0 = bits.Mul64(m1^m0^k2, k0)
	return lo, hi, m1 ^ m0
}

// strMemo remembers a value per string (at most maxStrIndex strings): a
// map[string]V on a strIndex, for the per-cell caches whose keys are short
// cells.
type strMemo[V any] struct {
	idx  strIndex
	vals []V // by the key's number
}

// get returns the value remembered for s.
func (m *strMemo[V]) get(s string) (v V, ok bool) {
	if id := m.idx.find(s); id >= 0 {
		return m.vals[id], true
	}
	return v, false
}

// put remembers v for key, which must not be remembered yet and must
// outlive the memo (a copy of a cell), unless the memo is full.
func (m *strMemo[V]) put(key string, v V) {
	if m.idx.add(key) >= 0 {
		m.vals = append(m.vals, v)
	}
}

// len is the number of strings remembered.
func (m *strMemo[V]) len() int { return len(m.vals) }
