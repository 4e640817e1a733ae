package sinks_test

import (
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/transform"
)

// siteRecords converts n synth site rows into canonical records (one per
// partition and batch), the input of the Parquet writer in a real run.
func siteRecords(b *testing.B, n int) []arrow.RecordBatch {
	h := ingest.Header{File: "bench.csv", Format: "csv", HeaderLine: 1, Columns: synth.SiteHeader, HXLLine: 2, HXL: synth.SiteHXL}
	m, err := transform.Map(h, schemas.SiteAssessment(), transform.MapOptions{})
	if err != nil {
		b.Fatal(err)
	}
	c := transform.NewConverter(m, transform.Provenance{File: "bench.csv", FileID: "0123", RunID: "r"}, transform.Options{})
	defer c.Release()
	rows := make([]ingest.Row, n)
	for i, cells := range synth.SiteRows(n) {
		rows[i] = ingest.Row{Line: i + 3, Cells: cells}
	}
	c.Convert(rows)
	var out []arrow.RecordBatch
	for _, r := range c.Drain(true) {
		out = append(out, r.Record)
	}
	return out
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
		pf, err := sinks.CreateParquet(filepath.Join(dir, "part.parquet"), recs[0].Schema())
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
