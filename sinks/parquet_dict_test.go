package sinks

import (
	"bytes"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/iom-dtm/dtm/schemas"
)

// dictColumns returns rec with the string columns dict reports as
// dictionary<int32, string> arrays (values in order of first appearance).
func dictColumns(rec arrow.RecordBatch, dict func(string) bool) arrow.RecordBatch {
	mem := memory.DefaultAllocator
	fields := rec.Schema().Fields()
	cols := make([]arrow.Array, len(fields))
	for i, f := range fields {
		col := rec.Column(i)
		s, ok := col.(*array.String)
		if !ok || !dict(f.Name) {
			col.Retain()
			cols[i] = col
			continue
		}
		ids := map[string]int32{}
		vb := array.NewStringBuilder(mem)
		ib := array.NewInt32Builder(mem)
		for j := range s.Len() {
			if s.IsNull(j) {
				ib.AppendNull()
				continue
			}
			v := s.Value(j)
			id, ok := ids[v]
			if !ok {
				id = int32(len(ids))
				ids[v] = id
				vb.Append(v)
			}
			ib.Append(id)
		}
		dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
		vals, idx := vb.NewArray(), ib.NewArray()
		cols[i] = array.NewDictionaryArray(dt, idx, vals)
		vals.Release()
		idx.Release()
		vb.Release()
		ib.Release()
		fields[i].Type = dt
	}
	md := rec.Schema().Metadata()
	out := array.NewRecordBatch(arrow.NewSchema(fields, &md), cols, rec.NumRows())
	for _, c := range cols {
		c.Release()
	}
	return out
}

// dictOps is ops with the records' columns dict reports as dictionary
// arrays (each record its own dictionary); release releases the records
// it made.
func dictOps(ops []writeOp, dict func(string) bool) (out []writeOp, release func()) {
	made := map[arrow.RecordBatch]arrow.RecordBatch{}
	for _, op := range ops {
		if op.rec != nil {
			if _, ok := made[op.rec]; !ok {
				made[op.rec] = dictColumns(op.rec, dict)
			}
			op.rec = made[op.rec]
		}
		out = append(out, op)
	}
	return out, func() {
		for _, r := range made {
			r.Release()
		}
	}
}

// TestDictionaryColumnsMatchPqarrow: string columns handed to the columns
// writer as dictionary arrays (one dictionary per record, merged per row
// group) give the bytes pqarrow's writer gives for the same columns as
// strings: the same dictionary pages (values in order of first
// appearance), indices, statistics and stored schema (string). Pages cut
// by size are not compared here (the indices of a row group make one
// page; TestDictionaryColumnsReadBack covers them).
func TestDictionaryColumnsMatchPqarrow(t *testing.T) {
	schema := shapesSchema()
	recs, sliced := shapesRecords(t, schema)
	dict := func(n string) bool { return n == "str" || n == "req_str" || n == "all_null" || n == "plain_str" }
	cases := map[string][]writeOp{
		"write": {{rec: recs[0]}, {rec: recs[1]}, {rec: sliced}, {rec: recs[2]}},
		"buffered": {{rec: recs[0], buffered: true}, {rec: sliced, buffered: true}, {newGroup: true},
			{rec: recs[1], buffered: true}, {rec: recs[2], buffered: true}, {newGroup: true}, {rec: recs[0], buffered: true}},
	}
	for name, ops := range cases {
		for sub, opts := range map[string][]parquet.WriterProperty{
			"":                  nil,
			"/small_dict":       {parquet.WithDictionaryPageSizeLimit(200)},
			"/small_row_groups": {parquet.WithMaxRowGroupLength(1000)},
		} {
			t.Run(name+sub, func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
				defer mem.AssertSize(t, 0)
				props := parquetWriterProperties(schema, func(n string) bool { return n == "plain_str" || n == "plain_int" || n == "plain_f64" },
					append([]parquet.WriterProperty{parquet.WithAllocator(mem)}, opts...)...)
				var want nopCloser
				fw, err := newParquetWriter(&want, schema, props, pqarrow.WithAllocator(mem))
				if err != nil {
					t.Fatal(err)
				}
				writeAll(t, fw, ops)
				dops, release := dictOps(ops, dict)
				defer release()
				for _, workers := range []int{1, 3} {
					var got nopCloser
					cw, ok, err := newColumnsWriter(&got, dops[0].rec.Schema(), props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem)), workers)
					if err != nil || !ok {
						t.Fatalf("newColumnsWriter: %v, %v", ok, err)
					}
					writeAll(t, cw, dops)
					sameParquet(t, fmt.Sprintf("%d workers", workers), got.Bytes(), want.Bytes())
				}
			})
		}
	}
}

// readBack reads a Parquet file with pqarrow (the stored Arrow schema).
func readBack(t *testing.T, b []byte) arrow.Table {
	t.Helper()
	rd, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	fr, err := pqarrow.NewFileReader(rd, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

// TestDictionaryColumnsReadBack: a file written from dictionary arrays
// reads back, with pqarrow, as the same schema (strings) and values as
// from string arrays, also with pages cut by size, a dictionary falling
// back to plain, and dictionaries holding unused, repeated and null
// entries, with 8- and 64-bit indices.
func TestDictionaryColumnsReadBack(t *testing.T) {
	schema := shapesSchema()
	rec := shapesRecord(schema, 4000, 9)
	defer rec.Release()
	md := arrow.NewMetadata([]string{"dtm.dataset"}, []string{"test"})
	oddSchema := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true},
	}, &md)
	// a: int8 indices into ["x", "y", "x", null, "unused", ""]; b: int64.
	odd := func(idxType arrow.DataType, idx []int, valid []bool) arrow.Array {
		vb := array.NewStringBuilder(memory.DefaultAllocator)
		defer vb.Release()
		vb.AppendValues([]string{"x", "y", "x", "", "unused", ""}, []bool{true, true, true, false, true, true})
		vals := vb.NewArray()
		defer vals.Release()
		ib := array.NewBuilder(memory.DefaultAllocator, idxType)
		defer ib.Release()
		for i, k := range idx {
			switch b := ib.(type) {
			case *array.Int8Builder:
				b.AppendValues([]int8{int8(k)}, []bool{valid[i]})
			case *array.Int64Builder:
				b.AppendValues([]int64{int64(k)}, []bool{valid[i]})
			}
		}
		ix := ib.NewArray()
		defer ix.Release()
		return array.NewDictionaryArray(&arrow.DictionaryType{IndexType: idxType, ValueType: arrow.BinaryTypes.String}, ix, vals)
	}
	idx := []int{2, 0, 1, 3, 0, 2, 1, 5}
	valid := []bool{true, true, false, true, true, true, true, true}
	da, db := odd(arrow.PrimitiveTypes.Int8, idx, valid), odd(arrow.PrimitiveTypes.Int64, idx, valid)
	defer da.Release()
	defer db.Release()
	dictSchema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: da.DataType(), Nullable: true}, {Name: "b", Type: db.DataType(), Nullable: true}}, &md)
	oddDict := array.NewRecordBatch(dictSchema, []arrow.Array{da, db}, int64(len(idx)))
	defer oddDict.Release()
	plainCol := func() arrow.Array {
		b := array.NewStringBuilder(memory.DefaultAllocator)
		defer b.Release()
		b.AppendValues([]string{"x", "x", "", "", "x", "x", "y", ""}, []bool{true, true, false, false, true, true, true, true})
		return b.NewArray()
	}
	sa, sb := plainCol(), plainCol()
	defer sa.Release()
	defer sb.Release()
	oddPlain := array.NewRecordBatch(oddSchema, []arrow.Array{sa, sb}, int64(len(idx)))
	defer oddPlain.Release()

	// The same bytes as pqarrow from strings: statistics count the empty
	// string (the minimum) and leave the unused entry out.
	comparePair(t, []writeOp{{rec: oddPlain}}, []writeOp{{rec: oddDict}})

	dict := func(n string) bool { return n == "str" || n == "req_str" || n == "all_null" || n == "plain_str" }
	drec := dictColumns(rec, dict)
	defer drec.Release()
	for name, tc := range map[string]struct {
		plain, dict arrow.RecordBatch
		opts        []parquet.WriterProperty
	}{
		"small_pages":      {rec, drec, []parquet.WriterProperty{parquet.WithDataPageSize(2048)}},
		"small_dict":       {rec, drec, []parquet.WriterProperty{parquet.WithDictionaryPageSizeLimit(64)}},
		"odd_dictionaries": {oddPlain, oddDict, nil},
	} {
		t.Run(name, func(t *testing.T) {
			write := func(r arrow.RecordBatch) []byte {
				props := parquetWriterProperties(r.Schema(), func(n string) bool { return n == "plain_str" }, tc.opts...)
				var out nopCloser
				cw, ok, err := newColumnsWriter(&out, r.Schema(), props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()), 2)
				if err != nil || !ok {
					t.Fatal(ok, err)
				}
				half := r.NewSlice(0, r.NumRows()/2)
				rest := r.NewSlice(r.NumRows()/2, r.NumRows())
				defer half.Release()
				defer rest.Release()
				writeAll(t, cw, []writeOp{{rec: half, buffered: true}, {rec: rest, buffered: true}})
				return out.Bytes()
			}
			want, got := readBack(t, write(tc.plain)), readBack(t, write(tc.dict))
			defer want.Release()
			defer got.Release()
			if !got.Schema().Equal(want.Schema()) {
				t.Fatalf("schema %s, want %s", got.Schema(), want.Schema())
			}
			if !array.TableEqual(got, want) {
				t.Errorf("the values read back differ")
			}
			if name == "odd_dictionaries" {
				col := got.Column(0).Data().Chunk(0).(*array.String)
				var vals []string
				for i := range col.Len() {
					if col.IsNull(i) {
						vals = append(vals, "NULL")
					} else {
						vals = append(vals, col.Value(i))
					}
				}
				if g := fmt.Sprint(vals); g != "[x x NULL NULL x x y ]" {
					t.Errorf("odd dictionary read back as %s", g)
				}
			}
		})
	}
}

func isDictField(f arrow.Field) bool { return schemas.IsDictionaryOfStrings(f.Type) }

// stringColumns is rec with its dictionary columns as string arrays.
func stringColumns(rec arrow.RecordBatch) arrow.RecordBatch {
	fields := rec.Schema().Fields()
	cols := make([]arrow.Array, len(fields))
	for i := range fields {
		col := rec.Column(i)
		d, ok := col.(*array.Dictionary)
		if !ok {
			col.Retain()
			cols[i] = col
			continue
		}
		b := array.NewStringBuilder(memory.DefaultAllocator)
		for j := range d.Len() {
			if d.IsNull(j) {
				b.AppendNull()
			} else {
				b.Append(d.Dictionary().(*array.String).Value(d.GetValueIndex(j)))
			}
		}
		cols[i] = b.NewArray()
		b.Release()
		fields[i].Type = arrow.BinaryTypes.String
	}
	md := rec.Schema().Metadata()
	out := array.NewRecordBatch(arrow.NewSchema(fields, &md), cols, rec.NumRows())
	for _, c := range cols {
		c.Release()
	}
	return out
}

// TestDictionaryColumnsReadByDuckDB: DuckDB reads a staged file written
// from the converter's records (dictionary arrays) as the same table as
// one written from the same rows as strings: the same column types and
// rows, and filters on the statistics (an empty string is a row group's
// minimum) find the same rows.
func TestDictionaryColumnsReadByDuckDB(t *testing.T) {
	recs := encodingRecords(t, 6000)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	dir := t.TempDir()
	write := func(name string, conv func(arrow.RecordBatch) arrow.RecordBatch) string {
		path := filepath.Join(dir, name+".parquet")
		first := conv(recs[0])
		pf, err := CreateParquet(path, first.Schema(), schemas.SiteAssessment())
		first.Release()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range recs {
			c := conv(r)
			for off := int64(0); off < c.NumRows(); off += 700 {
				s := c.NewSlice(off, min(off+700, c.NumRows()))
				if err := pf.WriteBuffered(s, n%4 == 3); err != nil {
					t.Fatal(err)
				}
				s.Release()
				n++
			}
			c.Release()
		}
		if err := pf.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	keep := func(r arrow.RecordBatch) arrow.RecordBatch { r.Retain(); return r }
	if !isDictField(recs[0].Schema().Field(0)) {
		t.Fatal("the converter's records have no dictionary column")
	}
	dictPath, strPath := write("dict", keep), write("strings", stringColumns)

	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	one := func(q string) string {
		t.Helper()
		var s sql.NullString
		if err := db.QueryRow(q).Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return s.String
	}
	types := func(p string) string {
		return one(fmt.Sprintf("SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE SELECT * FROM read_parquet('%s'))", p))
	}
	if g, w := types(dictPath), types(strPath); g != w {
		t.Errorf("DuckDB reads the columns as\n%s\nwant\n%s", g, w)
	}
	for _, q := range []string{
		"SELECT count(*) FROM (SELECT * FROM read_parquet('%[1]s') EXCEPT ALL SELECT * FROM read_parquet('%[2]s'))",
		"SELECT count(*) FROM (SELECT * FROM read_parquet('%[2]s') EXCEPT ALL SELECT * FROM read_parquet('%[1]s'))",
	} {
		if n := one(fmt.Sprintf(q, dictPath, strPath)); n != "0" {
			t.Errorf("%s rows differ: %s", n, q)
		}
	}
	for _, q := range []string{
		"SELECT count(*) FROM read_parquet('%s')",
		"SELECT count(*) FROM read_parquet('%s') WHERE source_sheet = ''",
		"SELECT count(*) FROM read_parquet('%s') WHERE admin1_name = 'Borno' AND site_type = 'camp'",
		"SELECT count(DISTINCT admin3_pcode) FROM read_parquet('%s')",
	} {
		if g, w := one(fmt.Sprintf(q, dictPath)), one(fmt.Sprintf(q, strPath)); g != w || g == "0" {
			t.Errorf("%s: %s, want %s (not 0)", q, g, w)
		}
	}
}

// TestDictionaryColumnsWiden: a row group whose dictionary passes 1 << 16
// entries in a record widens its row numbers (parquet_rownums.go) from
// uint16 to int32 and the next row group starts narrow again; the files
// are those pqarrow writes from strings, whether the large dictionary is
// written (a large page size limit) or falls back to plain.
func TestDictionaryColumnsWiden(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	record := func(n int, value func(i int) string) arrow.RecordBatch {
		b := array.NewStringBuilder(memory.DefaultAllocator)
		defer b.Release()
		for i := range n {
			if i%97 == 5 {
				b.AppendNull()
			} else {
				b.Append(value(i))
			}
		}
		col := b.NewArray()
		defer col.Release()
		return array.NewRecordBatch(schema, []arrow.Array{col}, int64(n))
	}
	small := record(3000, func(i int) string { return fmt.Sprintf("small-%d", i%70) })
	large := record(70_000, func(i int) string { return fmt.Sprintf("%05x", (i*7919)%70_000) })
	defer small.Release()
	defer large.Release()
	ops := []writeOp{{rec: small, buffered: true}, {rec: large, buffered: true}, {rec: small, buffered: true},
		{newGroup: true}, {rec: small, buffered: true}, {rec: small, buffered: true}}
	dops, release := dictOps(ops, func(string) bool { return true })
	defer release()
	for name, opts := range map[string][]parquet.WriterProperty{
		"dictionary": {parquet.WithDictionaryPageSizeLimit(64 << 20), parquet.WithDataPageSize(64 << 20)},
		"fallback":   nil,
	} {
		t.Run(name, func(t *testing.T) { comparePair(t, ops, dops, opts...) })
	}
}

// TestDictChunkRawSize: the plain size a dictChunk sums as it numbers the
// rows (handed to the encoder's page cut) is rawSize of its row group.
func TestDictChunkRawSize(t *testing.T) {
	schema := shapesSchema()
	recs, sliced := shapesRecords(t, schema)
	dict := func(n string) bool { return n == "str" }
	field := schema.Field(schema.FieldIndices("str")[0])
	d := newDictChunk(memory.DefaultAllocator, field)
	defer d.release()
	for _, rec := range append(recs, sliced) {
		dr := dictColumns(rec, dict)
		if err := d.add(dr.Column(dr.Schema().FieldIndices("str")[0])); err != nil {
			t.Fatal(err)
		}
		dr.Release()
	}
	raw := d.raw
	rows := d.rows.takeArray()
	defer rows.Release()
	values, _ := d.dict.take()
	defer values.Release()
	if want := rawSize(values, rows); raw != want || raw == 0 {
		t.Fatalf("raw size %d, want %d", raw, want)
	}
}
