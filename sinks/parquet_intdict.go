package sinks

import (
	"context"
	"fmt"
	"math/bits"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Dictionary-encoded integer columns (counts, rounds, dates: Arrow int64,
// int32 and date32 columns the writer dictionary-encodes). pqarrow hands
// every value of such a column to the Parquet dictionary encoder, which
// looks it up in arrow-go's generic hash table (HashTable[int64]: ~0.5 of
// 8 CPU s for a 1 M-row site ingest, and 148 MB allocated growing it). An
// intDictChunk numbers the values itself, with an open-addressing table
// made for one integer type, and hands the encoder the finished dictionary
// and the rows' numbers (PutDictionary, WriteDictIndices), as dictChunk
// does for strings. The Parquet column, its dictionary (values in order of
// first appearance), indices, statistics and the stored Arrow schema are
// those pqarrow writes: readers get the same values and types.
//
// The site assessment's counts, thousands of distinct values in a row
// group of thousands of rows, are written plain instead (schemas.Field.Encoding: smaller files,
// less CPU; figures in schemas/field.go); this serves the integer columns
// left dictionary-encoded: dates and rounds, few values over long runs of
// rows. BenchmarkParquetSettings (200 k site rows, 32 Ki-row groups, load
// ~10, medians of 5; counts and dates dictionary-encoded): 476 -> 409
// CPU ms a write, the same bytes.
//
// Differences from pqarrow's bytes, readable alike: pqarrow's encoder
// sizes its pages from the dictionary's bit width as it grows, this one
// from the whole row group's, so a row group whose indices exceed the data
// page size may be cut into pages elsewhere; a row group whose dictionary
// reaches the dictionary page size limit is written by pqarrow from the
// values (falling back to plain as it does).
type intDictChunk[T int32 | int64] struct {
	field arrow.Field
	mem   memory.Allocator
	table intTable[T]
	// values is the dictionary by number; rows the row group's numbers
	// (parquet_rownums.go: kept from row group to row group, freed by
	// release).
	values []T
	rows   rowNumbers
	// last and lastID memoise the previous row's value: dates, rounds and
	// provenance repeat over runs of rows.
	last   T
	lastID int32
}

// dictColumn is a column of the open row group whose rows are numbered by
// the writer and handed to the Parquet dictionary encoder when the row
// group closes (dictChunk for strings, intDictChunk for integers).
type dictColumn interface {
	add(col arrow.Array) error
	write(ctx context.Context, cw file.ColumnChunkWriter, buf *levelBuffers) error
	release()
	name() string
}

// newIntDictColumn is the dictionary column of field, or nil when field is
// not a flat integer column (int64, int32, date32).
func newIntDictColumn(mem memory.Allocator, field arrow.Field) dictColumn {
	switch field.Type.ID() {
	case arrow.INT64:
		return newIntDictChunk[int64](mem, field)
	case arrow.INT32, arrow.DATE32:
		return newIntDictChunk[int32](mem, field)
	}
	return nil
}

func newIntDictChunk[T int32 | int64](mem memory.Allocator, field arrow.Field) *intDictChunk[T] {
	d := &intDictChunk[T]{field: field, mem: mem, rows: newRowNumbers(mem), lastID: -1}
	d.table.reset(0)
	return d
}

func (d *intDictChunk[T]) name() string { return d.field.Name }

// add appends the rows of an array of the column's type.
func (d *intDictChunk[T]) add(col arrow.Array) error {
	if !arrow.TypeEqual(col.DataType(), d.field.Type) {
		return fmt.Errorf("%s, not %s", col.DataType(), d.field.Type)
	}
	n := col.Len()
	if n == 0 {
		return nil
	}
	data := col.Data()
	var vals []T
	if b := data.Buffers()[1]; b != nil {
		vals = arrow.GetData[T](b.Bytes())[data.Offset() : data.Offset()+n]
	} else {
		return fmt.Errorf("%d rows without values", n)
	}
	d.rows.reserve(n)
	start := d.rows.n
	ids := arrow.GetData[int32](d.rows.ids.Bytes())[start : start+n]
	valid := d.rows.valid.Bytes()
	nulls := col.NullN()
	var bits []byte
	if nulls > 0 {
		bits = data.Buffers()[0].Bytes()
		bitutil.CopyBitmap(bits, data.Offset(), n, valid, start)
	} else {
		bitutil.SetBitsTo(valid, int64(start), int64(n), true)
	}
	for i, v := range vals {
		if bits != nil && !bitutil.BitIsSet(bits, data.Offset()+i) {
			ids[i] = 0
			continue
		}
		if v == d.last && d.lastID >= 0 {
			ids[i] = d.lastID
			continue
		}
		id := d.number(v)
		d.last, d.lastID = v, id
		ids[i] = id
	}
	d.rows.n += n
	d.rows.nulls += nulls
	return nil
}

// number is the row group's number of v, numbering it if it is new.
func (d *intDictChunk[T]) number(v T) int32 {
	t := &d.table
	h := t.slot(v)
	for {
		s := t.ids[h]
		if s == 0 {
			break
		}
		if t.keys[h] == v {
			return s - 1
		}
		h = (h + 1) & t.mask
	}
	id := int32(len(d.values))
	d.values = append(d.values, v)
	if t.put(h, v, id) {
		return id
	}
	t.grow()
	t.insert(v, id)
	return id
}

// write writes the row group's rows of the column to cw and empties the
// chunk.
func (d *intDictChunk[T]) write(ctx context.Context, cw file.ColumnChunkWriter, buf *levelBuffers) error {
	n, nulls := d.rows.n, d.rows.nulls
	values := d.values
	rows := d.rows.take()
	defer rows.Release()
	defer func() {
		d.values = d.values[:0]
		d.lastID = -1
		d.table.reset(len(values))
	}()
	if n == 0 {
		return nil
	}
	validBuf := rows.Data().Buffers()[0] // nil without nulls
	lw := flatLevels(rows, d.field.Nullable, buf)
	defer lw.values.Release()
	var zero T
	size := int64(unsafe.Sizeof(zero))
	enc := cw.CurrentEncoder()
	put, ok := enc.(dictPutter)
	if !ok || enc.Encoding() != parquet.Encodings.PlainDict || put.NumEntries() != 0 || int64(len(values))*size >= cw.Properties().DictionaryPageSizeLimit() {
		dense := d.dense(rows, validBuf, nulls)
		defer dense.Release()
		return pqarrow.WriteArrowToColumn(ctx, cw, dense, lw.def, nil, lw.nullable)
	}
	dict := d.dictArray(values)
	defer dict.Release()
	if err := put.PutDictionary(dict); err != nil {
		return err
	}
	if stats := cw.PageStatistics(); stats != nil {
		st, ok := stats.(interface {
			SetMinMax(T, T)
			IncNulls(int64)
			IncNumValues(int64)
		})
		if !ok {
			return fmt.Errorf("statistics of %T, not of %T", stats, zero)
		}
		st.IncNulls(int64(max(len(lw.def)-(n-nulls), 0)))
		st.IncNumValues(int64(n - nulls))
		if len(values) > 0 {
			lo, hi := values[0], values[0]
			for _, v := range values[1:] {
				lo, hi = min(lo, v), max(hi, v)
			}
			st.SetMinMax(lo, hi)
		}
	}
	reserveIndices(enc, n-nulls)
	if err := cw.WriteDictIndices(rows, lw.def, nil); err != nil {
		return err
	}
	// The raw size of the values (what pqarrow's Put counts): the last
	// page is then cut by flushLastPage as pqarrow's would be.
	if raw, ok := enc.(interface{ AddRawSize(int64) }); ok {
		raw.AddRawSize(int64(n-nulls) * size)
	}
	return nil
}

// dictArray is the dictionary as an array of the column's physical type
// (int32 for date32), as the encoder takes it; its buffer is Go memory
// the array does not own.
func (d *intDictChunk[T]) dictArray(values []T) arrow.Array {
	var zero T
	typ := arrow.DataType(arrow.PrimitiveTypes.Int64)
	if unsafe.Sizeof(zero) == 4 {
		typ = arrow.PrimitiveTypes.Int32
	}
	data := array.NewData(typ, len(values), []*memory.Buffer{nil, memory.NewBufferBytes(arrow.GetBytes(values))}, nil, 0, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// dense is the row group's values as an array of the column's type (the
// values the records held), for pqarrow to write.
func (d *intDictChunk[T]) dense(rows *array.Int32, validBuf *memory.Buffer, nulls int) arrow.Array {
	out := memory.NewResizableBuffer(d.mem)
	defer out.Release()
	out.Resize(rows.Len() * int(unsafe.Sizeof(d.last)))
	vals := arrow.GetData[T](out.Bytes())
	for i, id := range rows.Int32Values() {
		if rows.IsValid(i) {
			vals[i] = d.values[id]
		} else {
			vals[i] = 0
		}
	}
	data := array.NewData(d.field.Type, rows.Len(), []*memory.Buffer{validBuf, out}, nil, nulls, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// release frees the chunk's buffers.
func (d *intDictChunk[T]) release() {
	d.rows.release()
	d.values = nil
	d.table = intTable[T]{}
}

// intTable maps integer values to numbers: open addressing, linear
// probing, at most half full. ids holds number+1 (0: an empty slot).
type intTable[T int32 | int64] struct {
	keys  []T
	ids   []int32
	mask  uint64
	shift uint
	n     int
}

const minIntTable = 1 << 10

// reset empties the table, sized for hint values (its slots are kept when
// they are enough and not more than 4 times too many).
func (t *intTable[T]) reset(hint int) {
	size := minIntTable
	for size < 2*hint {
		size *= 2
	}
	if len(t.ids) >= size && len(t.ids) <= 4*size {
		clear(t.ids)
		t.n = 0
		return
	}
	t.alloc(size)
}

func (t *intTable[T]) alloc(size int) {
	t.keys = make([]T, size)
	t.ids = make([]int32, size)
	t.mask = uint64(size - 1)
	t.shift = uint(64 - bits.Len(uint(size-1)))
	t.n = 0
}

// slot is v's first slot (Fibonacci hashing: the high bits of v times
// 2^64/phi).
func (t *intTable[T]) slot(v T) uint64 {
	return (uint64(v) * 0x9E3779B97F4A7C15) >> t.shift
}

// put stores v at empty slot h unless the table would be over half full.
func (t *intTable[T]) put(h uint64, v T, id int32) bool {
	if 2*(t.n+1) > len(t.ids) {
		return false
	}
	t.keys[h], t.ids[h] = v, id+1
	t.n++
	return true
}

// insert stores a value not in the table.
func (t *intTable[T]) insert(v T, id int32) {
	h := t.slot(v)
	for t.ids[h] != 0 {
		h = (h + 1) & t.mask
	}
	t.keys[h], t.ids[h] = v, id+1
	t.n++
}

// grow doubles the table.
func (t *intTable[T]) grow() {
	keys, ids := t.keys, t.ids
	t.alloc(2 * len(ids))
	for i, s := range ids {
		if s != 0 {
			t.insert(keys[i], s-1)
		}
	}
}
