package query

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// On the index path, a row's 'reasons' group is looked for among the
// groups of recent rows' lists before its key is built and hashed: DTM
// sources hold a few dozen distinct lists of displacement reasons at most
// (one vocabulary, a few combinations), so a small cache keyed by the row's
// country, round and list finds almost every row's group by comparing a
// few short strings. A miss (a new list, or one evicted) builds the key and
// finds the group as the string path does, so both paths make the same
// groups.

// reasonsSlots is the size of the cache (a power of two).
const reasonsSlots = 64

// reasonsCache is a direct-mapped cache of 'reasons' groups.
type reasonsCache struct {
	slots [reasonsSlots]reasonsEntry
	// raw are the list elements of the record being added, when they are
	// a string array without NULLs (as the converter builds them): a
	// list's elements are then read from its buffers, not one Value call
	// (an interface call and a bounds check) at a time.
	raw rawStrings
	// noNullLists: the record's list column has no NULL list, so no
	// row's list is checked for NULL (as the converter builds them). With
	// signList's signature of the elements' bytes as a whole, not element
	// by element, measured against main ee57006: cachegrind of
	// BenchmarkSummaryBuilderDTMCold (DTM_BENCH_ROWS=50000, 2 iterations),
	// the query package's instructions 106.7 M -> 104.6 M; 226 -> 198 and
	// 197 -> 176 thread CPU ns a row (medians of two runs of 8 alternated
	// pairs, new faster in 7 and 6).
	noNullLists bool
}

// start prepares rc for the record of columns c.
func (rc *reasonsCache) start(c *summaryCols) {
	rc.raw.set(c.reasonVals)
	rc.noNullLists = c.reasons != nil && c.reasons.NullN() == 0
}

// isNull reports whether row i's list is NULL (l: the record's lists).
func (rc *reasonsCache) isNull(l *array.List, i int) bool {
	return l == nil || (!rc.noNullLists && l.IsNull(i))
}

// rawStrings are the buffers of a string array without NULLs: element j
// is data[offs[j]-offs[0] : offs[j+1]-offs[0]].
type rawStrings struct {
	ok   bool
	offs []int32
	data []byte
}

// set points r at the elements vals of a record's lists (ok false unless
// they are a string array without NULLs).
func (r *rawStrings) set(vals strCol) {
	*r = rawStrings{}
	if a, isStr := vals.(*array.String); isStr && a.NullN() == 0 {
		r.ok, r.offs, r.data = true, a.ValueOffsets(), a.ValueBytes()
	}
}

// span is the bytes of elements start to end (exclusive).
func (r *rawStrings) span(start, end int) []byte {
	return r.data[r.offs[start]-r.offs[0] : r.offs[end]-r.offs[0]]
}

// reasonsEntry is a remembered list with its country's string number, its
// round and its group.
type reasonsEntry struct {
	g1      int32 // group + 1; 0: empty
	country uint32
	roundOK bool
	round   int64
	null    bool    // a NULL list
	elems   []int32 // the elements' lengths; -1: a NULL element
	data    []byte  // the elements' bytes, one after another
}

// reasonsGroup is the group of row i's list (country: its country's string
// number, round and roundOK its round), if remembered.
func (m *summaryMemo) reasonsGroup(c *summaryCols, i int, country uint32, round int64, roundOK bool) (int32, bool) {
	e := m.reasons.slot(c, i, country, round)
	if e.g1 == 0 || e.country != country || e.roundOK != roundOK || (roundOK && e.round != round) || !e.holds(&m.reasons, c, i) {
		return 0, false
	}
	return e.g1 - 1, true
}

// setReasonsGroup remembers g as the group of row i's list, in place of the
// list its slot held.
func (m *summaryMemo) setReasonsGroup(c *summaryCols, i int, country uint32, round int64, roundOK bool, g int32) {
	e := m.reasons.slot(c, i, country, round)
	*e = reasonsEntry{g1: g + 1, country: country, roundOK: roundOK, round: round, elems: e.elems[:0], data: e.data[:0]}
	if c.reasons == nil || c.reasons.IsNull(i) {
		e.null = true
		return
	}
	start, end := c.reasons.ValueOffsets(i)
	for j := int(start); j < int(end); j++ {
		if c.reasonVals.IsNull(j) {
			e.elems = append(e.elems, -1)
			continue
		}
		v := c.reasonVals.Value(j)
		e.elems = append(e.elems, int32(len(v)))
		e.data = append(e.data, v...)
	}
}

// holds reports whether e's list is row i's.
func (e *reasonsEntry) holds(rc *reasonsCache, c *summaryCols, i int) bool {
	if rc.isNull(c.reasons, i) {
		return e.null
	}
	if e.null {
		return false
	}
	start, end := c.reasons.ValueOffsets(i)
	if int(end-start) != len(e.elems) {
		return false
	}
	if r := &rc.raw; r.ok {
		for k, j := 0, int(start); j < int(end); k, j = k+1, j+1 {
			if e.elems[k] != r.offs[j+1]-r.offs[j] {
				return false
			}
		}
		return bytes.Equal(e.data, r.span(int(start), int(end)))
	}
	data := e.data
	for k, j := 0, int(start); j < int(end); k, j = k+1, j+1 {
		if c.reasonVals.IsNull(j) {
			if e.elems[k] != -1 {
				return false
			}
			continue
		}
		v := c.reasonVals.Value(j)
		n := int(e.elems[k])
		if n != len(v) || string(data[:n]) != v {
			return false
		}
		data = data[n:]
	}
	return true
}

// slot is the slot of row i's list: by a cheap signature of the country,
// the round, and the list's length and its elements' lengths and first
// and last bytes.
func (rc *reasonsCache) slot(c *summaryCols, i int, country uint32, round int64) *reasonsEntry {
	h := uint64(country)*0x9e3779b97f4a7c15 ^ uint64(round)*0xbf58476d1ce4e5b9
	if l := c.reasons; rc.isNull(l, i) {
		h ^= 0x5555
	} else if rc.raw.ok {
		h = rc.raw.signList(h, l, i)
	} else {
		h = signList(h, l, c.reasonVals, i)
	}
	h ^= h >> 29
	h *= 0x94d049bb133111eb
	return &rc.slots[(h>>32)&(reasonsSlots-1)]
}

// signList mixes the signature of list i of l (elements in vals) into h.
func signList(h uint64, l *array.List, vals strCol, i int) uint64 {
	start, end := l.ValueOffsets(i)
	h = h*31 + uint64(end-start)
	for j := int(start); j < int(end); j++ {
		if vals.IsNull(j) {
			h = h*31 + 1
			continue
		}
		v := vals.Value(j)
		h = h*31 + uint64(len(v))
		if len(v) > 0 {
			h = h*31 + uint64(v[0]) + uint64(v[len(v)-1])<<8
		}
	}
	return h
}

// signList mixes a signature of list i of l, read from r, into h: its
// length, its elements' bytes' length and their first and last bytes (the
// elements' own lengths, which signList reads one by one, are left to
// reasonsEntry.holds).
func (r *rawStrings) signList(h uint64, l *array.List, i int) uint64 {
	start, end := l.ValueOffsets(i)
	base := r.offs[0]
	a, b := r.offs[start]-base, r.offs[end]-base
	h = h*31 + uint64(end-start)
	h = h*31 + uint64(b-a)
	if b > a {
		h = h*31 + uint64(r.data[a]) + uint64(r.data[b-1])<<8
	}
	return h
}
