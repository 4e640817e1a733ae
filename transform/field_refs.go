package transform

import "unsafe"

// Field references. The rules name the fields they read by their names
// (c.get("idp_households"), c.raw(r, "round")), a few dozen times a row;
// each name cost a map lookup (hashing and comparing the name) for its
// value slot and another for its column. fieldRefs remembers the answers
// by the address of the name's bytes: the names are string constants, so
// the same call site passes the same address every row, and a hit costs
// two comparisons. An entry holds its name, so the bytes at that address
// cannot be freed and reused for another name while the entry exists: the
// same address and length mean the same name. A miss (a name built at run
// time, two names sharing an entry) falls back to the maps.

// fieldRefsSize is the number of entries (a power of two).
const fieldRefsSize = 128

// fieldRef is what the converter knows of one field name: its value slot
// in Converter.vals and its index in Mapping.Columns (-1: none).
type fieldRef struct {
	name      string
	slot, col int
}

// fieldRefs is a direct-mapped cache of fieldRef by name address. It is a
// value inside the Converter (Fork copies it; each worker writes its own).
// Reset it when the slots or the mapping's columns change.
type fieldRefs [fieldRefsSize]fieldRef

// ref returns the fieldRef of field.
func (c *Converter) ref(field string) fieldRef {
	if field == "" {
		return c.lookupRef(field)
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(field)))
	e := &c.refs[(p^p>>7^uintptr(len(field)))&(fieldRefsSize-1)]
	if len(e.name) == len(field) && unsafe.StringData(e.name) == unsafe.StringData(field) {
		return *e
	}
	*e = c.lookupRef(field)
	return *e
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
