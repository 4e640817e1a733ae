package query

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// The groups of the 'area' and 'site_type' parts are found by numbers,
// not by their strings, when every string column of those parts is a
// dictionary array (as the converter hands them to the writer) or absent.
// Each distinct string gets a number the first time a record's dictionary
// holds it (one map lookup per dictionary entry of a record, not per row);
// a row's tuple of those numbers (and its round) then finds its group in a
// map of small fixed-size keys, kept for the builder's life. A tuple seen
// for the first time builds the group's key from the strings and finds its
// group as a row of string columns does, so both paths make the same
// groups. Measured on the 1 M-row bench input (records of a few hundred
// rows, the area tuples mostly new within a record): a memo emptied per
// record missed on most rows and saved nothing.

// memoKey is a row's tuple of one part: the part's tag, the dictionary
// indices of its string columns (noIndex: NULL) and its round.
type memoKey struct {
	part    byte
	roundOK bool
	ids     [9]int32
	round   int64
}

// noIndex is a NULL string: a null index, an index to a null dictionary
// entry, or an absent column.
const noIndex = -1

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
		n := col.d.Dictionary().Len()
		c.ids = c.ids[:0]
		for j := range n {
			if col.vals.IsNull(j) {
				c.ids = append(c.ids, noIndex)
				continue
			}
			v := col.vals.Value(j)
			id, ok := m.strs[v]
			if !ok {
				id = int32(len(m.strs))
				m.strs[strings.Clone(v)] = id
			}
			c.ids = append(c.ids, id)
		}
		return true
	}
	return false
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

// summaryMemo is the state of the index path for the record being added.
type summaryMemo struct {
	ok bool // the record's 'area' and 'site_type' columns are all dictionaries (or absent)
	// country, the area columns (a1p .. o1n) and site_type.
	country  dictIndexCol
	area     [8]dictIndexCol
	siteType dictIndexCol
	strs     map[string]int32  // string -> number
	groups   map[memoKey]int32 // tuple -> group
}

// reset prepares m for the columns c of a new record.
func (m *summaryMemo) reset(c *summaryCols) {
	if m.groups == nil {
		m.groups, m.strs = map[memoKey]int32{}, map[string]int32{}
	}
	m.ok = false
	if !m.country.set(c.country, m) || !m.siteType.set(c.siteType, m) {
		return
	}
	for j, col := range [...]strCol{c.a1p, c.a1n, c.a2p, c.a2n, c.a3p, c.a3n, c.o1p, c.o1n} {
		if !m.area[j].set(col, m) {
			return
		}
	}
	m.ok = true
}

// areaKey and siteTypeKey are row i's tuples (round and roundOK: its round).
func (m *summaryMemo) areaKey(i int, round int64, roundOK bool) memoKey {
	k := memoKey{part: partArea, roundOK: roundOK, round: round}
	k.ids[0] = m.country.at(i)
	for j := range m.area {
		k.ids[1+j] = m.area[j].at(i)
	}
	return k
}

func (m *summaryMemo) siteTypeKey(i int, round int64, roundOK bool) memoKey {
	k := memoKey{part: partSiteType, roundOK: roundOK, round: round}
	k.ids[0] = m.country.at(i)
	k.ids[1] = m.siteType.at(i)
	return k
}
