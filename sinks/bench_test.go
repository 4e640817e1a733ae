package sinks_test

import (
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// siteRecords converts n synth site rows into canonical records (one per
// partition and batch), the input of the Parquet writer in a real run.
func siteRecords(b *testing.B, n int) []arrow.RecordBatch {
	recs, err := synth.SiteRecords(n)
	if err != nil {
		b.Fatal(err)
	}
	return recs
}

// BenchmarkParquetWrite measures writing canonical site records to zstd
// Parquet (one file, all records), per row.
func BenchmarkParquetWrite(b *testing.B) {
	const n = 100_000
	recs := siteRecords(b, n)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		pf, err := sinks.CreateParquet(filepath.Join(dir, "part.parquet"), recs[0].Schema(), schemas.SiteAssessment())
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range recs {
			if err := pf.Write(r); err != nil {
				b.Fatal(err)
			}
		}
		if err := pf.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkParquetWriteBuffered is BenchmarkParquetWrite with the records
// cut into 1 Ki-row slices appended to 32 Ki-row buffered row groups, as
// the chunked ingest writes them.
func BenchmarkParquetWriteBuffered(b *testing.B) {
	const n = 100_000
	recs := siteRecords(b, n)
	var slices []arrow.RecordBatch
	for _, r := range recs {
		for off := int64(0); off < r.NumRows(); off += 1024 {
			slices = append(slices, r.NewSlice(off, min(r.NumRows(), off+1024)))
		}
	}
	defer func() {
		for _, r := range append(recs, slices...) {
			r.Release()
		}
	}()
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		pf, err := sinks.CreateParquet(filepath.Join(dir, "part.parquet"), recs[0].Schema(), schemas.SiteAssessment())
		if err != nil {
			b.Fatal(err)
		}
		var group int64
		for _, r := range slices {
			newGroup := group >= 32*1024
			if newGroup {
				group = 0
			}
			group += r.NumRows()
			if err := pf.WriteBuffered(r, newGroup); err != nil {
				b.Fatal(err)
			}
		}
		if err := pf.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
