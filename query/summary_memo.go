package query

import (
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
)

// The groups of the 'area' and 'site_type' parts are found by numbers,
// not by their strings, when every string column of those parts is a
// dictionary array (as the converter hands them to the writer) or absent.
// Each distinct string gets a number the first time a record's dictionary
// holds it (one map lookup per dictionary entry of a record, not per row).
// A record's rows are then read column at a time into their strings'
// numbers (fill), and a row's tuple of those numbers and its round finds
// its group: the previous row's group when the tuple is the previous
// row's (sorted sources repeat an area for many rows; a record holds one
// country and one round), otherwise by a lookup in an open-addressing
// table of tuples (tupleIndex) kept for the builder's life. A tuple seen
// for the first time builds the group's key from the strings and finds its
// group as a row of string columns does, so both paths make the same
// groups. Measured on the 1 M-row bench input (records of ~700 rows, the
// area tuples mostly new within a record): a memo emptied per record
// missed on most rows and saved nothing; a Go map keyed by a struct of the
// numbers cost ~150 ns a row in hashing and comparing its padded key.

// The words of a tuple: the strings' numbers (noIndex: NULL), then
// roundOK (0 or 1) and the round's low and high 32 bits.
const (
	areaWords     = 1 + 8 + 3 // country, a1p .. o1n, round
	siteTypeWords = 1 + 1 + 3 // country, site_type, round
)

// noIndex is a NULL string: a null index, an index to a null dictionary
// entry, or an absent column.
const noIndex = -1

// The columns of the index path, in summaryMemo.cols and .ids.
const (
	mCountry  = 0
	mArea     = 1 // a1p .. o1n: mArea .. mArea+7
	mSiteType = 9
	mCols     = 10
)

// dictIndexCol reads the string numbers of a string column's rows.
type dictIndexCol struct {
	d     *array.Dictionary // nil: every value NULL
	idx32 []int32           // the indices when they are int32 (else nil)
	ids   []int32           // string number by dictionary index (noIndex: NULL)
}

// set points c at column col, numbering the strings of its dictionary in
// m.strs; false when col is neither a dictionary of strings nor absent.
func (c *dictIndexCol) set(col strCol, m *summaryMemo) bool {
	c.d, c.idx32 = nil, nil
	switch col := col.(type) {
	case nullStr:
		return true
	case dictStr:
		c.d = col.d
		if ix, ok := col.d.Indices().(*array.Int32); ok {
			c.idx32 = ix.Int32Values()
		}
		c.ids = c.ids[:0]
		if dd := col.d.Data().Dictionary(); dd.DataType().ID() == arrow.STRING {
			c.numberBuffers(dd, m)
			return true
		}
		vals := col.values()
		for j := range col.d.Dictionary().Len() {
			if vals.IsNull(j) {
				c.ids = append(c.ids, noIndex)
				continue
			}
			c.ids = append(c.ids, m.number(vals.Value(j)))
		}
		return true
	}
	return false
}

// numberBuffers sets c.ids to the numbers of the strings of dictionary
// dd (a string array's data), read from its buffers.
func (c *dictIndexCol) numberBuffers(dd arrow.ArrayData, m *summaryMemo) {
	n, off := dd.Len(), dd.Offset()
	if n == 0 {
		return
	}
	bufs := dd.Buffers()
	offs := arrow.Int32Traits.CastFromBytes(bufs[1].Bytes())[off : off+n+1]
	var data, valid []byte
	if bufs[2] != nil {
		data = bufs[2].Bytes()
	}
	if dd.NullN() > 0 && bufs[0] != nil {
		valid = bufs[0].Bytes()
	}
	for j := range n {
		if valid != nil && !bitutil.BitIsSet(valid, off+j) {
			c.ids = append(c.ids, noIndex)
			continue
		}
		v := data[offs[j]:offs[j+1]]
		id, ok := m.strs[string(v)]
		if !ok {
			id = int32(len(m.strs))
			m.strs[string(v)] = id
		}
		c.ids = append(c.ids, id)
	}
}

// number is the number of string v, numbered now if new.
func (m *summaryMemo) number(v string) int32 {
	id, ok := m.strs[v]
	if !ok {
		id = int32(len(m.strs))
		m.strs[strings.Clone(v)] = id
	}
	return id
}

// fill sets dst[i] to row i's string number (noIndex for a NULL), for
// the len(dst) rows of the column.
func (c *dictIndexCol) fill(dst []int32) {
	switch {
	case c.d == nil, c.d.NullN() == len(dst): // no column, or an absent value (e.g. no origin column in the source)
		for i := range dst {
			dst[i] = noIndex
		}
	case c.idx32 != nil && c.d.NullN() == 0:
		ids, idx := c.ids, c.idx32[:len(dst)]
		for i, x := range idx {
			dst[i] = ids[x]
		}
	default:
		for i := range dst {
			dst[i] = c.at(i)
		}
	}
}

// at is row i's string number, or noIndex for a NULL.
func (c *dictIndexCol) at(i int) int32 {
	if c.d == nil || c.d.IsNull(i) {
		return noIndex
	}
	if c.idx32 != nil {
		return c.ids[c.idx32[i]]
	}
	return c.ids[c.d.GetValueIndex(i)]
}

// summaryMemo is the state of the index path: the string numbers, the
// tuples' groups, and the record being added.
type summaryMemo struct {
	ok bool // the record's 'area' and 'site_type' columns are all dictionaries (or absent)
	// cols are the record's country, area (a1p .. o1n) and site_type
	// columns; ids[c][i] is the string number of row i of cols[c].
	cols     [mCols]dictIndexCol
	ids      [mCols][]int32
	strs     map[string]int32                  // string -> number
	area     tupleIndex[[areaWords]uint32]     // tuples -> group
	siteType tupleIndex[[siteTypeWords]uint32] // tuples -> group
	// siteTypeLast[id+1] is the last site_type tuple of string number id
	// (NULL: 0) and its group: a hit costs a comparison of 5 words.
	siteTypeLast []siteTypeEntry
	// reasons remembers recent 'reasons' lists (summary_reasons.go).
	reasons reasonsCache
	// scratch holds a block of rows' figures and groups
	// (summary_index.go); nil until the first record.
	scratch *indexScratch
}

// siteTypeEntry is a site_type tuple and its group + 1 (0: none).
type siteTypeEntry struct {
	t  [siteTypeWords]uint32
	g1 int32
}

// maxSiteTypeLast bounds siteTypeLast (16 bytes an entry): a string
// numbered later is found in the tuple table alone.
const maxSiteTypeLast = 1 << 14

// siteTypeGroup is the group of site_type tuple t.
func (m *summaryMemo) siteTypeGroup(t [siteTypeWords]uint32) (int32, bool) {
	if j := int(int32(t[1])) + 1; j < len(m.siteTypeLast) && m.siteTypeLast[j].g1 != 0 && m.siteTypeLast[j].t == t {
		return m.siteTypeLast[j].g1 - 1, true
	}
	g, ok := m.siteType.find(t, hashWords(t[:]))
	if ok {
		m.rememberSiteType(t, g)
	}
	return g, ok
}

// setSiteTypeGroup records the group of a new site_type tuple t.
func (m *summaryMemo) setSiteTypeGroup(t [siteTypeWords]uint32, g int32) {
	m.siteType.insert(t, hashWords(t[:]), g)
	m.rememberSiteType(t, g)
}

func (m *summaryMemo) rememberSiteType(t [siteTypeWords]uint32, g int32) {
	j := int(int32(t[1])) + 1
	if j >= maxSiteTypeLast {
		return
	}
	if j >= len(m.siteTypeLast) {
		m.siteTypeLast = append(m.siteTypeLast, make([]siteTypeEntry, j+1-len(m.siteTypeLast))...)
	}
	m.siteTypeLast[j] = siteTypeEntry{t: t, g1: g + 1}
}

// reset prepares m for the columns c of a new record of n rows.
func (m *summaryMemo) reset(c *summaryCols, n int) {
	if m.strs == nil {
		m.strs = map[string]int32{}
	}
	m.ok = false
	m.reasons.start(c)
	cols := [mCols]strCol{c.country, c.a1p, c.a1n, c.a2p, c.a2n, c.a3p, c.a3n, c.o1p, c.o1n, c.siteType}
	for j, col := range cols {
		if !m.cols[j].set(col, m) {
			return
		}
	}
	for j := range m.cols {
		m.ids[j] = slices.Grow(m.ids[j][:0], n)[:n]
		m.cols[j].fill(m.ids[j])
	}
	m.ok = true
}

// roundWords sets the last three words of a tuple to a round.
func roundWords(k []uint32, round int64, roundOK bool) {
	if roundOK {
		k[0], k[1], k[2] = 1, uint32(round), uint32(uint64(round)>>32)
	} else {
		k[0], k[1], k[2] = 0, 0, 0
	}
}

// areaTuple and siteTypeTuple are row i's tuples (round and roundOK: its
// round).
func (m *summaryMemo) areaTuple(i int, round int64, roundOK bool) (k [areaWords]uint32) {
	for j := range mSiteType {
		k[j] = uint32(m.ids[j][i])
	}
	roundWords(k[mSiteType:], round, roundOK)
	return k
}

func (m *summaryMemo) siteTypeTuple(i int, round int64, roundOK bool) (k [siteTypeWords]uint32) {
	k[0], k[1] = uint32(m.ids[mCountry][i]), uint32(m.ids[mSiteType][i])
	roundWords(k[2:], round, roundOK)
	return k
}

// tupleIndex maps tuples (arrays of uint32 words) to groups: an
// open-addressing table (linear probing, at most half full) of entry
// numbers, each entry its tuple, hash and group side by side, so that a
// lookup reads one slot and one entry. Its memory is ~size of T + 20
// bytes an entry. Measured with BenchmarkSummaryBuilderDTM: the entries
// as three slices (words, hashes, groups) compared with slices.Equal
// cost a third more than this.
type tupleIndex[T comparable] struct {
	entries []tupleEntry[T]
	slots   []int32 // entry + 1 by hash; 0: empty
}

type tupleEntry[T comparable] struct {
	t T
	h uint64
	g int32
}

// hashWords hashes a tuple: the words in pairs, each pair multiplied by
// its own odd constant and the products summed (independent multiplies,
// not a chain), then mixed (murmur3's finaliser) so that every bit of the
// sum reaches the low bits the table masks.
func hashWords(k []uint32) uint64 {
	var h uint64
	i := 0
	for ; i+1 < len(k); i += 2 {
		h += (uint64(k[i]) | uint64(k[i+1])<<32) * hashMults[i/2]
	}
	if i < len(k) {
		h += uint64(k[i]) * hashMults[i/2]
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// hashMults are the multipliers of hashWords (odd, 64-bit), enough for
// areaWords.
var hashMults = [...]uint64{
	0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb, 0xd6e8feb86659fd93,
	0xa0761d6478bd642f, 0xe7037ed1a0b428db, 0x8ebc6af09c88c6e3, 0x589965cc75374cc3,
}

// hashArea is hashWords of an 'area' tuple, written out word pair by word
// pair (the same value). hashWords' loop, with its bounds checks and
// multiplier loads, cost ~95 instructions a row more: cachegrind of
// BenchmarkSummaryBuilderDTMCold (DTM_BENCH_ROWS=50000, 2 iterations), the
// query package's instructions 116.4 M -> 106.7 M, its cache misses
// unchanged; 250 -> 232 and 245 -> 222 thread CPU ns a row (medians of 10
// and 8 alternated pairs, new faster in 6 and 6), against main f6b4b08.
func hashArea(k *[areaWords]uint32) uint64 {
	h := (uint64(k[0])|uint64(k[1])<<32)*hashMults[0] +
		(uint64(k[2])|uint64(k[3])<<32)*hashMults[1] +
		(uint64(k[4])|uint64(k[5])<<32)*hashMults[2] +
		(uint64(k[6])|uint64(k[7])<<32)*hashMults[3] +
		(uint64(k[8])|uint64(k[9])<<32)*hashMults[4] +
		(uint64(k[10])|uint64(k[11])<<32)*hashMults[5]
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// find returns the group of tuple k, of hash h (hashWords).
func (t *tupleIndex[T]) find(k T, h uint64) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for s := h & mask; ; s = (s + 1) & mask {
		e := t.slots[s] - 1
		if e < 0 {
			return 0, false
		}
		if en := &t.entries[e]; en.h == h && en.t == k {
			return en.g, true
		}
	}
}

// insert adds tuple k (not in t), of hash h, with its group.
func (t *tupleIndex[T]) insert(k T, h uint64, g int32) {
	if 2*(len(t.entries)+1) > len(t.slots) {
		t.grow()
	}
	e := int32(len(t.entries))
	t.entries = append(t.entries, tupleEntry[T]{t: k, h: h, g: g})
	t.place(h, e)
}

// place puts entry e (hash h) in the first empty slot from h.
func (t *tupleIndex[T]) place(h uint64, e int32) {
	mask := uint64(len(t.slots) - 1)
	s := h & mask
	for t.slots[s] != 0 {
		s = (s + 1) & mask
	}
	t.slots[s] = e + 1
}

// grow doubles the table (at least 256 slots) and re-places every entry.
func (t *tupleIndex[T]) grow() {
	t.slots = make([]int32, max(256, 2*len(t.slots)))
	for e := range t.entries {
		t.place(t.entries[e].h, int32(e))
	}
}
