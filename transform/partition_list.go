package transform

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// List columns. A list<string> column (displacement reasons, p-code
// flags) is accumulated as the other string columns are: the rows' list
// offsets in vals (into the items), the items' offsets in items and their
// bytes in data, the buffers of the record's list array and of its string
// array of items (no null items: a list holds strings). An Arrow
// ListBuilder, with its string builder, cost per row a type assertion, a
// bitmap and offset append each and a call per item: on the site rows
// (one list column set on every row) BenchmarkPartitionAppend went from
// 523 to 475 cpu-ns a row with six partitions interleaved and from 398 to
// 358 with one (medians of 6 alternated pairs, 6 won each).

// startItems makes the items' offsets of a list column made live, with
// room for the reserved items.
func (ca *colAcc) startItems(mem memory.Allocator) {
	ca.items = memory.NewResizableBuffer(mem)
	ca.nitems = 0
	ca.growItems(max(ca.itemCap, 1))
	ca.ioffs[0] = 0
}

// growItems gives the items' offsets room for n items.
func (ca *colAcc) growItems(n int) {
	ca.items.Reserve(4 * (n + 1))
	ca.ioffs = arrow.Int32Traits.CastFromBytes(ca.items.Buf())
}

// appendItems appends the strings of one list.
func (ca *colAcc) appendItems(list []string) {
	if need := ca.nitems + len(list) + 1; need > len(ca.ioffs) {
		ca.growItems(max(need, 2*len(ca.ioffs), 64))
	}
	for _, s := range list {
		ca.appendData(s)
		ca.nitems++
		ca.ioffs[ca.nitems] = int32(ca.dlen)
	}
}

// itemsData returns the items as a string array's data (the caller
// releases it), their buffers sized to them.
func (ca *colAcc) itemsData() *array.Data {
	ca.items.ResizeNoShrink(4 * (ca.nitems + 1))
	ca.data.ResizeNoShrink(ca.dlen)
	return array.NewData(arrow.BinaryTypes.String, ca.nitems, []*memory.Buffer{nil, ca.items, ca.data}, nil, 0, 0)
}

// measureList records in h the shape of a list column's rows rows (items
// per row, bytes per item), for the reserve of its next record.
func (ca *colAcc) measureList(rows int, h *sizeHint) {
	if rows <= 0 {
		return
	}
	h.perRow, h.measured = 1, true
	h.kids = growHints(h.kids, 1)
	k := &h.kids[0]
	k.perRow, k.measured = float64(ca.nitems)/float64(rows), true
	if ca.nitems > 0 {
		k.dataPer = float64(ca.dlen) / float64(ca.nitems)
	}
}

// reserveList sets the items and bytes a list column made live starts
// with, for rows rows of the shape h records.
func (ca *colAcc) reserveList(rows int, h *sizeHint) {
	if len(h.kids) != 1 || !h.kids[0].measured {
		return
	}
	k := &h.kids[0]
	ca.itemCap = int(float64(rows)*k.perRow*reserveMargin) + 1
	ca.dataCap = int(float64(ca.itemCap)*k.dataPer*reserveMargin) + 16
}
