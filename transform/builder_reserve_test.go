package transform

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// fillShapes appends rows rows of strings, string lists and structs (the
// shapes of dtm's columns) to the builders of a record builder.
func fillShapes(b *array.RecordBuilder, rows int) {
	s := b.Field(0).(*array.StringBuilder)
	l := b.Field(1).(*array.ListBuilder)
	st := b.Field(2).(*array.ListBuilder)
	n := b.Field(3).(*array.Int64Builder)
	for i := range rows {
		if i%7 == 0 {
			s.AppendNull()
		} else {
			s.Append(fmt.Sprintf("site %d", i))
		}
		l.Append(true)
		for j := range i % 3 {
			l.ValueBuilder().(*array.StringBuilder).Append(fmt.Sprint("reason", j))
		}
		st.Append(true)
		sb := st.ValueBuilder().(*array.StructBuilder)
		for range 2 {
			sb.Append(true)
			sb.FieldBuilder(0).(*array.StringBuilder).Append("female")
			sb.FieldBuilder(1).(*array.Int64Builder).Append(int64(i))
		}
		n.Append(int64(i))
	}
}

// TestReserveBuilderAvoidsReallocation: builders reserved from the shape
// of the previous record hold a record of the same shape without growing.
func TestReserveBuilderAvoidsReallocation(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "l", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
		{Name: "st", Type: arrow.ListOf(arrow.StructOf(
			arrow.Field{Name: "sex", Type: arrow.BinaryTypes.String},
			arrow.Field{Name: "n", Type: arrow.PrimitiveTypes.Int64})), Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	const rows = 3000
	fillShapes(b, rows)
	hints := make([]sizeHint, len(b.Fields()))
	for i, fb := range b.Fields() {
		measureBuilder(fb, rows, &hints[i])
	}
	first := b.NewRecordBatch()
	defer first.Release()

	for i, fb := range b.Fields() {
		reserveBuilder(fb, rows, &hints[i])
	}
	reserved := mem.CurrentAlloc()
	fillShapes(b, rows)
	if got := mem.CurrentAlloc(); got != reserved {
		t.Errorf("appending a record of the measured shape grew the builders from %d to %d bytes", reserved, got)
	}
	second := b.NewRecordBatch()
	defer second.Release()
	if !array.RecordEqual(first, second) {
		t.Errorf("records differ:\n%v\n%v", first, second)
	}
}

// TestReserveUnmeasured: without a measured shape, the rows alone are
// reserved, and nothing is reserved for no rows.
func TestReserveUnmeasured(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sb := array.NewStringBuilder(mem)
	defer sb.Release()
	var h sizeHint
	reserveBuilder(sb, 0, &h)
	if sb.Cap() != 0 {
		t.Errorf("reserving 0 rows: capacity %d", sb.Cap())
	}
	reserveBuilder(sb, 100, &h)
	if sb.Cap() < 100 {
		t.Errorf("reserving 100 rows: capacity %d", sb.Cap())
	}
}
