package transform

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/iom-dtm/dtm/schemas"
)

// Column blocks. A converted row is not appended to its partition's Arrow
// builders cell by cell (a switch on the kind, a builder type assertion
// and capacity checks per cell): its values are copied into the
// partition's typed per-column buffers, and every blockRows rows of the
// partition, and at the end of each Convert call, the block is appended to
// the builders column by column (AppendValues: one capacity check and one
// copy per column). The builders, and so the records and files, hold
// exactly what appending row by row gives (partition_block_test.go
// compares the two on random and hostile values).
//
// Strings are not copied into the block: they point into the rows being
// converted, which stay valid until Convert returns, and Convert flushes
// the blocks before it returns.

// blockRows is the number of rows a column block holds. Each partition has
// its own block, and files interleave a few partitions row by row (the
// bench's file cycles through nine): 256 rows of ~40 columns per partition
// keep the blocks small enough to stay in the CPU caches.
const blockRows = 256

// colBlock holds the values of the rows of one partition not yet appended
// to its builders, by column.
type colBlock struct {
	n     int // rows held
	kinds []colKind
	cols  []colBuf
}

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

// colBuf is one column of a colBlock: valid[i] is false for a null, and
// the slice of the column's kind holds the values (the zero value for a
// null). A list column holds its rows' items end to end, ends[i] being
// the end of row i's.
type colBuf struct {
	valid []bool
	strs  []string
	ints  []int64
	flts  []float64
	days  []arrow.Date32
	bools []bool
	items []string
	cells []SADDCell
	ends  []int
}

// push copies the values of one row (in schema order; kinds are the
// fields' colKinds) into the block.
func (blk *colBlock) push(kinds []colKind, vals []value) {
	if len(blk.cols) != len(kinds) {
		blk.kinds = kinds
		blk.cols = make([]colBuf, len(kinds))
	}
	for i := range blk.cols {
		cb, v := &blk.cols[i], &vals[i]
		cb.valid = append(cb.valid, v.set)
		switch blk.kinds[i] {
		case colString, colDict:
			s := ""
			if v.set {
				s = v.s
			}
			cb.strs = append(cb.strs, s)
		case colInt:
			var n int64
			if v.set {
				n = v.i
			}
			cb.ints = append(cb.ints, n)
		case colFloat:
			var x float64
			if v.set {
				x = v.f
			}
			cb.flts = append(cb.flts, x)
		case colDate:
			var d arrow.Date32
			if v.set {
				d = arrow.Date32FromTime(v.d)
			}
			cb.days = append(cb.days, d)
		case colBool:
			cb.bools = append(cb.bools, v.set && v.b)
		case colList:
			if v.set {
				cb.items = append(cb.items, v.list...)
			}
			cb.ends = append(cb.ends, len(cb.items))
		case colSADD:
			if v.set {
				cb.cells = append(cb.cells, v.sadd...)
			}
			cb.ends = append(cb.ends, len(cb.cells))
		}
	}
	blk.n++
}

// appendTo appends the block's rows to the builders (in schema order; the
// dictionary columns to dicts) and empties the block.
func (blk *colBlock) appendTo(builders []array.Builder, dicts []*dictBuilder) {
	for i := range blk.cols {
		cb := &blk.cols[i]
		switch b := builders[i]; blk.kinds[i] {
		case colString:
			appendStrings(b.(*array.StringBuilder), cb.strs, cb.valid)
		case colDict:
			dicts[i].appendValues(cb.strs, cb.valid)
		case colInt:
			b.(*array.Int64Builder).AppendValues(cb.ints, cb.valid)
		case colFloat:
			b.(*array.Float64Builder).AppendValues(cb.flts, cb.valid)
		case colDate:
			b.(*array.Date32Builder).AppendValues(cb.days, cb.valid)
		case colBool:
			b.(*array.BooleanBuilder).AppendValues(cb.bools, cb.valid)
		case colList:
			appendStringLists(b.(*array.ListBuilder), cb)
		case colSADD:
			appendSADDLists(b.(*array.ListBuilder), cb)
		default:
			b.AppendNulls(len(cb.valid))
		}
		cb.reset()
	}
	blk.n = 0
}

// reset empties the column, dropping its references to the rows' strings.
func (cb *colBuf) reset() {
	clear(cb.strs)
	clear(cb.items)
	clear(cb.cells)
	cb.valid, cb.strs, cb.ints, cb.flts = cb.valid[:0], cb.strs[:0], cb.ints[:0], cb.flts[:0]
	cb.days, cb.bools, cb.items, cb.cells, cb.ends = cb.days[:0], cb.bools[:0], cb.items[:0], cb.cells[:0], cb.ends[:0]
}

// appendStrings is sb.AppendValues(strs, valid) with the data buffer grown
// geometrically: AppendValues reserves exactly the bytes of its strings,
// so appending block after block would copy the buffer each time.
func appendStrings(sb *array.StringBuilder, strs []string, valid []bool) {
	n := 0
	for _, s := range strs {
		n += len(s)
	}
	if need := sb.DataLen() + n; need > sb.DataCap() {
		sb.ReserveData(max(n, sb.DataCap()+sb.DataCap()/2))
	}
	sb.AppendValues(strs, valid)
}

// appendLists appends the buffered rows of a list column to lb: a null
// list for an invalid row, otherwise a list whose elements (the buffer's
// items or cells from start to end, exclusive) add appends.
func appendLists(lb *array.ListBuilder, cb *colBuf, add func(start, end int)) {
	start := 0
	for r, ok := range cb.valid {
		end := cb.ends[r]
		if !ok {
			lb.AppendNull()
			continue
		}
		lb.Append(true)
		add(start, end)
		start = end
	}
}

func appendStringLists(lb *array.ListBuilder, cb *colBuf) {
	sb := lb.ValueBuilder().(*array.StringBuilder)
	appendLists(lb, cb, func(start, end int) { appendStrings(sb, cb.items[start:end], nil) })
}

func appendSADDLists(lb *array.ListBuilder, cb *colBuf) {
	st := lb.ValueBuilder().(*array.StructBuilder)
	group := st.FieldBuilder(0).(*array.StringBuilder)
	sex := st.FieldBuilder(1).(*array.StringBuilder)
	ageMin := st.FieldBuilder(2).(*array.Int32Builder)
	ageMax := st.FieldBuilder(3).(*array.Int32Builder)
	count := st.FieldBuilder(4).(*array.Int64Builder)
	appendLists(lb, cb, func(start, end int) {
		for _, c := range cb.cells[start:end] {
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
	})
}
