package sinks

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// rowNumbers are the dictionary numbers of one column's rows in the open
// row group (null for a null row), in two buffers kept from row group to
// row group: the numbers (int32 or uint16) and their validity bitmap. An
// array.Int32Builder hands its buffers to each row group's array and
// starts again from nothing, so each row group of each dictionary column
// took new buffers of its whole size (the 128 KiB class of the run's
// buffer pool for 32 Ki rows: ~35 MB a 1 M-row ingest, evicted from the
// pool's idle cap before they could be reused).
//
// dictChunk keeps its numbers as uint16 while its row group's dictionary
// has at most 1 << 16 entries (narrow; widen makes them int32 for the rest
// of the row group): a 1 M-row site ingest allocated 47 MB of numbers,
// mostly each file's buffers growing to its row groups' size, and held
// 22-27 MB of them. listDictChunk adds an int32 row at a time;
// intDictChunk fills ids and valid a record at a time (after reserve) and
// counts n and nulls. The zero value is not usable: newRowNumbers
// allocates from mem.
type rowNumbers struct {
	mem        memory.Allocator
	ids, valid *memory.Buffer
	n, nulls   int
	lastRows   int // rows of the previous row group (reserved by the next)
	// narrow: ids are uint16, not int32; preferNarrow: each row group
	// starts narrow (newNarrowRowNumbers).
	narrow, preferNarrow bool
}

func newRowNumbers(mem memory.Allocator) rowNumbers {
	return rowNumbers{mem: mem, ids: memory.NewResizableBuffer(mem), valid: memory.NewResizableBuffer(mem)}
}

// newNarrowRowNumbers are rowNumbers whose row groups start narrow.
func newNarrowRowNumbers(mem memory.Allocator) rowNumbers {
	r := newRowNumbers(mem)
	r.narrow, r.preferNarrow = true, true
	return r
}

// width is the size of a number in ids.
func (r *rowNumbers) width() int {
	if r.narrow {
		return 2
	}
	return 4
}

// reserve makes room for more rows (at least the previous row group's
// rows when the row group is empty).
func (r *rowNumbers) reserve(more int) {
	need := r.n + more
	if r.n == 0 {
		need = max(need, r.lastRows)
	}
	if c := r.ids.Len() / r.width(); need > c {
		size := max(need, 2*c)
		r.ids.Resize(size * r.width())
		r.valid.Resize(int(bitutil.BytesForBits(int64(size))))
	}
}

// ids32 are the numbers of wide rowNumbers (room included).
func (r *rowNumbers) ids32() []int32 { return arrow.Int32Traits.CastFromBytes(r.ids.Bytes()) }

// ids16 are the numbers of narrow rowNumbers (room included).
func (r *rowNumbers) ids16() []uint16 { return arrow.Uint16Traits.CastFromBytes(r.ids.Bytes()) }

// widen makes narrow numbers int32, in a new buffer of the same room.
func (r *rowNumbers) widen() {
	if !r.narrow {
		return
	}
	room := r.ids.Len() / 2
	wide := memory.NewResizableBuffer(r.mem)
	wide.Resize(room * 4)
	dst := arrow.Int32Traits.CastFromBytes(wide.Bytes())
	for i, v := range r.ids16()[:r.n] {
		dst[i] = int32(v)
	}
	r.ids.Release()
	r.ids = wide
	r.narrow = false
}

// add appends a row numbered id to wide numbers; reserve made room.
func (r *rowNumbers) add(id int32) {
	r.ids32()[r.n] = id
	bitutil.SetBit(r.valid.Bytes(), r.n)
	r.n++
}

// addNull appends a null row to wide numbers; reserve made room.
func (r *rowNumbers) addNull() {
	r.ids32()[r.n] = 0
	bitutil.ClearBit(r.valid.Bytes(), r.n)
	r.n++
	r.nulls++
}

// take returns the row group's numbers, wide, as an array over the
// buffers (the caller releases it, and must be done with it before the
// next add) and empties the row group.
func (r *rowNumbers) take() *array.Int32 {
	r.widen()
	return r.takeArray().(*array.Int32)
}

// takeArray is take with the numbers as they are: an Int32 or (narrow) a
// Uint16 array. The next row group starts narrow if preferred.
func (r *rowNumbers) takeArray() arrow.Array {
	var valid *memory.Buffer
	if r.nulls > 0 {
		valid = r.valid
	}
	typ := arrow.DataType(arrow.PrimitiveTypes.Int32)
	if r.narrow {
		typ = arrow.PrimitiveTypes.Uint16
	}
	data := array.NewData(typ, r.n, []*memory.Buffer{valid, r.ids}, nil, r.nulls, 0)
	defer data.Release()
	r.lastRows = r.n
	r.n, r.nulls = 0, 0
	r.narrow = r.preferNarrow
	return array.MakeFromData(data)
}

// release frees the buffers.
func (r *rowNumbers) release() {
	r.ids.Release()
	r.valid.Release()
}
