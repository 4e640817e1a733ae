package transform

import (
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/schemas"
)

// Column accumulators. A converted row is written straight into its
// partition's typed column buffers, the ones the record's arrays are then
// made of (no Arrow builder between, and no second copy): per cell a
// switch on a small kind number, a capacity check and one store, with the
// validity bit. The string columns copy their bytes once, into the data
// buffer of the record; the dictionary columns write the value's index
// (partition_dict.go); the list columns their items' bytes and offsets
// (partition_list.go). The SADD columns, rarely set, go through Arrow
// builders.
//
// A column whose values have all been null since its record started holds
// no buffer and costs nothing per row (a file leaves most fields of the
// schema empty): its buffers are made, with the nulls so far, by the first
// value set, or when the record is taken.
//
// The records hold exactly what appending the values to Arrow builders
// row by row gives (partition_block_test.go compares the two on random and
// hostile values, with the checked allocator: every buffer is freed).

// colKind is a field's schemas.Kind as a small number (a switch on it
// costs no string comparison per cell).
type colKind uint8

const (
	colNull colKind = iota // a kind the converter does not cast: always null
	colString
	colInt
	colFloat
	colDate
	colBool
	colList
	colSADD
	colDict // a string field built as a dictionary array (partition_dict.go)
)

func colKindOf(k schemas.Kind) colKind {
	switch k {
	case schemas.String:
		return colString
	case schemas.Int:
		return colInt
	case schemas.Float:
		return colFloat
	case schemas.Date:
		return colDate
	case schemas.Bool:
		return colBool
	case schemas.StringList:
		return colList
	case schemas.SADD:
		return colSADD
	}
	return colNull
}

// colAcc is one column of the record a partition is building. Before its
// first value is set (live false) it holds nothing: its rows are nulls.
// Once live, valid is the validity bitmap and vals the values (int64,
// float64, date32 or dictionary int32 indices; the value bitmap of a bool
// column; the int32 offsets of a string column, whose bytes are in data,
// or of a list column, into its items, whose offsets are in items and
// bytes in data); ints/flts/i32s/bits/offs are typed views of their
// capacity, cap rows. A builder column (SADD, kinds not cast) appends to
// b instead.
type colAcc struct {
	// The fields append reads for every row come first.
	kind  colKind
	live  bool
	runID int32
	// run is the number of rows, from the record's first, of a dictionary
	// column holding the same value, runID, whose string is runKey (0: no
	// run): a column whose rows are all one value (provenance, the
	// partition's country and round) is not written row by row; its
	// buffers are made when a row differs or when the record is taken
	// (endRun).
	run    int
	runKey string
	cap    int // rows the buffers hold (0 unless live and not a builder column)
	nulls  int
	dlen   int // string bytes used
	vbits  []byte
	ints   []int64
	i32s   []int32 // dates, dictionary indices
	flts   []float64
	offs   []int32
	bits   []byte // bool values
	dbuf   []byte // data's capacity
	dict   *dictBuilder
	valid  *memory.Buffer
	vals   *memory.Buffer
	data   *memory.Buffer // string bytes
	// A list column's items: nitems strings, their offsets ioffs (a view
	// of items, nitems+1 used) into data.
	items  *memory.Buffer
	ioffs  []int32
	nitems int
	// dataCap and itemCap are the string bytes and list items a column
	// made live starts with (the partition's reserve).
	dataCap int
	itemCap int
	b       array.Builder
}

// isBuilderKind reports the kinds built through an Arrow builder.
func isBuilderKind(k colKind) bool { return k == colSADD || k == colNull }

// Writing v as row r of the column (r rows are held before it) is
// prepare, then store if prepare says so (partitionSet.append, with
// store's commonest cases inline); capRows is the capacity a column made
// live now starts with.

// prepare does what writing v as row r takes but storing a set value in a
// live typed column with room for it (store), and reports whether that is
// left to do: a run continued, ended or started, a column made live or
// grown, a builder column's value, a null.
func (ca *colAcc) prepare(mem memory.Allocator, r, capRows int, v *value) bool {
	switch {
	case ca.run > 0:
		if v.set && (sameString(v.s, ca.runKey) || v.s == ca.runKey) {
			ca.run++
			return false
		}
		ca.endRun(mem, capRows)
	case !ca.live:
		if !v.set {
			return false
		}
		if r == 0 && ca.kind == colDict {
			ca.run, ca.runID = 1, ca.dict.indexOf(v.s, v.sid)
			ca.runKey = ca.dict.keys[ca.runID]
			return false
		}
		ca.start(mem, r, capRows)
	}
	if isBuilderKind(ca.kind) {
		appendBuilderValue(ca.b, ca.kind, v)
		return false
	}
	if r >= ca.cap {
		ca.grow(max(2*ca.cap, r+1, 64))
	}
	if v.set {
		return true
	}
	// A null: a zero value (the buffers may hold anything), no valid bit.
	ca.nulls++
	switch ca.kind {
	case colString:
		ca.offs[r+1] = int32(ca.dlen)
	case colList:
		ca.offs[r+1] = int32(ca.nitems)
	case colDict, colDate:
		ca.i32s[r] = 0
	case colInt:
		ca.ints[r] = 0
	case colFloat:
		ca.flts[r] = 0
	}
	return false
}

// store writes the set value v as row r of a live typed column with room
// for it (no run: prepare).
func (ca *colAcc) store(r int, v *value) {
	ca.vbits[r>>3] |= 1 << (r & 7)
	switch ca.kind {
	case colString:
		ca.appendData(v.s)
		ca.offs[r+1] = int32(ca.dlen)
	case colList:
		ca.appendItems(v.list)
		ca.offs[r+1] = int32(ca.nitems)
	case colDict:
		id := ca.dict.known(v.s, v.sid)
		if id < 0 {
			id = ca.dict.indexOf(v.s, v.sid)
		}
		ca.i32s[r] = id
	case colInt:
		ca.ints[r] = v.i
	case colFloat:
		ca.flts[r] = v.f
	case colDate:
		ca.i32s[r] = int32(date32Of(v.d))
	case colBool:
		if v.b {
			ca.bits[r>>3] |= 1 << (r & 7)
		}
	}
}

// endRun makes the column of a run live, its run rows holding runID.
func (ca *colAcc) endRun(mem memory.Allocator, capRows int) {
	n := ca.run
	ca.run, ca.runKey = 0, ""
	ca.start(mem, 0, max(capRows, n+1))
	for i := range ca.i32s[:n] {
		ca.i32s[i] = ca.runID
	}
	full := n / 8
	for i := range ca.vbits[:full] {
		ca.vbits[i] = 0xFF
	}
	if tail := n % 8; tail > 0 {
		ca.vbits[full] |= byte(1)<<tail - 1
	}
}

// appendData appends s to the string bytes, growing them geometrically.
func (ca *colAcc) appendData(s string) {
	need := ca.dlen + len(s)
	if need > len(ca.dbuf) {
		if need > math.MaxInt32 {
			// Arrow string offsets are int32: a record's strings of a
			// column must stay under 2 GiB. Records are at most BatchRows
			// rows of cells the readers bound, so this is not reached.
			panic("transform: string column of a record exceeds 2 GiB")
		}
		ca.data.Reserve(max(need, 2*len(ca.dbuf), 256))
		ca.dbuf = ca.data.Buf()
	}
	copy(ca.dbuf[ca.dlen:], s)
	ca.dlen = need
}

// start makes the column live with room for capRows rows (at least r+1),
// its first r rows null.
func (ca *colAcc) start(mem memory.Allocator, r, capRows int) {
	ca.live = true
	if isBuilderKind(ca.kind) {
		ca.b.AppendNulls(r)
		return
	}
	ca.valid = memory.NewResizableBuffer(mem)
	ca.vals = memory.NewResizableBuffer(mem)
	if ca.kind == colList {
		ca.startItems(mem)
	}
	if ca.kind == colString || ca.kind == colList {
		ca.data = memory.NewResizableBuffer(mem)
		ca.dlen = 0
		if ca.dataCap > 0 {
			ca.data.Reserve(ca.dataCap)
			ca.dbuf = ca.data.Buf()
		}
	}
	ca.cap = 0
	ca.grow(max(capRows, r+1))
	// Rows before r are nulls: zero bits (grow zeroed the bitmaps), zero
	// values, empty strings.
	ca.nulls = r
	switch ca.kind {
	case colString, colList:
		clear(ca.offs[:r+1])
	case colDict, colDate:
		clear(ca.i32s[:r])
	case colInt:
		clear(ca.ints[:r])
	case colFloat:
		clear(ca.flts[:r])
	}
}

// grow gives a live column room for n rows, keeping its rows. The bitmaps'
// new bytes are zeroed (bits are only ever set).
func (ca *colAcc) grow(n int) {
	old := bitBytes(ca.cap)
	ca.valid.Reserve(bitBytes(n))
	ca.vbits = ca.valid.Buf()
	clear(ca.vbits[old:])
	switch ca.kind {
	case colString, colList:
		ca.vals.Reserve(4 * (n + 1))
		ca.offs = arrow.Int32Traits.CastFromBytes(ca.vals.Buf())
	case colDict, colDate:
		ca.vals.Reserve(4 * n)
		ca.i32s = arrow.Int32Traits.CastFromBytes(ca.vals.Buf())
	case colInt:
		ca.vals.Reserve(8 * n)
		ca.ints = arrow.Int64Traits.CastFromBytes(ca.vals.Buf())
	case colFloat:
		ca.vals.Reserve(8 * n)
		ca.flts = arrow.Float64Traits.CastFromBytes(ca.vals.Buf())
	case colBool:
		ca.vals.Reserve(bitBytes(n))
		ca.bits = ca.vals.Buf()
		clear(ca.bits[old:])
	}
	ca.cap = n
}

// date32Of is arrow.Date32FromTime(t), the days from 1970-01-01 to t's
// UTC day, without its Truncate: t.Truncate(24h) is the UTC midnight at or
// before t (the zero time is a UTC midnight), whose Unix seconds are a
// multiple of a day, so the days are t's Unix seconds divided by a day
// rounded down.
func date32Of(t time.Time) arrow.Date32 {
	const day = 24 * 60 * 60
	s := t.Unix()
	d := s / day
	if s%day < 0 {
		d--
	}
	return arrow.Date32(d)
}

// bitBytes is the number of bytes of a bitmap of n bits.
func bitBytes(n int) int { return (n + 7) / 8 }

// newArray returns the column's rows rows as an array of type t and
// starts the next record (the buffers now belong to the array). measure
// records the shape of a builder column's rows first.
//
// The array of a column null on every row of the record (never live, not
// a builder column) is made of zeros, a read-only buffer of at least
// 8 × rows + 8 bytes of zeros that the caller shares between such arrays
// (as their validity bitmap, values or offsets, and string bytes); so are
// the indices of a dictionary column holding one value on every row
// (without a validity bitmap).
func (ca *colAcc) newArray(mem memory.Allocator, t arrow.DataType, rows int, zeros *memory.Buffer, measure func(array.Builder)) arrow.Array {
	if ca.run == rows && ca.runID == 0 && rows > 0 {
		// One value on every row: index 0 everywhere, no nulls.
		ca.run, ca.runKey = 0, ""
		return ca.makeArray(t, rows, []*memory.Buffer{nil, zeros}, nil, 0)
	}
	if ca.run > 0 {
		ca.endRun(mem, rows)
	}
	if !ca.live && !isBuilderKind(ca.kind) {
		bufs := []*memory.Buffer{zeros, zeros}
		var items *array.Data
		switch ca.kind {
		case colString:
			bufs = append(bufs, zeros)
		case colList: // every list null: no items
			items = array.NewData(arrow.BinaryTypes.String, 0, []*memory.Buffer{nil, zeros, zeros}, nil, 0, 0)
			defer items.Release()
		}
		return ca.makeArray(t, rows, bufs, items, rows)
	}
	if !ca.live {
		ca.start(mem, rows, rows)
	}
	ca.live = false
	if isBuilderKind(ca.kind) {
		measure(ca.b)
		return ca.b.NewArray()
	}
	ca.valid.ResizeNoShrink(bitBytes(rows))
	bufs := []*memory.Buffer{ca.valid, ca.vals}
	var items *array.Data
	switch ca.kind {
	case colString:
		ca.vals.ResizeNoShrink(4 * (rows + 1))
		ca.data.ResizeNoShrink(ca.dlen)
		bufs = append(bufs, ca.data)
	case colList:
		ca.vals.ResizeNoShrink(4 * (rows + 1))
		items = ca.itemsData()
		defer items.Release()
	case colDict, colDate:
		ca.vals.ResizeNoShrink(4 * rows)
	case colInt, colFloat:
		ca.vals.ResizeNoShrink(8 * rows)
	case colBool:
		ca.vals.ResizeNoShrink(bitBytes(rows))
	}
	arr := ca.makeArray(t, rows, bufs, items, ca.nulls)
	ca.releaseBuffers()
	return arr
}

// makeArray makes the array of type t of the buffers (retained), with the
// dictionary builder's values for a dictionary column and the items (a
// string array's data, retained) for a list column.
func (ca *colAcc) makeArray(t arrow.DataType, rows int, bufs []*memory.Buffer, items *array.Data, nulls int) arrow.Array {
	var d *array.Data
	switch {
	case ca.kind == colDict:
		dict := ca.dict.newValues()
		d = array.NewDataWithDictionary(t, rows, bufs, nulls, 0, dict.Data().(*array.Data))
		dict.Release()
	case items != nil:
		d = array.NewData(t, rows, bufs, []arrow.ArrayData{items}, nulls, 0)
	default:
		d = array.NewData(t, rows, bufs, nil, nulls, 0)
	}
	arr := array.MakeFromData(d)
	d.Release()
	return arr
}

// releaseBuffers drops the column's references to its buffers.
func (ca *colAcc) releaseBuffers() {
	for _, b := range []*memory.Buffer{ca.valid, ca.vals, ca.data, ca.items} {
		if b != nil {
			b.Release()
		}
	}
	ca.valid, ca.vals, ca.data, ca.items = nil, nil, nil, nil
	ca.vbits, ca.ints, ca.flts, ca.i32s, ca.offs, ca.bits, ca.dbuf, ca.ioffs = nil, nil, nil, nil, nil, nil, nil, nil
	ca.cap, ca.nulls, ca.dlen, ca.nitems = 0, 0, 0, 0
}

// release frees everything the column holds.
func (ca *colAcc) release() {
	ca.releaseBuffers()
	ca.live, ca.run, ca.runKey = false, 0, ""
	if ca.b != nil {
		ca.b.Release()
		ca.b = nil
	}
	if ca.dict != nil {
		ca.dict.release()
		ca.dict = nil
	}
}

// appendBuilderValue appends v to the builder of a list, SADD or
// uncast column (the accumulators build the lists themselves; the tests'
// reference builds them so).
func appendBuilderValue(b array.Builder, k colKind, v *value) {
	if !v.set {
		b.AppendNull()
		return
	}
	switch k {
	case colList:
		lb := b.(*array.ListBuilder)
		lb.Append(true)
		sb := lb.ValueBuilder().(*array.StringBuilder)
		for _, s := range v.list {
			sb.Append(s)
		}
	case colSADD:
		lb := b.(*array.ListBuilder)
		lb.Append(true)
		appendSADDCells(lb.ValueBuilder().(*array.StructBuilder), v.sadd)
	default:
		b.AppendNull()
	}
}

// appendSADDCells appends SADD cells to the struct builder of a SADD list.
func appendSADDCells(st *array.StructBuilder, cells []SADDCell) {
	group := st.FieldBuilder(0).(*array.StringBuilder)
	sex := st.FieldBuilder(1).(*array.StringBuilder)
	ageMin := st.FieldBuilder(2).(*array.Int32Builder)
	ageMax := st.FieldBuilder(3).(*array.Int32Builder)
	count := st.FieldBuilder(4).(*array.Int64Builder)
	for _, c := range cells {
		st.Append(true)
		if c.Group == "" {
			group.AppendNull()
		} else {
			group.Append(c.Group)
		}
		sex.Append(c.Sex)
		ageMin.Append(c.AgeMin)
		if c.AgeMax == nil {
			ageMax.AppendNull()
		} else {
			ageMax.Append(*c.AgeMax)
		}
		count.Append(c.Count)
	}
}
