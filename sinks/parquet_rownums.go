package sinks

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// rowNumbers are the dictionary numbers of one column's rows in the open
// row group (null for a null row), in two buffers kept from row group to
// row group: the numbers (int32) and their validity bitmap. An
// array.Int32Builder hands its buffers to each row group's array and
// starts again from nothing, so each row group of each dictionary column
// took new buffers of its whole size (the 128 KiB class of the run's
// buffer pool for 32 Ki rows: ~35 MB a 1 M-row ingest, evicted from the
// pool's idle cap before they could be reused).
//
// dictChunk and listDictChunk add a row at a time; intDictChunk fills ids
// and valid a record at a time (after reserve) and counts n and nulls.
// The zero value is not usable: newRowNumbers allocates from mem.
type rowNumbers struct {
	ids, valid *memory.Buffer
	n, nulls   int
	lastRows   int // rows of the previous row group (reserved by the next)
}

func newRowNumbers(mem memory.Allocator) rowNumbers {
	return rowNumbers{ids: memory.NewResizableBuffer(mem), valid: memory.NewResizableBuffer(mem)}
}

// reserve makes room for more rows (at least the previous row group's
// rows when the row group is empty).
func (r *rowNumbers) reserve(more int) {
	need := r.n + more
	if r.n == 0 {
		need = max(need, r.lastRows)
	}
	if c := r.ids.Len() / 4; need > c {
		size := max(need, 2*c)
		r.ids.Resize(size * 4)
		r.valid.Resize(int(bitutil.BytesForBits(int64(size))))
	}
}

// add appends a row numbered id; reserve made room.
func (r *rowNumbers) add(id int32) {
	arrow.Int32Traits.CastFromBytes(r.ids.Bytes())[r.n] = id
	bitutil.SetBit(r.valid.Bytes(), r.n)
	r.n++
}

// addNull appends a null row; reserve made room.
func (r *rowNumbers) addNull() {
	arrow.Int32Traits.CastFromBytes(r.ids.Bytes())[r.n] = 0
	bitutil.ClearBit(r.valid.Bytes(), r.n)
	r.n++
	r.nulls++
}

// take returns the row group's numbers as an array over the buffers (the
// caller releases it, and must be done with it before the next add) and
// empties the row group.
func (r *rowNumbers) take() *array.Int32 {
	var valid *memory.Buffer
	if r.nulls > 0 {
		valid = r.valid
	}
	data := array.NewData(arrow.PrimitiveTypes.Int32, r.n, []*memory.Buffer{valid, r.ids}, nil, r.nulls, 0)
	defer data.Release()
	r.lastRows = r.n
	r.n, r.nulls = 0, 0
	return array.NewInt32Data(data)
}

// release frees the buffers.
func (r *rowNumbers) release() {
	r.ids.Release()
	r.valid.Release()
}
