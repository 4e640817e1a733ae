package query_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// siteRecords makes n random site_assessment rows (seeded) in records of
// random sizes, with the stored schema or, when dict is set, with
// admin1_name and site_type dictionary-encoded. Values come from small
// sets so that rows share groups; every column is NULL now and then,
// lists are NULL, empty or hold NULL elements, SADD cells are NULL or
// have NULL fields.
// Which string columns siteRecords makes dictionary arrays.
const (
	dictNone = iota
	dictSome // admin1_name and site_type: the summary reads every row's strings
	dictAll  // every string column but the lists': as the converter's records
)

func siteRecords(t *testing.T, seed uint64, n int, dict int) []arrow.RecordBatch {
	t.Helper()
	ds, err := schemas.Default().Lookup("site_assessment")
	if err != nil {
		t.Fatal(err)
	}
	schema := ds.ArrowSchema()
	if dict != dictNone {
		fields := schema.Fields()
		for i, f := range fields {
			if f.Name == "admin1_name" || f.Name == "site_type" || (dict == dictAll && f.Type.ID() == arrow.STRING) {
				fields[i].Type = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
			}
		}
		schema = arrow.NewSchema(fields, nil)
	}
	rng := rand.New(rand.NewPCG(seed, 11))
	vocab := func(prefix string, k int) string { return fmt.Sprintf("%s%d", prefix, rng.IntN(k)) }
	strs := map[string]func() string{
		"country_iso3": func() string { return []string{"SSD", "NGA", "SDN"}[rng.IntN(3)] },
		"admin1_pcode": func() string { return vocab("P1-", 3) }, "admin1_name": func() string { return vocab("State ", 3) },
		"admin2_pcode": func() string { return vocab("P2-", 3) }, "admin2_name": func() string { return vocab("County ", 2) },
		"admin3_pcode": func() string { return vocab("P3-", 2) }, "admin3_name": func() string { return vocab("", 2) },
		"origin_admin1_pcode": func() string { return vocab("O", 3) }, "origin_admin1_name": func() string { return vocab("Origin ", 2) },
		"site_type": func() string { return []string{"camp", "host_community", "", "é"}[rng.IntN(4)] },
	}
	var recs []arrow.RecordBatch
	for done := 0; done < n; {
		size := min(n-done, 1+rng.IntN(300))
		rb := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		for c, f := range schema.Fields() {
			b := rb.Field(c)
			for range size {
				if rng.IntN(9) == 0 && f.Name != "sadd" {
					b.AppendNull()
					continue
				}
				switch f.Name {
				case "round":
					b.(*array.Int64Builder).Append(int64(rng.IntN(3) - 1))
				case "idp_households", "idp_individuals":
					b.(*array.Int64Builder).Append(int64(rng.IntN(1000)))
				case "displacement_reasons":
					lb := b.(*array.ListBuilder)
					lb.Append(true)
					vb := lb.ValueBuilder().(*array.StringBuilder)
					for range rng.IntN(3) {
						if rng.IntN(6) == 0 {
							vb.AppendNull()
						} else {
							vb.Append([]string{"Conflict", "Flood", "conflict"}[rng.IntN(3)])
						}
					}
				case "sadd":
					appendSADD(rng, b.(*array.ListBuilder))
				default:
					gen := strs[f.Name]
					if gen == nil {
						b.AppendEmptyValue()
						continue
					}
					switch b := b.(type) {
					case *array.StringBuilder:
						b.Append(gen())
					case *array.BinaryDictionaryBuilder:
						if err := b.AppendString(gen()); err != nil {
							t.Fatal(err)
						}
					default:
						t.Fatalf("column %s: builder %T", f.Name, b)
					}
				}
			}
		}
		recs = append(recs, rb.NewRecordBatch())
		rb.Release()
		done += size
	}
	return recs
}

// appendSADD appends a row's SADD cells: NULL, none, or a few bands, some
// cells NULL or with NULL fields.
func appendSADD(rng *rand.Rand, lb *array.ListBuilder) {
	switch rng.IntN(5) {
	case 0:
		lb.AppendNull()
		return
	case 1:
		lb.Append(true) // empty
		return
	}
	lb.Append(true)
	sb := lb.ValueBuilder().(*array.StructBuilder)
	for range 1 + rng.IntN(4) {
		if rng.IntN(10) == 0 {
			sb.AppendNull()
			continue
		}
		sb.Append(true)
		opt := func(b array.Builder, app func()) {
			if rng.IntN(8) == 0 {
				b.AppendNull()
			} else {
				app()
			}
		}
		g, sex := sb.FieldBuilder(0).(*array.StringBuilder), sb.FieldBuilder(1).(*array.StringBuilder)
		amin, amax, cnt := sb.FieldBuilder(2).(*array.Int32Builder), sb.FieldBuilder(3).(*array.Int32Builder), sb.FieldBuilder(4).(*array.Int64Builder)
		opt(g, func() { g.Append([]string{"idp", "returnee"}[rng.IntN(2)]) })
		opt(sex, func() { sex.Append([]string{"m", "f"}[rng.IntN(2)]) })
		band := rng.IntN(3) * 18
		opt(amin, func() { amin.Append(int32(band)) })
		opt(amax, func() { amax.Append(int32(band + 17)) })
		opt(cnt, func() { cnt.Append(int64(rng.IntN(50))) })
	}
}

// readParquetRows reads a Parquet file with DuckDB: its column types and
// its rows in file order.
func readParquetRows(t *testing.T, db *sql.DB, path string) (types []string, rows [][]any) {
	t.Helper()
	trows, err := db.Query("SELECT column_name || ' ' || column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))", path)
	if err != nil {
		t.Fatal(err)
	}
	for trows.Next() {
		var s string
		if err := trows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		types = append(types, s)
	}
	trows.Close()
	r, err := db.Query("SELECT * FROM read_parquet(?)", path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cols, _ := r.Columns()
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, vals)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return types, rows
}

// TestSummaryBuilderEqualsDuckDB: the summary computed in Go from the
// records (SummaryBuilder, what an ingest writes) is the summary DuckDB
// computes from the Parquet files holding them (SummaryWriter, the SQL
// the figures also aggregate small sources with): the same columns and
// types, the same rows in the same order, on generated rows with NULLs
// in every column, empty and NULL lists and NULL SADD cells.
func TestSummaryBuilderEqualsDuckDB(t *testing.T) {
	ctx := context.Background()
	ds, err := schemas.Default().Lookup("site_assessment")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		seed  uint64
		rows  int
		files int
		dict  int
	}{{1, 0, 1, dictNone}, {2, 1, 1, dictNone}, {3, 2000, 1, dictNone}, {4, 3000, 3, dictNone}, {5, 1500, 2, dictSome},
		{6, 3000, 2, dictAll}, {7, 1, 1, dictAll}} {
		t.Run(fmt.Sprintf("seed%d_%drows", tc.seed, tc.rows), func(t *testing.T) {
			dir := t.TempDir()
			recs := siteRecords(t, tc.seed, tc.rows, tc.dict)
			defer func() {
				for _, r := range recs {
					r.Release()
				}
			}()
			b := query.NewSummaryBuilder()
			var paths []string
			var pfs []*sinks.ParquetFile
			for i := range tc.files {
				p := filepath.Join(dir, fmt.Sprintf("part-%d.parquet", i))
				schema := ds.ArrowSchema()
				if len(recs) > 0 {
					schema = recs[0].Schema()
				}
				pf, err := sinks.CreateParquet(p, schema, ds)
				if err != nil {
					t.Fatal(err)
				}
				paths, pfs = append(paths, p), append(pfs, pf)
			}
			for i, r := range recs {
				b.Add(r)
				if err := pfs[i%len(pfs)].Write(r); err != nil {
					t.Fatal(err)
				}
			}
			for _, pf := range pfs {
				if err := pf.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if b.Err() != nil || b.Rows() != int64(tc.rows) {
				t.Fatalf("builder: %d rows, err %v", b.Rows(), b.Err())
			}
			fromGo, fromDuck := filepath.Join(dir, "go.parquet"), filepath.Join(dir, "duck.parquet")
			if err := b.WriteFile(fromGo); err != nil {
				t.Fatal(err)
			}
			if err := query.WriteSiteSummary(ctx, schemas.Default(), paths, fromDuck); err != nil {
				t.Fatal(err)
			}
			gt, gr := readParquetRows(t, db, fromGo)
			wt, wr := readParquetRows(t, db, fromDuck)
			if !reflect.DeepEqual(gt, wt) {
				t.Fatalf("column types: Go\n%v\nDuckDB\n%v", gt, wt)
			}
			if len(gr) != len(wr) {
				t.Errorf("Go wrote %d summary rows, DuckDB %d", len(gr), len(wr))
			}
			for i := range min(len(gr), len(wr)) {
				if !reflect.DeepEqual(gr[i], wr[i]) {
					t.Fatalf("summary row %d: Go\n%v\nDuckDB\n%v", i, gr[i], wr[i])
				}
			}
			t.Logf("%d summary rows", len(gr))
			if tc.rows > 1000 && len(gr) < 100 {
				t.Errorf("only %d summary rows: the rows share too few groups to prove much", len(gr))
			}
		})
	}
}

// BenchmarkSummaryBuilder: the Go summary's cost per row (what the writer
// of an ingest pays for it) once its groups exist, as in a large source
// (a few thousand groups for millions of rows), on generated rows in
// records of ~150 rows.
// The string columns are plain strings, or dictionary arrays as the
// converter hands them to the writer.
func BenchmarkSummaryBuilder(b *testing.B) {
	b.Run("strings", func(b *testing.B) { benchmarkSummaryBuilder(b, dictNone) })
	b.Run("dictionaries", func(b *testing.B) { benchmarkSummaryBuilder(b, dictAll) })
}

func benchmarkSummaryBuilder(b *testing.B, dict int) {
	t := &testing.T{}
	recs := siteRecords(t, 9, 20_000, dict)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	sb := query.NewSummaryBuilder()
	for _, r := range recs { // the groups are made once
		sb.Add(r)
	}
	b.ResetTimer()
	for range b.N {
		for _, r := range recs {
			sb.Add(r)
		}
	}
	if sb.Err() != nil {
		b.Fatal(sb.Err())
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*20_000), "ns/row")
}

// BenchmarkSummaryBuilderDTM: what the writer of a 1 M-row ingest pays for
// the Go summary (DTM_BENCH_ROWS sets the rows): a new builder adds the
// records a chunked ingest of the bench's synthetic CSV hands the writer
// (dtmRecords: ~700-row records of one country and round, dictionary
// columns, SADD cells and reasons lists).
func BenchmarkSummaryBuilderDTM(b *testing.B) {
	n := benchRows(b, 1_000_000)
	recs, rows := dtmBenchRecords(b, n)
	b.ResetTimer()
	var groups int
	cpu0 := cpuTime()
	for b.Loop() {
		sb := query.NewSummaryBuilder()
		for _, r := range recs {
			sb.Add(r)
		}
		if sb.Err() != nil || sb.Rows() != rows {
			b.Fatalf("%d rows of %d, err %v", sb.Rows(), rows, sb.Err())
		}
		groups = sb.Groups()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*rows), "ns/row")
	b.ReportMetric(float64(groups), "groups")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(int64(b.N)*rows), "cpu-ns/row")
}

// TestSummaryBuilderSchemas: a builder fed records of several schemas (the
// same columns in other orders, some without the figures' columns), one
// schema value shared by many records as the converter's are, makes the
// summary a builder fed the records as they were made makes: the columns
// are found again whenever the schema changes (resolve keeps their indices
// while it does not).
func TestSummaryBuilderSchemas(t *testing.T) {
	recs := siteRecords(t, 12, 3000, dictAll)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	fields := recs[0].Schema().Fields()
	reversed := make([]int, len(fields))
	for i := range reversed {
		reversed[i] = len(fields) - 1 - i
	}
	var noFigures []int // without idp_households and idp_individuals
	for i, f := range fields {
		if f.Name != "idp_households" && f.Name != "idp_individuals" {
			noFigures = append(noFigures, i)
		}
	}
	perms := [][]int{reversed, noFigures}
	schemas := make([]*arrow.Schema, len(perms))
	for p, perm := range perms {
		fs := make([]arrow.Field, len(perm))
		for i, c := range perm {
			fs[i] = fields[c]
		}
		schemas[p] = arrow.NewSchema(fs, nil)
	}
	want, got := query.NewSummaryBuilder(), query.NewSummaryBuilder()
	for i, r := range recs {
		p := []int{0, 0, 1, 0, 1, 1}[i%6] // runs of one schema and changes
		cols := make([]arrow.Array, len(perms[p]))
		for j, c := range perms[p] {
			cols[j] = r.Column(c)
		}
		moved := array.NewRecordBatch(schemas[p], cols, r.NumRows())
		got.Add(moved)
		moved.Release()
		if p == 1 { // the figures are NULL: the reference reads them so
			cols = append(cols[:0], r.Columns()...)
			for j, f := range fields {
				if f.Name == "idp_households" || f.Name == "idp_individuals" {
					cols[j] = array.MakeArrayOfNull(memory.DefaultAllocator, f.Type, int(r.NumRows()))
					defer cols[j].Release()
				}
			}
			plain := array.NewRecordBatch(r.Schema(), cols, r.NumRows())
			want.Add(plain)
			plain.Release()
			continue
		}
		want.Add(r)
	}
	if want.Err() != nil || got.Err() != nil {
		t.Fatalf("errors: %v, %v", want.Err(), got.Err())
	}
	dir := t.TempDir()
	wp, gp := filepath.Join(dir, "want.parquet"), filepath.Join(dir, "got.parquet")
	if err := want.WriteFile(wp); err != nil {
		t.Fatal(err)
	}
	if err := got.WriteFile(gp); err != nil {
		t.Fatal(err)
	}
	wb, err := os.ReadFile(wp)
	if err != nil {
		t.Fatal(err)
	}
	gb, err := os.ReadFile(gp)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(wb, gb) {
		t.Fatalf("the summaries differ (%d groups, %d groups)", want.Groups(), got.Groups())
	}
	t.Logf("%d groups", want.Groups())
}
