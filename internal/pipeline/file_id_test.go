package pipeline

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/schemas"
)

// TestWithFileID: every row of the record gets the id as its
// source_file_id, as a dictionary (the converter's) or a string column,
// nulls kept and the other columns untouched; a record without the column
// is returned as is, one of another type is an error; nothing leaks.
func TestWithFileID(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ints := func() arrow.Array {
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.AppendValues([]int64{1, 2, 3, 4}, nil)
		return b.NewArray()
	}
	dictCol := func() arrow.Array {
		ib := array.NewInt32Builder(mem)
		defer ib.Release()
		ib.AppendValues([]int32{0, 0, 0, 0}, []bool{true, true, false, true})
		idx := ib.NewArray()
		defer idx.Release()
		sb := array.NewStringBuilder(mem)
		defer sb.Release()
		sb.Append("")
		dict := sb.NewArray()
		defer dict.Release()
		return array.NewDictionaryArray(&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, idx, dict)
	}
	strCol := func() arrow.Array {
		sb := array.NewStringBuilder(mem)
		defer sb.Release()
		sb.AppendValues([]string{"", "", "", ""}, []bool{true, false, true, true})
		return sb.NewArray()
	}
	record := func(name string, col arrow.Array) arrow.RecordBatch {
		a := ints()
		defer a.Release()
		defer col.Release()
		s := arrow.NewSchema([]arrow.Field{{Name: "n", Type: a.DataType()}, {Name: name, Type: col.DataType(), Nullable: true}}, nil)
		return array.NewRecordBatch(s, []arrow.Array{a, col}, 4)
	}
	const id = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	for _, tc := range []struct {
		name  string
		col   func() arrow.Array
		nulls []bool
	}{{"dictionary", dictCol, []bool{false, false, true, false}}, {"string", strCol, []bool{false, true, false, false}}} {
		rec := record(schemas.ColSourceFileID, tc.col())
		got, err := withFileID(rec, id, mem)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !arrow.TypeEqual(got.Column(1).DataType(), rec.Column(1).DataType()) || got.Column(0) != rec.Column(0) || got.NumRows() != 4 {
			t.Errorf("%s: schema or other columns changed", tc.name)
		}
		for i := range 4 {
			if v := str(got.Column(1), i); got.Column(1).IsNull(i) != tc.nulls[i] || (!tc.nulls[i] && v != id) {
				t.Errorf("%s: row %d is %q (null %v)", tc.name, i, v, got.Column(1).IsNull(i))
			}
		}
		got.Release()
		rec.Release()
	}
	rec := record("other", strCol())
	if got, err := withFileID(rec, id, mem); err != nil || got != rec {
		t.Errorf("no source_file_id column: %v, same record %v", err, got == rec)
	}
	rec.Release()
	rec = record(schemas.ColSourceFileID, ints())
	if _, err := withFileID(rec, id, mem); err == nil {
		t.Error("an int64 source_file_id column is not an error")
	}
	rec.Release()
}
