package sinks

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/iom-dtm/dtm/schemas"
)

// nopCloser is a bytes.Buffer the writers may close.
type nopCloser struct{ bytes.Buffer }

func (*nopCloser) Close() error { return nil }

// writeOp is one call on a writer: a record written with Write, appended
// with WriteBuffered, or the start of a new buffered row group.
type writeOp struct {
	rec      arrow.RecordBatch
	buffered bool
	newGroup bool
}

// writeAll applies ops to w and closes it.
func writeAll(t *testing.T, w recordWriter, ops []writeOp) {
	t.Helper()
	for _, op := range ops {
		var err error
		switch {
		case op.newGroup:
			err = w.NewBufferedRowGroupChecked()
		case op.buffered:
			err = w.WriteBuffered(op.rec)
		default:
			err = w.Write(op.rec)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AppendKeyValueMetadata("dtm.test", "v"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// compareWriters writes ops with pqarrow's FileWriter and with a
// columnsWriter of 1 and 3 goroutines and requires the same bytes.
func compareWriters(t *testing.T, schema *arrow.Schema, ops []writeOp, opts ...parquet.WriterProperty) {
	t.Helper()
	comparePair(t, ops, ops, opts...)
}

// comparePair writes want with pqarrow's FileWriter and got with a
// columnsWriter of 1 and 3 goroutines and requires the same bytes (got
// may hold the same rows with dictionary arrays for string columns).
func comparePair(t *testing.T, wantOps, ops []writeOp, opts ...parquet.WriterProperty) {
	t.Helper()
	comparePairWith(t, false, wantOps, ops, opts...)
}

// comparePairWith is comparePair, the columns writer numbering its integer
// columns itself when intDicts is set (useIntDictionaries).
func comparePairWith(t *testing.T, intDicts bool, wantOps, ops []writeOp, opts ...parquet.WriterProperty) {
	t.Helper()
	schema := firstRec(wantOps).Schema()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	props := parquetWriterProperties(schema, func(n string) bool { return n == "plain_str" || n == "plain_int" || n == "plain_f64" },
		append([]parquet.WriterProperty{parquet.WithAllocator(mem)}, opts...)...)
	var want nopCloser
	fw, err := newParquetWriter(&want, schema, props, pqarrow.WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, fw, wantOps)
	for _, workers := range []int{1, 3} {
		var got nopCloser
		cw, ok, err := newColumnsWriter(&got, firstRec(ops).Schema(), props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem)), workers)
		if err != nil || !ok {
			t.Fatalf("newColumnsWriter: %v, %v", ok, err)
		}
		if intDicts {
			cw.useIntDictionaries()
		}
		writeAll(t, cw, ops)
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			// pqarrow lists a column's encoding stats in map order: when a
			// dictionary falls back to plain, two of its own files differ
			// in the footer. The pages must still be the same bytes, and
			// the footers the same but for that order.
			sameParquet(t, fmt.Sprintf("%d workers", workers), got.Bytes(), want.Bytes())
		}
	}
}

// sameParquet requires two Parquet files to have the same bytes up to the
// footer and the same footer but for the order of the encoding lists.
func sameParquet(t *testing.T, name string, got, want []byte) {
	t.Helper()
	footer := func(b []byte) int { return len(b) - 8 - int(binary.LittleEndian.Uint32(b[len(b)-8:])) }
	if len(got) < 12 || len(want) < 12 || !bytes.Equal(got[:footer(got)], want[:footer(want)]) {
		t.Fatalf("%s: the pages differ from pqarrow's", name)
	}
	summary := func(b []byte) string {
		rd, err := file.NewParquetReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer rd.Close()
		md := rd.MetaData()
		var out strings.Builder
		kv := md.KeyValueMetadata()
		fmt.Fprintf(&out, "rows %d kv %q %q\n", md.NumRows, kv.Keys(), kv.Values())
		for g := range md.NumRowGroups() {
			rg := md.RowGroup(g)
			for c := range rg.NumColumns() {
				cc, err := rg.ColumnChunk(c)
				if err != nil {
					t.Fatal(err)
				}
				var encs, stats []string
				for _, e := range cc.Encodings() {
					encs = append(encs, e.String())
				}
				for _, e := range cc.EncodingStats() {
					stats = append(stats, fmt.Sprintf("%s/%v", e.Encoding, e.PageType))
				}
				slices.Sort(encs)
				slices.Sort(stats)
				fmt.Fprintf(&out, "%d/%d %s off %d/%d/%d size %d/%d values %d enc %v %v", g, c, cc.PathInSchema(),
					cc.FileOffset(), cc.DataPageOffset(), cc.DictionaryPageOffset(), cc.TotalCompressedSize(), cc.TotalUncompressedSize(),
					cc.NumValues(), encs, stats)
				if st, err := cc.Statistics(); err == nil && st != nil {
					es, err := st.Encode()
					if err != nil {
						t.Fatal(err)
					}
					fmt.Fprintf(&out, " stats %x %x %d", es.Min, es.Max, es.NullCount)
				}
				out.WriteString("\n")
			}
		}
		return out.String()
	}
	if g, w := summary(got), summary(want); g != w {
		t.Errorf("%s: footer differs from pqarrow's:\n%s\nwant\n%s", name, g, w)
	}
}

// shapesSchema has every column shape the canonical datasets use, nullable
// and not, plain and dictionary-encoded.
func shapesSchema() *arrow.Schema {
	strList := arrow.ListOf(arrow.BinaryTypes.String)
	md := arrow.NewMetadata([]string{"dtm.dataset"}, []string{"test"})
	return arrow.NewSchema([]arrow.Field{
		{Name: "str", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "plain_str", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "req_str", Type: arrow.BinaryTypes.String},
		{Name: "int", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "plain_int", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "plain_f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "date", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "bool", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "all_null", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "list", Type: strList, Nullable: true},
		{Name: "req_list", Type: arrow.ListOfNonNullable(arrow.BinaryTypes.String)},
		{Name: "sadd", Type: arrow.ListOf(schemas.SADDStruct), Nullable: true},
		{Name: "null_list", Type: strList, Nullable: true},
	}, &md)
}

// shapesRecord builds n random rows of shapesSchema: nulls, empty and null
// lists, null list elements and structs, a non-nullable struct field
// holding nulls, low- and high-cardinality values.
// shapesRecords returns three records of schema (3 000, 1 500 and 1 rows)
// and a slice of the first at an offset (rows 700 to 2 900), all released
// when the test ends.
func shapesRecords(t *testing.T, schema *arrow.Schema) (recs []arrow.RecordBatch, sliced arrow.RecordBatch) {
	t.Helper()
	recs = []arrow.RecordBatch{shapesRecord(schema, 3000, 1), shapesRecord(schema, 1500, 2), shapesRecord(schema, 1, 3)}
	sliced = recs[0].NewSlice(700, 2900)
	t.Cleanup(func() {
		sliced.Release()
		for _, r := range recs {
			r.Release()
		}
	})
	return recs, sliced
}

func shapesRecord(schema *arrow.Schema, n int, seed uint64) arrow.RecordBatch {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	p := func(x float64) bool { return rng.Float64() < x }
	for range n {
		for i, f := range schema.Fields() {
			fb := b.Field(i)
			if f.Name == "all_null" || f.Name == "null_list" || (f.Nullable && p(0.1)) {
				fb.AppendNull()
				continue
			}
			switch fb := fb.(type) {
			case *array.StringBuilder:
				if f.Name == "plain_str" {
					fb.Append(fmt.Sprintf("site %d", rng.IntN(1<<30)))
				} else {
					fb.Append(fmt.Sprintf("v%d", rng.IntN(50)))
				}
			case *array.Int64Builder:
				fb.Append(rng.Int64N(5000))
			case *array.Int32Builder:
				fb.Append(rng.Int32N(100))
			case *array.Float64Builder:
				fb.Append(rng.Float64())
			case *array.Date32Builder:
				fb.Append(arrow.Date32(19000 + rng.IntN(300)))
			case *array.BooleanBuilder:
				fb.Append(p(0.5))
			case *array.ListBuilder:
				fb.Append(true)
				for range rng.IntN(4) {
					switch vb := fb.ValueBuilder().(type) {
					case *array.StringBuilder:
						if f.Name == "list" && p(0.2) {
							vb.AppendNull()
						} else {
							vb.Append(fmt.Sprintf("r%d", rng.IntN(10)))
						}
					case *array.StructBuilder:
						appendSADD(vb, rng)
					}
				}
			}
		}
	}
	return b.NewRecordBatch()
}

// appendSADD appends a random SADD cell: sometimes a null struct (its
// fields null too, the non-nullable ones included), null group or age_max.
func appendSADD(sb *array.StructBuilder, rng *rand.Rand) {
	null := rng.IntN(8) == 0
	sb.Append(!null)
	for i := range sb.NumField() {
		fb := sb.FieldBuilder(i)
		if null || (i == 0 || i == 3) && rng.IntN(4) == 0 {
			fb.AppendNull()
			continue
		}
		switch fb := fb.(type) {
		case *array.StringBuilder:
			fb.Append([]string{"m", "f", "idp"}[rng.IntN(3)])
		case *array.Int32Builder:
			fb.Append(rng.Int32N(80))
		case *array.Int64Builder:
			fb.Append(rng.Int64N(1000))
		}
	}
}

// TestParallelParquetMatchesPqarrow: the columns writer writes the bytes
// pqarrow's writer writes, for every column shape, with Write and with
// buffered row groups, records sliced at an offset, pages cut often (small
// page size) and dictionaries falling back to plain (small dictionary
// limit).
func TestParallelParquetMatchesPqarrow(t *testing.T) {
	schema := shapesSchema()
	recs, sliced := shapesRecords(t, schema)
	cases := map[string][]writeOp{
		"write": {{rec: recs[0]}, {rec: recs[1]}, {rec: sliced}, {rec: recs[2]}},
		"buffered": {{rec: recs[0], buffered: true}, {rec: sliced, buffered: true}, {newGroup: true},
			{rec: recs[1], buffered: true}, {rec: recs[2], buffered: true}, {newGroup: true}, {rec: recs[0], buffered: true}},
	}
	for name, ops := range cases {
		t.Run(name, func(t *testing.T) { compareWriters(t, schema, ops) })
		t.Run(name+"/small_pages", func(t *testing.T) {
			compareWriters(t, schema, ops, parquet.WithDataPageSize(2048), parquet.WithDictionaryPageSizeLimit(4096))
		})
		t.Run(name+"/small_pages_only", func(t *testing.T) {
			compareWriters(t, schema, ops, parquet.WithDataPageSize(2048))
		})
		t.Run(name+"/small_dict_only", func(t *testing.T) {
			compareWriters(t, schema, ops, parquet.WithDictionaryPageSizeLimit(4096))
		})
		t.Run(name+"/small_row_groups", func(t *testing.T) {
			compareWriters(t, schema, ops, parquet.WithMaxRowGroupLength(1000))
		})
	}
}

// TestParallelParquetMatchesPqarrowOnSites: the same on canonical site
// assessment records, with their string columns as strings, and as the
// converter builds them (dictionary arrays) against pqarrow writing them
// as strings.
func TestParallelParquetMatchesPqarrowOnSites(t *testing.T) {
	recs := encodingRecords(t, 5000)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var ops, plain []writeOp
	for _, r := range recs {
		s := stringColumns(r)
		defer s.Release()
		ops = append(ops, writeOp{rec: r, buffered: true})
		plain = append(plain, writeOp{rec: s, buffered: true})
	}
	if !isDictField(ops[0].rec.Schema().Field(0)) {
		t.Fatalf("the converter's country_iso3 is %s, not a dictionary", ops[0].rec.Schema().Field(0).Type)
	}
	t.Run("strings", func(t *testing.T) { comparePair(t, plain, plain) })
	t.Run("dictionaries", func(t *testing.T) { comparePair(t, plain, ops) })
}

// firstRec is the first record of ops.
func firstRec(ops []writeOp) arrow.RecordBatch {
	for _, op := range ops {
		if op.rec != nil {
			return op.rec
		}
	}
	return nil
}

// TestColumnsWriterShapes: the shapes columnsWriter leaves to pqarrow.
func TestColumnsWriterShapes(t *testing.T) {
	for _, tc := range []struct {
		typ  arrow.DataType
		want bool
	}{
		{arrow.BinaryTypes.String, true},
		{arrow.ListOf(arrow.PrimitiveTypes.Int64), true},
		{arrow.ListOf(schemas.SADDStruct), true},
		{arrow.ListOf(arrow.ListOf(arrow.BinaryTypes.String)), false},
		{arrow.StructOf(arrow.Field{Name: "a", Type: arrow.BinaryTypes.String}), false},
		{arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String), false},
		{&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, true},
		{&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.PrimitiveTypes.Int64}, false},
		{arrow.ListOf(&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}), false},
		{arrow.LargeListOf(arrow.BinaryTypes.String), false},
	} {
		_, got := planLeaves(arrow.NewSchema([]arrow.Field{{Name: "c", Type: tc.typ, Nullable: true}}, nil))
		if got != tc.want {
			t.Errorf("%s: handled %v, want %v", tc.typ, got, tc.want)
		}
	}
}

// TestParquetFileMetadataOnce: a staged file stores the dataset's name and
// version and the Arrow schema once each.
func TestParquetFileMetadataOnce(t *testing.T) {
	recs := encodingRecords(t, 100)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	path := filepath.Join(t.TempDir(), "x.parquet")
	pf, err := CreateParquet(path, recs[0].Schema(), schemas.SiteAssessment())
	if err != nil {
		t.Fatal(err)
	}
	if err := pf.Write(recs[0]); err != nil {
		t.Fatal(err)
	}
	if err := pf.Close(); err != nil {
		t.Fatal(err)
	}
	rd, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	keys := rd.MetaData().KeyValueMetadata().Keys()
	slices.Sort(keys)
	if want := []string{"ARROW:schema", "dtm.dataset", "dtm.schema_version"}; !slices.Equal(keys, want) {
		t.Errorf("key-value metadata keys %q, want %q", keys, want)
	}
}
