package transform

import (
	"math"
	"strings"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/schemas"
)

// Dictionary string columns. The string fields Parquet dictionary-encodes
// (Kind String, Encoding not Plain: codes, p-codes, admin names,
// vocabulary values, provenance) are built as Arrow dictionary arrays
// (dictionary<int32, string>): each record holds each distinct value once
// and an index per row. Within a partition the values come in runs (a file's
// provenance, country and operation are the same on every row, admin
// names and p-codes repeat from row to row), so most rows cost a string
// comparison with the previous row's value and the others one map lookup.
// The Parquet writer (sinks, parquet_dict.go) then puts the indices
// straight into its dictionary encoder instead of hashing every string
// again, and stores the column as a string column: the files, and what
// DuckDB and pqarrow read back, keep the dataset's schema.
//
// A high-cardinality column still works: its record dictionary grows to
// the record's rows (the map is dropped, not kept, after a record of more
// than dictKeepEntries values), and the writer writes the row group's
// values as strings, plain-encoded, once its dictionary passes the
// dictionary page size limit, as for a string column. The fields whose
// values are nearly unique (site ids and names, coordinates) are declared
// Plain and stay string arrays.

// dictStringType is the Arrow type of a dictionary string column.
var dictStringType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

// dictEncoded reports a field built as a dictionary array.
func dictEncoded(f schemas.Field) bool {
	return f.Kind == schemas.String && f.Encoding != schemas.Plain
}

// recordSchema is the schema of ds's records: its Arrow schema with the
// dictEncoded fields as dictionaries of strings.
func recordSchema(ds *schemas.Dataset) *arrow.Schema {
	s := ds.ArrowSchema()
	fields := s.Fields()
	for i, f := range ds.StoredFields() {
		if dictEncoded(f) {
			fields[i].Type = dictStringType
		}
	}
	md := s.Metadata()
	return arrow.NewSchema(fields, &md)
}

// builderSchema is s with its dictionary fields as strings: the schema of
// the same records built as plain string columns (the tests' reference).
func builderSchema(s *arrow.Schema) *arrow.Schema { return schemas.WithPlainStrings(s) }

func isDictField(f arrow.Field) bool { return arrow.TypeEqual(f.Type, dictStringType) }

// dictKeepEntries is the number of distinct values up to which a dictBuilder
// keeps its map's room for the next record.
const dictKeepEntries = 4096

// Interned strings. Each dictionary column of a partition set numbers its
// distinct strings (an internTable, shared by the column's record
// dictionaries in every partition): a value that carries its number (a
// cell memo's, cell_memo.go) finds its index in the record's dictionary
// by that number, with no map lookup, and the dictionary keeps the table's
// copy of the string instead of a copy of its own. A table numbers at most
// maxInternStrings strings; the strings past that never get a number (a
// string has one from its first row or never), and a record's dictionary
// finds them in its own map, as before. So every string of a record's
// dictionary is there once, in order of first appearance, either way.

// maxInternStrings bounds the strings an internTable numbers.
const maxInternStrings = 4096

// internTable numbers the distinct strings of one dictionary column.
type internTable struct {
	ids  map[string]int32
	strs []string // by number; strs[0] is unused
}

// number returns the number of s and the table's copy of it, adding s
// unless the table is full (then 0, "").
func (t *internTable) number(s string) (int32, string) {
	if id, ok := t.ids[s]; ok {
		return id, t.strs[id]
	}
	if len(t.strs) > maxInternStrings {
		return 0, ""
	}
	if t.ids == nil {
		t.ids = make(map[string]int32)
		t.strs = append(t.strs, "")
	}
	key := strings.Clone(s)
	id := int32(len(t.strs))
	t.ids[key] = id
	t.strs = append(t.strs, key)
	return id, key
}

// intern returns the number of the string s of the dictionary column in
// slot and the interned copy (0, "" for a column that is not a
// dictionary, or whose table is full).
func (ps *partitionSet) intern(slot int, s string) (int32, string) {
	if slot < 0 || slot >= len(ps.interns) || ps.interns[slot] == nil {
		return 0, ""
	}
	return ps.interns[slot].number(s)
}

// dictBuilder builds the dictionary of one dictionary string column of a
// partition's record; the column's accumulator (partition_block.go) holds
// the rows' indices.
type dictBuilder struct {
	// ids indexes the values without an intern number; bySid those with
	// one (number -> index + 1, 0: not in this record).
	ids   map[string]int32
	bySid []int32
	keys  []string // the values by index (copies: the rows' strings do not outlive Convert)
	sids  []int32  // the values' intern numbers (0: none)
	// intern is the column's table (nil: none).
	intern *internTable
	mem    memory.Allocator
	bytes  int   // the keys' bytes
	prev   int32 // index of the last value, -1 for none
}

func newDictBuilder(mem memory.Allocator, intern *internTable) *dictBuilder {
	return &dictBuilder{ids: map[string]int32{}, mem: mem, prev: -1, intern: intern}
}

// known returns the index of s when the record's dictionary holds it by
// its intern number sid (checked against the record's key, the table's
// copy of s, without reading the table), else -1: a cell memo's string
// seen before in the record. Small enough to be inlined in the
// accumulators' store (partitionSet.append).
func (d *dictBuilder) known(s string, sid int32) int32 {
	if uint(sid) < uint(len(d.bySid)) {
		if id := d.bySid[sid] - 1; id >= 0 && sameString(d.keys[id], s) {
			return id
		}
	}
	return -1
}

// indexOf returns the index of s in the record's dictionary, adding it;
// sid is s's intern number (0: unknown; a number that is not s's is
// looked up again).
func (d *dictBuilder) indexOf(s string, sid int32) int32 {
	if t := d.intern; t != nil && sid > 0 && int(sid) < len(t.strs) && sameString(t.strs[sid], s) {
		// The table's own copy (a cell memo's value): found by its number.
		return d.bySidIndex(sid, s)
	}
	if d.prev >= 0 && s == d.keys[d.prev] {
		return d.prev
	}
	if t := d.intern; t != nil {
		if sid <= 0 || int(sid) >= len(t.strs) || t.strs[sid] != s {
			sid, _ = t.number(s)
		}
		if sid > 0 {
			return d.bySidIndex(sid, t.strs[sid])
		}
	}
	id, ok := d.ids[s]
	if !ok {
		id = d.add(strings.Clone(s), 0)
		d.ids[d.keys[id]] = id
	}
	d.prev = id
	return id
}

// bySidIndex returns the index of the interned string s, numbered sid.
func (d *dictBuilder) bySidIndex(sid int32, s string) int32 {
	if int(sid) >= len(d.bySid) {
		d.bySid = append(d.bySid, make([]int32, int(sid)+1-len(d.bySid))...)
	}
	id := d.bySid[sid] - 1
	if id < 0 {
		id = d.add(s, sid)
		d.bySid[sid] = id + 1
	}
	d.prev = id
	return id
}

// add appends the value key (not to be modified) to the dictionary.
func (d *dictBuilder) add(key string, sid int32) int32 {
	id := int32(len(d.keys))
	d.keys = append(d.keys, key)
	d.sids = append(d.sids, sid)
	d.bytes += len(key)
	return id
}

// newValues returns the record's dictionary (its distinct values in index
// order) and starts the next record's.
func (d *dictBuilder) newValues() arrow.Array {
	vals := d.stringArray()
	for _, sid := range d.sids {
		if sid > 0 {
			d.bySid[sid] = 0
		}
	}
	if len(d.keys) > dictKeepEntries {
		d.ids = map[string]int32{}
		d.keys, d.sids = nil, nil
	} else {
		clear(d.ids)
		clear(d.keys)
		d.keys, d.sids = d.keys[:0], d.sids[:0]
	}
	d.prev, d.bytes = -1, 0
	return vals
}

// stringArray returns the keys as a string array (no nulls).
func (d *dictBuilder) stringArray() arrow.Array {
	n := len(d.keys)
	if n*4+4 > math.MaxInt32 || d.bytes > math.MaxInt32 {
		// Int32 offsets: a record holds at most BatchRows values of
		// cells the readers bound, so this is not reached.
		panic("transform: dictionary of a record exceeds 2 GiB")
	}
	offsets := memory.NewResizableBuffer(d.mem)
	offsets.Resize(4 * (n + 1))
	offs := arrow.Int32Traits.CastFromBytes(offsets.Bytes())
	data := memory.NewResizableBuffer(d.mem)
	data.Resize(d.bytes)
	buf := data.Bytes()
	at := 0
	offs[0] = 0
	for i, k := range d.keys {
		at += copy(buf[at:], k)
		offs[i+1] = int32(at)
	}
	ad := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{nil, offsets, data}, nil, 0, 0)
	arr := array.MakeFromData(ad)
	ad.Release()
	offsets.Release()
	data.Release()
	return arr
}

// release frees what the builder holds (nothing: its arrays are made by
// newValues).
func (d *dictBuilder) release() {}

// sameString reports whether a and b are the same string in memory (the
// same bytes at the same address): then they are equal, without reading
// them. Equal strings elsewhere in memory are not the same.
func sameString(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}
