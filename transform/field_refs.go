package transform

import "unsafe"

// Field references. The rules name the fields they read by their names
// (c.get("idp_households"), c.raw(r, "round")), a few dozen times a row;
// each name cost a map lookup (hashing and comparing the name) for its
// value slot and another for its column. fieldRefs remembers the answers
// by the address of the name's bytes: the names are string constants, so
// the same call site passes the same address every row, and a hit costs
// two comparisons per way of its set looked at. An entry holds its name,
// so the bytes at that address cannot be freed and reused for another
// name while the entry exists: the same address and length mean the same
// name. A miss (a name built at run time, more hot names in a set than it
// has ways) falls back to the maps.

// fieldRefsSets and fieldRefsWays shape the cache: a name's set is picked
// by its address and length, and holds the names of its set most recently
// missed first. With about 25 names asked every row, a direct-mapped table
// of 128 entries holds two of them in one entry with a chance of about
// 90 %, and then both ask the maps on every row: in a profile of a 10
// M-row ingest "sadd" missed on every row, and lookupRef cost 0.97 s of
// 86 s. Four ways of 64 sets put five hot names in one set with a chance
// of about 0.3 %.
const (
	fieldRefsSetBits = 6
	fieldRefsSets    = 1 << fieldRefsSetBits
	fieldRefsWays    = 4
)

// fieldRef is what the converter knows of one field name: its value slot
// in Converter.vals and its index in Mapping.Columns (-1: none).
type fieldRef struct {
	name      string
	slot, col int
}

// fieldRefs is a set-associative cache of fieldRef by name address. It is
// a value inside the Converter (Fork copies it; each worker writes its
// own). Reset it when the slots or the mapping's columns change.
type fieldRefs [fieldRefsSets][fieldRefsWays]fieldRef

// ref returns the fieldRef of field.
func (c *Converter) ref(field string) fieldRef {
	if field == "" {
		return c.lookupRef(field)
	}
	p := uint64(uintptr(unsafe.Pointer(unsafe.StringData(field)))) ^ uint64(len(field))
	set := &c.refs[(p*0x9E3779B97F4A7C15)>>(64-fieldRefsSetBits)]
	for i := range set {
		if e := &set[i]; len(e.name) == len(field) && unsafe.StringData(e.name) == unsafe.StringData(field) {
			return *e
		}
	}
	copy(set[1:], set[:fieldRefsWays-1])
	set[0] = c.lookupRef(field)
	return set[0]
}

// lookupRef is the uncached fieldRef of field.
func (c *Converter) lookupRef(field string) fieldRef {
	r := fieldRef{name: field, slot: -1, col: -1}
	if i, ok := c.slot[field]; ok {
		r.slot = i
	}
	if i, ok := c.m.ColumnFor(field); ok {
		r.col = i
	}
	return r
}
