package sinks

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// TestIntDictionaryColumnsMatchPqarrow: integer, int32 and date columns
// and list<string> columns (null lists, empty lists, null elements, lists
// holding no value at all) numbered by the columns writer
// (parquet_intdict.go, parquet_listdict.go) give the bytes
// pqarrow's writer gives (dictionary pages, indices, statistics, footer),
// for every column shape, nulls, records sliced at an offset, buffered and
// written row groups, small row groups, and canonical site records. Pages
// cut by size and dictionaries over the size limit are not byte-compared
// (TestIntDictionaryColumnsReadBack covers them).
func TestIntDictionaryColumnsMatchPqarrow(t *testing.T) {
	schema := shapesSchema()
	recs, sliced := shapesRecords(t, schema)
	cases := map[string][]writeOp{
		"write": {{rec: recs[0]}, {rec: recs[1]}, {rec: sliced}, {rec: recs[2]}},
		"buffered": {{rec: recs[0], buffered: true}, {rec: sliced, buffered: true}, {newGroup: true},
			{rec: recs[1], buffered: true}, {rec: recs[2], buffered: true}, {newGroup: true}, {rec: recs[0], buffered: true}},
	}
	for name, ops := range cases {
		t.Run(name, func(t *testing.T) { comparePairWith(t, true, ops, ops) })
		t.Run(name+"/small_row_groups", func(t *testing.T) {
			comparePairWith(t, true, ops, ops, parquet.WithMaxRowGroupLength(1000))
		})
	}
	t.Run("sites", func(t *testing.T) {
		site := encodingRecords(t, 5000)
		var ops, strs []writeOp
		for _, r := range site {
			defer r.Release()
			s := stringColumns(r)
			defer s.Release()
			ops = append(ops, writeOp{rec: r, buffered: true})
			strs = append(strs, writeOp{rec: s, buffered: true})
		}
		comparePairWith(t, true, strs, ops)
	})
}

// TestIntDictionaryColumnsReadBack: with pages cut by size, dictionaries
// over the size limit (written from the values by pqarrow), all-null and
// constant columns, the file reads back, with pqarrow, as the same schema
// and values as pqarrow's own file.
func TestIntDictionaryColumnsReadBack(t *testing.T) {
	md := arrow.NewMetadata([]string{"dtm.dataset"}, []string{"test"})
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "wide", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "narrow", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "neg", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "date", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "nulls", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "const", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "req", Type: arrow.PrimitiveTypes.Int64},
	}, &md)
	rng := rand.New(rand.NewPCG(3, 4))
	mk := func(n int) arrow.RecordBatch {
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		defer b.Release()
		for range n {
			null := func() bool { return rng.IntN(7) == 0 }
			for i, f := range schema.Fields() {
				if f.Name == "nulls" || (f.Nullable && f.Name != "const" && null()) {
					b.Field(i).AppendNull()
					continue
				}
				switch f.Name {
				case "wide":
					b.Field(i).(*array.Int64Builder).Append(rng.Int64())
				case "narrow", "req":
					b.Field(i).(*array.Int64Builder).Append(rng.Int64N(40))
				case "neg":
					b.Field(i).(*array.Int64Builder).Append(rng.Int64N(2000) - 1000)
				case "i32":
					b.Field(i).(*array.Int32Builder).Append(rng.Int32() - 1<<30)
				case "date":
					b.Field(i).(*array.Date32Builder).Append(arrow.Date32(-400 + rng.IntN(30000)))
				case "const":
					b.Field(i).(*array.Int64Builder).Append(7)
				}
			}
		}
		return b.NewRecordBatch()
	}
	recs := []arrow.RecordBatch{mk(4000), mk(2500), mk(1)}
	sliced := recs[0].NewSlice(333, 3999)
	defer func() {
		sliced.Release()
		for _, r := range recs {
			r.Release()
		}
	}()
	ops := []writeOp{{rec: recs[0], buffered: true}, {rec: sliced, buffered: true}, {newGroup: true},
		{rec: recs[1], buffered: true}, {rec: recs[2], buffered: true}, {newGroup: true}, {rec: recs[1]}}
	for name, opts := range map[string][]parquet.WriterProperty{
		"default":     nil,
		"small_pages": {parquet.WithDataPageSize(512)},
		"small_dict":  {parquet.WithDictionaryPageSizeLimit(2048)},
		"both":        {parquet.WithDataPageSize(700), parquet.WithDictionaryPageSizeLimit(1000)},
	} {
		t.Run(name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			props := parquetWriterProperties(schema, nil, append([]parquet.WriterProperty{parquet.WithAllocator(mem)}, opts...)...)
			var want, got nopCloser
			fw, err := newParquetWriter(&want, schema, props, pqarrow.WithAllocator(mem))
			if err != nil {
				t.Fatal(err)
			}
			writeAll(t, fw, ops)
			cw, ok, err := newColumnsWriter(&got, schema, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem)), 2)
			if err != nil || !ok {
				t.Fatalf("newColumnsWriter: %v, %v", ok, err)
			}
			cw.useIntDictionaries()
			writeAll(t, cw, ops)
			wt, gt := readBack(t, want.Bytes()), readBack(t, got.Bytes())
			defer wt.Release()
			defer gt.Release()
			if !gt.Schema().Equal(wt.Schema()) {
				t.Fatalf("schema %s, want %s", gt.Schema(), wt.Schema())
			}
			if !array.TableEqual(gt, wt) {
				t.Fatal("the values read back differ from pqarrow's file")
			}
			if name == "default" && !usesDictionary(t, got.Bytes(), "wide") {
				t.Error("column wide is not dictionary-encoded")
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) && name == "default" {
				sameParquet(t, name, got.Bytes(), want.Bytes())
			}
		})
	}
}

// usesDictionary reports whether every row group of the file has a
// dictionary page for column col.
func usesDictionary(t *testing.T, b []byte, col string) bool {
	t.Helper()
	rd, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	idx := rd.MetaData().Schema.ColumnIndexByName(col)
	for g := range rd.NumRowGroups() {
		cc, err := rd.MetaData().RowGroup(g).ColumnChunk(idx)
		if err != nil {
			t.Fatal(err)
		}
		if !cc.HasDictionaryPage() {
			return false
		}
	}
	return true
}

// TestIntTableNumbersInOrder: the table numbers values in order of first
// appearance and finds each again, across growth and resets, for values
// that collide in the low and high bits, negative values and extremes.
func TestIntTableNumbersInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := newIntDictChunk[int64](memory.DefaultAllocator, arrow.Field{Name: "x", Type: arrow.PrimitiveTypes.Int64})
	defer d.release()
	for round := range 3 {
		want := map[int64]int32{}
		var order []int64
		for i := range 20000 {
			var v int64
			switch i % 4 {
			case 0:
				v = rng.Int64N(3000) - 1500
			case 1:
				v = int64(rng.IntN(5000)) << 40
			case 2:
				v = []int64{-1 << 63, 1<<63 - 1, 0, -1}[rng.IntN(4)]
			default:
				v = rng.Int64()
			}
			id := d.number(v)
			w, ok := want[v]
			if !ok {
				w = int32(len(want))
				want[v] = w
				order = append(order, v)
			}
			if id != w {
				t.Fatalf("round %d: number(%d) = %d, want %d", round, v, id, w)
			}
		}
		for i, v := range order {
			if d.values[i] != v {
				t.Fatalf("round %d: values[%d] = %d, want %d", round, i, d.values[i], v)
			}
		}
		d.values = d.values[:0]
		d.table.reset(len(want) / (round + 1))
	}
}
