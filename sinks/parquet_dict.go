package sinks

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Dictionary-encoded string columns. A record may carry a flat string
// column as an Arrow dictionary array (dictionary<int32, string>): the
// converter knows which values repeat, and the column writer then puts the
// record's indices into the Parquet dictionary encoder instead of hashing
// every string again (pqarrow's writeDictionaryArrow, while the record's
// dictionary is the one the column chunk started with). The file keeps the
// dataset's schema: the Parquet column and the stored Arrow schema
// (ARROW:schema) say string, and readers get the same values and types as
// from a string column.

// dictChunk is one dictionary string column of the open row group. The
// records' dictionaries are merged into one, numbered in order of first
// appearance in the row group (as the Parquet dictionary encoder numbers
// the values it hashes, so the file is the one string columns give), and
// the rows' numbers are kept until the row group closes: only then is the
// dictionary complete, and the encoder takes a dictionary once, before any
// index (PutDictionary). Each record costs one map lookup per dictionary
// entry it references and one array lookup per row; no row is hashed.
//
// A row group whose dictionary reaches the writer's dictionary page size
// limit, or a column written without a dictionary, is written as strings
// (pqarrow then falls back to plain encoding as it does for string
// columns).
type dictChunk struct {
	field arrow.Field
	mem   memory.Allocator
	dict  stringDict
	// rows are the rows' numbers (parquet_rownums.go: uint16 while the
	// dictionary has at most 1 << 16 entries); the first record
	// of a row group reserves as many as the previous row group had, so
	// that they do not grow by doubling (reallocating and copying) through
	// each row group (0.13 of the 0.39 CPU s of add at 1 M rows).
	rows rowNumbers
	// raw is the plain size of the row group's non-null rows (4 bytes of
	// length and the bytes of each), summed as they are numbered.
	raw   int64
	local []int32 // scratch: record dictionary index -> number
}

const (
	unseen  = -1 // a record's dictionary entry not referenced yet
	nullVal = -2 // a record's dictionary entry that is null
)

func newDictChunk(mem memory.Allocator, field arrow.Field) *dictChunk {
	return &dictChunk{field: field, mem: mem, dict: newStringDict(mem), rows: newNarrowRowNumbers(mem)}
}

// stringDict numbers the distinct strings of a row group's column in order
// of first appearance, as the Parquet dictionary encoder numbers the values
// it hashes (so the dictionary page is the one string columns give).
type stringDict struct {
	ids    map[string]int32
	names  []string             // by number: owned copies (the map's keys)
	values *array.StringBuilder // by number, as the encoder takes them
	bytes  int64                // the dictionary page's size, plain-encoded
}

func newStringDict(mem memory.Allocator) stringDict {
	return stringDict{ids: map[string]int32{}, values: array.NewStringBuilder(mem)}
}

// number is v's number, numbering it (a copy of it) if it is new.
func (s *stringDict) number(v string) int32 {
	if id, ok := s.ids[v]; ok {
		return id
	}
	id := int32(len(s.names))
	v = strings.Clone(v)
	s.ids[v] = id
	s.names = append(s.names, v)
	s.values.Append(v)
	s.bytes += int64(len(v)) + 4
	return id
}

// take returns the dictionary (the caller releases it) and its page's
// plain size, and empties s for the next row group.
func (s *stringDict) take() (*array.String, int64) {
	values, bytes := s.values.NewStringArray(), s.bytes
	clear(s.ids)
	clear(s.names)
	s.names, s.bytes = s.names[:0], 0
	return values, bytes
}

func (s *stringDict) release() { s.values.Release() }

func (d *dictChunk) name() string { return d.field.Name }

// add appends the rows of a dictionary array of strings. The rows'
// numbers and validity are written straight into the row group's buffers
// (as intDictChunk.add does), a record's int32 indices read as a slice:
// the per-row method calls (IsNull, rowNumbers.add) were 0.85 of the
// 2.44 CPU s of add in a 10 M-row ingest's profile.
func (d *dictChunk) add(col arrow.Array) error {
	arr, ok := col.(*array.Dictionary)
	if !ok {
		return fmt.Errorf("%s, not a dictionary", col.DataType())
	}
	dict, ok := arr.Dictionary().(*array.String)
	if !ok {
		return fmt.Errorf("dictionary of %s, not of strings", arr.Dictionary().DataType())
	}
	n := arr.Len()
	if n == 0 {
		return nil
	}
	if cap(d.local) < dict.Len() {
		d.local = make([]int32, dict.Len())
	}
	local := d.local[:dict.Len()]
	for i := range local {
		local[i] = unseen
	}
	if d.rows.narrow && len(d.dict.names)+dict.Len() > 1<<16 {
		d.rows.widen() // a number of this record may not fit in 16 bits
	}
	d.rows.reserve(n)
	start := d.rows.n
	valid := d.rows.valid.Bytes()
	rec := recordRows{arr: arr, dict: dict, local: local, valid: valid, start: start}
	if arr.NullN() > 0 {
		rec.bits = arr.NullBitmapBytes()
		bitutil.CopyBitmap(rec.bits, arr.Data().Offset(), n, valid, start)
	} else {
		bitutil.SetBitsTo(valid, int64(start), int64(n), true)
	}
	if ix, ok := arr.Indices().(*array.Int32); ok {
		rec.idx32 = ix.Int32Values()
	}
	var nulls int
	var raw int64
	var err error
	if d.rows.narrow {
		nulls, raw, err = numberRows(d, &rec, d.rows.ids16()[start:start+n])
	} else {
		nulls, raw, err = numberRows(d, &rec, d.rows.ids32()[start:start+n])
	}
	if err != nil {
		return err
	}
	d.rows.n += n
	d.rows.nulls += nulls
	d.raw += raw
	return nil
}

// recordRows is a record's dictionary column being numbered by add.
type recordRows struct {
	arr   *array.Dictionary
	dict  *array.String
	idx32 []int32 // the rows' indices when int32 (nil: read through arr)
	bits  []byte  // the rows' validity (nil: no null row)
	local []int32 // record dictionary index -> number (unseen, nullVal)
	valid []byte  // the row group's validity, the record's rows from start
	start int
}

// numberRows writes the numbers of rec's rows to ids (the row group's
// numbers from rec.start) and returns the rows made null (null rows and
// rows of a null dictionary entry) and the plain size of the others (as
// rawSize counts it, from the record's dictionary: a second pass over the
// row group's numbers for it was 0.14 of 6.1 CPU s in
// BenchmarkParquetEncoders/ingest's profile).
func numberRows[T uint16 | int32](d *dictChunk, rec *recordRows, ids []T) (int, int64, error) {
	local, bits, idx32 := rec.local, rec.bits, rec.idx32
	off := rec.arr.Data().Offset()
	offs := rec.dict.ValueOffsets()
	nulls := 0
	var raw int64
	for i := range ids {
		if bits != nil && !bitutil.BitIsSet(bits, off+i) {
			ids[i] = 0
			nulls++
			continue
		}
		var k int
		if idx32 != nil {
			k = int(idx32[i])
		} else {
			k = rec.arr.GetValueIndex(i)
		}
		if uint(k) >= uint(len(local)) {
			return 0, 0, fmt.Errorf("dictionary index %d out of range [0, %d)", k, len(local))
		}
		id := local[k]
		if id < 0 {
			if id == unseen {
				id = d.number(rec.dict, k)
				local[k] = id
			}
			if id == nullVal {
				ids[i] = 0
				bitutil.ClearBit(rec.valid, rec.start+i)
				nulls++
				continue
			}
		}
		ids[i] = T(id)
		raw += int64(offs[k+1]-offs[k]) + 4
	}
	return nulls, raw, nil
}

// number is the row group's number of entry k of dict (nullVal for a null
// entry), numbering it if it is new.
func (d *dictChunk) number(dict *array.String, k int) int32 {
	if dict.IsNull(k) {
		return nullVal
	}
	return d.dict.number(dict.Value(k))
}

// dictPutter is what the Parquet dictionary encoder of package file's
// internal encoding package offers to seed it with a whole dictionary.
type dictPutter interface {
	PutDictionary(arrow.Array) error
	NumEntries() int
}

// write writes the row group's rows of the column to cw and empties the
// chunk.
func (d *dictChunk) write(ctx context.Context, cw file.ColumnChunkWriter, buf *levelBuffers) error {
	rows := d.rows.takeArray()
	defer rows.Release()
	raw := d.raw
	d.raw = 0
	values, bytes := d.dict.take()
	defer values.Release()
	if rows.Len() == 0 {
		return nil
	}
	lw := flatLevels(rows, d.field.Nullable, buf)
	defer lw.values.Release()
	enc := cw.CurrentEncoder()
	put, ok := enc.(dictPutter)
	if !ok || enc.Encoding() != parquet.Encodings.PlainDict || put.NumEntries() != 0 || bytes >= cw.Properties().DictionaryPageSizeLimit() {
		dense := takeStrings(d.mem, values, rows)
		defer dense.Release()
		return pqarrow.WriteArrowToColumn(ctx, cw, dense, lw.def, nil, lw.nullable)
	}
	return writeStringDict(cw, put, values, rows, raw, lw.def, nil)
}

// writeStringDict writes a row group's string column to cw as the
// dictionary values (each referenced by some row) and the rows' numbers
// (null where the row is), whose plain size is raw (rawSize), with their
// levels (rep nil for a flat column):
// the dictionary to the encoder put (cw's, still empty), the statistics
// pqarrow would compute from the values (every entry is referenced, so
// the dictionary's minimum and maximum are the rows'), the indices, and
// the values' raw size, which the encoder's page cut then counts as it
// does for strings (flushLastPage).
func writeStringDict(cw file.ColumnChunkWriter, put dictPutter, values *array.String, rows arrow.Array, raw int64, def, rep []int16) error {
	if err := put.PutDictionary(values); err != nil {
		return err
	}
	if stats := cw.PageStatistics(); stats != nil {
		// Not stats.UpdateFromArrow, which leaves the empty string out
		// of the minimum.
		st, ok := stats.(*metadata.ByteArrayStatistics)
		if !ok {
			return fmt.Errorf("statistics of %T, not of byte arrays", stats)
		}
		nonNull := rows.Len() - rows.NullN()
		st.IncNulls(int64(max(len(def)-nonNull, 0)))
		st.IncNumValues(int64(nonNull))
		if values.Len() > 0 {
			lo, hi := minMax(values)
			st.SetMinMax(lo, hi)
		}
	}
	reserveIndices(put, rows.Len()-rows.NullN())
	if err := cw.WriteDictIndices(rows, def, rep); err != nil {
		return err
	}
	if r, ok := put.(interface{ AddRawSize(int64) }); ok {
		r.AddRawSize(raw)
	}
	return nil
}

// rawSize is the plain size of the strings values[rows[i]] (4 bytes of
// length and the bytes of each non-null row); rows are Int32 or Uint16.
func rawSize(values *array.String, rows arrow.Array) int64 {
	switch r := rows.(type) {
	case *array.Int32:
		return rawSizeOf(values, rows, r.Int32Values())
	case *array.Uint16:
		return rawSizeOf(values, rows, r.Uint16Values())
	}
	panic(fmt.Sprintf("row numbers of %s", rows.DataType()))
}

func rawSizeOf[T uint16 | int32](values *array.String, rows arrow.Array, ids []T) int64 {
	offs := values.ValueOffsets()
	var n int64
	if rows.NullN() == 0 {
		for _, k := range ids {
			n += int64(offs[k+1]-offs[k]) + 4
		}
		return n
	}
	bits, off := rows.NullBitmapBytes(), rows.Data().Offset()
	for i, k := range ids {
		if bitutil.BitIsSet(bits, off+i) {
			n += int64(offs[k+1]-offs[k]) + 4
		}
	}
	return n
}

// reserveIndices makes room in enc, a dictionary encoder, for the n
// indices of a row group before WriteDictIndices puts them in batches of
// the writer's batch size (1,024), through which the encoder's index
// buffer grew by doubling (the vendored arrow-go's patch: ReserveIndices).
func reserveIndices(enc any, n int) {
	if r, ok := enc.(interface{ ReserveIndices(int) }); ok {
		r.ReserveIndices(n)
	}
}

// minMax are the smallest and largest values of a string array without
// nulls, compared as bytes (the order of Parquet's UTF8 statistics).
func minMax(values *array.String) (lo, hi parquet.ByteArray) {
	l, h := values.Value(0), values.Value(0)
	for i := 1; i < values.Len(); i++ {
		l, h = min(l, values.Value(i)), max(h, values.Value(i))
	}
	return parquet.ByteArray(l), parquet.ByteArray(h)
}

// takeStrings is the string array of values[rows[i]] (null where rows
// is); rows are Int32 or Uint16.
func takeStrings(mem memory.Allocator, values *array.String, rows arrow.Array) *array.String {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(rows.Len())
	for i := range rows.Len() {
		if rows.IsNull(i) {
			b.AppendNull()
			continue
		}
		var k int
		switch r := rows.(type) {
		case *array.Int32:
			k = int(r.Value(i))
		case *array.Uint16:
			k = int(r.Value(i))
		}
		b.Append(values.Value(k))
	}
	return b.NewStringArray()
}

// release frees the chunk's buffers.
func (d *dictChunk) release() {
	d.dict.release()
	d.rows.release()
}
