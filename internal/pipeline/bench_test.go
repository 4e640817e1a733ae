package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/schemas"
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
