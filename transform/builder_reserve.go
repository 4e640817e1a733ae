package transform

import (
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Pre-sizing the record's columns. A buffer grown by doubling from nothing
// each time its record is taken costs, for a 64 Ki-row record, a dozen
// reallocations and copies, about twice its final size allocated. A
// partition's columns are instead sized once, when they start a record,
// for as many rows as they are expected to hold (the rows of the
// partition's previous record and a margin, or the rows left in the
// current Convert call: partitionSet.reserve) and, for strings and lists,
// for as many bytes and items per row as the last record taken held (the
// list columns' Arrow builders through reserveBuilder). Capacity only:
// the values built, and so the files written, do not change.

// sizeHint is the shape of one builder's last record: items per parent
// row (1 for a top-level column) and, for strings, data bytes per item;
// kids are the hints of a list's items or of a struct's fields.
type sizeHint struct {
	perRow   float64
	dataPer  float64
	kids     []sizeHint
	measured bool
}

// reserveMargin is the share added to a measured estimate, so that a
// record slightly larger than the last one does not double its buffers.
const reserveMargin = 1.125

// measureBuilder records in h the shape of b's current contents, which
// hold items for parentRows parent rows (call it before the record is
// taken; a builder with no rows leaves h as it is).
func measureBuilder(b array.Builder, parentRows int, h *sizeHint) {
	n := b.Len()
	if parentRows <= 0 {
		return
	}
	h.perRow, h.measured = float64(n)/float64(parentRows), true
	switch t := b.(type) {
	case *array.StringBuilder:
		if n > 0 {
			h.dataPer = float64(t.DataLen()) / float64(n)
		}
	case *array.ListBuilder:
		h.kids = growHints(h.kids, 1)
		measureBuilder(t.ValueBuilder(), n, &h.kids[0])
	case *array.StructBuilder:
		h.kids = growHints(h.kids, t.NumField())
		for i := range t.NumField() {
			measureBuilder(t.FieldBuilder(i), n, &h.kids[i])
		}
	}
}

// reserveBuilder reserves room in b for rows more parent rows of the shape
// h records (rows items when h was never measured, no data bytes).
func reserveBuilder(b array.Builder, rows int, h *sizeHint) {
	n := rows
	if h.measured && h.perRow != 1 {
		n = int(float64(rows)*h.perRow*reserveMargin) + 1
	}
	if n <= 0 {
		return
	}
	switch t := b.(type) {
	case *array.StringBuilder:
		t.Reserve(n)
		if h.dataPer > 0 {
			t.ReserveData(int(float64(n)*h.dataPer*reserveMargin) + 16)
		}
	case *array.ListBuilder:
		t.Reserve(n)
		if len(h.kids) == 1 && h.kids[0].measured {
			reserveBuilder(t.ValueBuilder(), n, &h.kids[0])
		}
	case *array.StructBuilder:
		t.Reserve(n) // the fields too, n items each
		for i := range min(t.NumField(), len(h.kids)) {
			if k := &h.kids[i]; k.dataPer > 0 {
				reserveBuilder(t.FieldBuilder(i), n, k)
			}
		}
	default:
		b.Reserve(n)
	}
}

func growHints(h []sizeHint, n int) []sizeHint {
	if len(h) < n {
		h = append(h, make([]sizeHint, n-len(h))...)
	}
	return h
}
