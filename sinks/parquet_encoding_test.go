package sinks

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/schemas"
)

// encodingRecords converts n synth site rows into canonical records.
func encodingRecords(tb testing.TB, n int) []arrow.RecordBatch {
	recs, err := synth.SiteRecords(n)
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

// writeWith writes recs to path with the given plain-column choice and
// returns the file size.
func writeWith(tb testing.TB, path string, recs []arrow.RecordBatch, plain func(string) bool) int64 {
	return writeProps(tb, path, recs, parquetWriterProperties(recs[0].Schema(), plain))
}

// writeProps writes recs to path, one row group each, with props as a
// staged file is written, and returns the file size.
func writeProps(tb testing.TB, path string, recs []arrow.RecordBatch, props *parquet.WriterProperties) int64 {
	return writePropsWith(tb, path, recs, props, false)
}

// writePropsWith is writeProps, the writer numbering its integer columns
// itself when intDicts is set (useIntDictionaries, as staged files are).
func writePropsWith(tb testing.TB, path string, recs []arrow.RecordBatch, props *parquet.WriterProperties, intDicts bool) int64 {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w, ok, err := newColumnsWriter(f, recs[0].Schema(), props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()), 1)
	if err != nil || !ok {
		tb.Fatal(ok, err)
	}
	if intDicts {
		w.useIntDictionaries()
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return st.Size()
}

// TestParquetPlainColumns checks that the plain columns are written
// without a dictionary and the others keep it.
func TestParquetPlainColumns(t *testing.T) {
	recs := encodingRecords(t, 2000)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	path := filepath.Join(t.TempDir(), "p.parquet")
	writeWith(t, path, recs, schemas.SiteAssessment().PlainEncoded)
	rd, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	md := rd.MetaData()
	rg := md.RowGroup(0)
	seen := map[string]bool{}
	for i := 0; i < rg.NumColumns(); i++ {
		cc, err := rg.ColumnChunk(i)
		if err != nil {
			t.Fatal(err)
		}
		name := md.Schema.Column(i).Path()
		seen[name] = true
		if got, want := cc.HasDictionaryPage(), !schemas.SiteAssessment().PlainEncoded(name); got != want {
			t.Errorf("column %s: dictionary page %v, want %v", name, got, want)
		}
	}
	for _, c := range []string{"source_row", "site_id", "latitude", "admin1_pcode", "source_file_id"} {
		if !seen[c] {
			t.Errorf("column %s not found in the file", c)
		}
	}
}

// BenchmarkParquetEncoding compares dictionary choices on canonical site
// records: time per write and file size (bytes metric).
func BenchmarkParquetEncoding(b *testing.B) {
	recs := encodingRecords(b, 100_000)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	only := func(col string) func(string) bool { return func(n string) bool { return n == col } }
	cases := []struct {
		name  string
		plain func(string) bool
	}{
		{"dict_all", nil},
		{"chosen", schemas.SiteAssessment().PlainEncoded},
		{"chosen_counts_plain", func(n string) bool {
			return schemas.SiteAssessment().PlainEncoded(n) || isCount(n)
		}},
	}
	if os.Getenv("DTM_BENCH_PER_COLUMN") != "" {
		for _, f := range recs[0].Schema().Fields() {
			if parquetIsLeaf(f.Type) {
				cases = append(cases, struct {
					name  string
					plain func(string) bool
				}{"plain_" + f.Name, only(f.Name)})
			}
		}
	}
	dir := b.TempDir()
	for _, c := range cases {
		benchWrite(b, c.name, func() int64 { return writeWith(b, filepath.Join(dir, c.name+".parquet"), recs, c.plain) })
	}
}

// isCount reports a site assessment column counting people or households
// (Kind Int with a Persons or Households unit).
func isCount(col string) bool {
	f, ok := schemas.SiteAssessment().Field(col)
	return ok && f.Kind == schemas.Int && f.Unit.Counts()
}

// isDate reports a site assessment column of Kind Date.
func isDate(col string) bool {
	f, ok := schemas.SiteAssessment().Field(col)
	return ok && f.Kind == schemas.Date
}

// BenchmarkParquetSettings compares writer settings on canonical site
// records in row groups of 32 Ki rows (the ingest's): CPU per write,
// and file size (bytes metric).
func BenchmarkParquetSettings(b *testing.B) {
	recs := encodingRecords(b, 200_000)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var groups []arrow.RecordBatch
	for _, r := range recs {
		for off := int64(0); off < r.NumRows(); off += 32 * 1024 {
			groups = append(groups, r.NewSlice(off, min(r.NumRows(), off+32*1024)))
		}
	}
	defer func() {
		for _, r := range groups {
			r.Release()
		}
	}()
	schema := recs[0].Schema()
	chosen := schemas.SiteAssessment().PlainEncoded
	countsPlain := func(n string) bool { return chosen(n) || isCount(n) }
	cases := []struct {
		name     string
		recs     []arrow.RecordBatch
		prop     *parquet.WriterProperties
		intDicts bool
	}{
		{"chosen", groups, parquetWriterProperties(schema, chosen), false},
		{"counts_plain", groups, parquetWriterProperties(schema, countsPlain), false},
		{"dates_plain", groups, parquetWriterProperties(schema, func(n string) bool { return chosen(n) || isDate(n) }), false},
		{"counts_dates_plain", groups, parquetWriterProperties(schema, func(n string) bool { return chosen(n) || isCount(n) || isDate(n) }), false},
		{"zstd_fastest", groups, parquetWriterProperties(schema, chosen, parquet.WithCompressionLevel(1)), false},
		{"no_stats", groups, parquetWriterProperties(schema, chosen, parquet.WithStats(false)), false},
		{"partition_groups", recs, parquetWriterProperties(schema, chosen), false},
		// The integer columns numbered by the writer (parquet_intdict.go).
		{"int_dicts", groups, parquetWriterProperties(schema, chosen), true},
		{"int_dicts_counts_plain", groups, parquetWriterProperties(schema, countsPlain), true},
	}
	dir := b.TempDir()
	for _, c := range cases {
		benchWrite(b, c.name, func() int64 {
			return writePropsWith(b, filepath.Join(dir, c.name+".parquet"), c.recs, c.prop, c.intDicts)
		})
	}
}

// benchWrite runs write (which writes one file and returns its size in
// bytes) as sub-benchmark name, reporting CPU per write and the size.
func benchWrite(b *testing.B, name string, write func() int64) {
	b.Run(name, func(b *testing.B) {
		var size int64
		cpu := startCPU()
		for b.Loop() {
			size = write()
		}
		cpu.report(b)
		b.ReportMetric(float64(size), "bytes")
	})
}
