package pipeline_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/csv"
	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/transform"
)

// BenchmarkIngestCSV measures a whole ingest (read, map, convert, write
// Parquet, commit) of a synth site assessment CSV into a fresh warehouse.
// Profile it with -cpuprofile / -memprofile; DTM_BENCH_ROWS sets the size.
func BenchmarkIngestCSV(b *testing.B) {
	n := 200_000
	if s := os.Getenv("DTM_BENCH_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("DTM_BENCH_ROWS: %v", err)
		}
		n = v
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "sites.csv")
	data := synth.SiteCSV(n)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	benchIngest(b, dir, path, n)
}

// benchIngest runs pipeline.Run on one site_assessment file into a fresh
// warehouse per iteration and reports rows/s.
func benchIngest(b *testing.B, dir, path string, n int) {
	reg := schemas.Default()
	i := 0
	for b.Loop() {
		i++
		wh := filepath.Join(dir, "wh"+strconv.Itoa(i))
		res, err := pipeline.Run(context.Background(), pipeline.Config{Warehouse: wh, Registry: reg, RunID: "bench" + strconv.Itoa(i)},
			[]pipeline.Input{{Path: path, Kind: "site_assessment"}})
		if err != nil {
			b.Fatal(err)
		}
		if res.RowsWritten != int64(n) {
			b.Fatalf("%d rows written of %d (%+v)", res.RowsWritten, n, res.Sources)
		}
		b.StopTimer()
		os.RemoveAll(wh)
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// stageRun is a minimal ingest over the public APIs (read → convert →
// write Parquet per partition), without the warehouse's transaction, to
// measure what overlapping the stages in goroutines would gain.
func stageRun(b *testing.B, path, dir string, overlap bool) int {
	ds := schemas.SiteAssessment()
	rd, err := csv.Open(path, ingest.Options{Scorer: transform.NewHeaderScorer(ds)})
	if err != nil {
		b.Fatal(err)
	}
	defer rd.Close()
	m, err := transform.Map(rd.Header(), ds, transform.MapOptions{})
	if err != nil {
		b.Fatal(err)
	}
	conv := transform.NewConverter(m, transform.Provenance{File: path, FileID: "0", RunID: "r"}, transform.Options{})
	defer conv.Release()
	files := map[transform.Partition]*sinks.ParquetFile{}
	write := func(recs []transform.PartRecord) {
		for _, r := range recs {
			pf, ok := files[r.Partition]
			if !ok {
				pf, err = sinks.CreateParquet(filepath.Join(dir, r.Partition.Country+"-"+r.Partition.Value+".parquet"), r.Record.Schema(), ds)
				if err != nil {
					b.Fatal(err)
				}
				files[r.Partition] = pf
			}
			if err := pf.Write(r.Record); err != nil {
				b.Fatal(err)
			}
			r.Record.Release()
		}
	}
	rowsC := make(chan []ingest.Row, 2)
	recsC := make(chan []transform.PartRecord, 2)
	done := make(chan struct{})
	if overlap {
		go func() { // convert
			for rows := range rowsC {
				conv.Convert(rows)
				recsC <- conv.Drain(false)
			}
			recsC <- conv.Drain(true)
			close(recsC)
		}()
		go func() { // write
			for recs := range recsC {
				write(recs)
			}
			close(done)
		}()
	}
	n := 0
	for {
		rows, err := rd.Next(16 * 1024)
		n += len(rows)
		if len(rows) > 0 {
			if overlap {
				rowsC <- rows
			} else {
				conv.Convert(rows)
				write(conv.Drain(false))
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	if overlap {
		close(rowsC)
		<-done
	} else {
		write(conv.Drain(true))
	}
	for _, pf := range files {
		if err := pf.Close(); err != nil {
			b.Fatal(err)
		}
	}
	return n
}

// BenchmarkStages compares the serial loop of ingestOne with the same
// stages overlapped in goroutines (read | convert | write).
func BenchmarkStages(b *testing.B) {
	const n = 200_000
	dir := b.TempDir()
	path := filepath.Join(dir, "sites.csv")
	data := synth.SiteCSV(n)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	for _, overlap := range []bool{false, true} {
		name := "serial"
		if overlap {
			name = "overlapped"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				out := b.TempDir()
				if got := stageRun(b, path, out, overlap); got != n {
					b.Fatalf("%d rows of %d", got, n)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkIngestXLSX measures a whole ingest of a synth site assessment
// workbook (50 k rows) into a fresh warehouse.
func BenchmarkIngestXLSX(b *testing.B) {
	const n = 50_000
	dir := b.TempDir()
	path := filepath.Join(dir, "sites.xlsx")
	if err := synth.WriteSiteXLSX(path, n); err != nil {
		b.Fatal(err)
	}
	benchIngest(b, dir, path, n)
}
