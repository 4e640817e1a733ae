package transform

import (
	"strings"

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

// dictBuilder builds the dictionary of one dictionary string column of a
// partition's record; the column's accumulator (partition_block.go) holds
// the rows' indices.
type dictBuilder struct {
	ids    map[string]int32
	keys   []string // the values by index (copies: the rows' strings do not outlive Convert)
	values *array.StringBuilder
	prev   int32 // index of the last value, -1 for none
}

func newDictBuilder(mem memory.Allocator) *dictBuilder {
	return &dictBuilder{ids: map[string]int32{}, values: array.NewStringBuilder(mem), prev: -1}
}

// index returns the index of s in the record's dictionary, adding it.
func (d *dictBuilder) index(s string) int32 {
	if d.prev >= 0 && s == d.keys[d.prev] {
		return d.prev
	}
	id, ok := d.ids[s]
	if !ok {
		id = int32(len(d.keys))
		key := strings.Clone(s)
		d.ids[key] = id
		d.keys = append(d.keys, key)
		d.values.Append(key)
	}
	d.prev = id
	return id
}

// newValues returns the record's dictionary (its distinct values in index
// order) and starts the next record's.
func (d *dictBuilder) newValues() arrow.Array {
	vals := d.values.NewArray()
	if len(d.keys) > dictKeepEntries {
		d.ids = map[string]int32{}
		d.keys = nil
	} else {
		clear(d.ids)
		clear(d.keys)
		d.keys = d.keys[:0]
	}
	d.prev = -1
	return vals
}

func (d *dictBuilder) release() { d.values.Release() }
