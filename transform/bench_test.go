package transform_test

import (
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
	"github.com/iom-dtm/dtm/transform/cast"
)

// benchHeader is the header a CSV reader reports for a synth site file.
func benchHeader() ingest.Header {
	return ingest.Header{File: "bench.csv", Format: "csv", Encoding: "utf-8", Delimiter: ',',
		HeaderLine: 1, Columns: synth.SiteHeader, HXLLine: 2, HXL: synth.SiteHXL}
}

// processCPU is the CPU time (user + system) of the process so far: all
// goroutines and the garbage collector. On a shared machine it varies far
// less than wall time, so the benchmarks report it per row (cpu-ns/row).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per row since start, for b.N loops of n rows.
func reportCPU(b *testing.B, start time.Duration, n int) {
	b.ReportMetric(float64(processCPU()-start)/float64(n*b.N), "cpu-ns/row")
}

func benchRows(n int) []ingest.Row {
	cells := synth.SiteRows(n)
	rows := make([]ingest.Row, n)
	for i, c := range cells {
		rows[i] = ingest.Row{Line: i + 3, Cells: c}
	}
	return rows
}

// BenchmarkMap measures header mapping (HXL, aliases) of a 20-column file.
func BenchmarkMap(b *testing.B) {
	ds := schemas.SiteAssessment()
	h := benchHeader()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := transform.Map(h, ds, transform.MapOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConvert measures casting, validation and Arrow building of site
// rows (Convert + Drain, records released), per row and per CSV byte.
func BenchmarkConvert(b *testing.B) {
	const n = 50_000
	ds := schemas.SiteAssessment()
	m, err := transform.Map(benchHeader(), ds, transform.MapOptions{})
	if err != nil {
		b.Fatal(err)
	}
	rows := benchRows(n)
	b.SetBytes(int64(len(synth.SiteCSV(n))))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		c := transform.NewConverter(m, transform.Provenance{File: "bench.csv", FileID: "0123", RunID: "r"}, transform.Options{})
		for i := 0; i < n; i += 16 * 1024 {
			rj := c.Convert(rows[i:min(n, i+16*1024)])
			if len(rj) > 0 {
				b.Fatalf("unexpected reject: %+v", rj[0])
			}
			for _, r := range c.Drain(false) {
				r.Record.Release()
			}
		}
		for _, r := range c.Drain(true) {
			r.Record.Release()
		}
		c.Release()
	}
	reportCPU(b, cpu, n)
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCast measures the cell casts on the shapes of DTM cells.
func BenchmarkCast(b *testing.B) {
	cases := []struct {
		name string
		fn   func()
	}{
		{"int", func() { cast.ParseInt("545") }},
		{"int_thousands", func() { cast.ParseInt("2,180") }},
		{"float", func() { cast.ParseFloat("9.68719") }},
		{"date_iso", func() { cast.ParseDate("2025-03-15") }},
		{"date_dmy", func() { cast.ParseDate("15/03/2025") }},
		{"multi", func() { cast.SplitMulti("Conflict; Flood") }},
		{"site_type", func() { transform.NormalizeSiteType("Collective Centre") }},
		{"missing", func() { cast.IsMissing("N/A") }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.fn()
			}
		})
	}
}

// BenchmarkConvertChunks measures the data-parallel conversion: the first
// 8 Ki-row chunk by the table's converter, the others by 1, 2 or 4
// workers (Fork, ConvertChunk), absorbed in order (Absorb), records
// released; the stage the pipeline's chunked ingest spends most in.
func BenchmarkConvertChunks(b *testing.B) {
	const n, chunk = 50_000, 8 * 1024
	ds := schemas.SiteAssessment()
	m, err := transform.Map(benchHeader(), ds, transform.MapOptions{})
	if err != nil {
		b.Fatal(err)
	}
	rows := benchRows(n)
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(len(synth.SiteCSV(n))))
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				c := transform.NewConverter(m, transform.Provenance{File: "bench.csv", FileID: "0123", RunID: "r"}, transform.Options{})
				c.Convert(rows[:chunk])
				for _, r := range c.Drain(true) {
					r.Record.Release()
				}
				chunks := make(chan int)
				done := make([]chan *transform.Chunk, (n+chunk-1)/chunk)
				for i := range done {
					done[i] = make(chan *transform.Chunk, 1)
				}
				var wg sync.WaitGroup
				for range workers {
					w := c.Fork()
					wg.Add(1)
					go func() {
						defer wg.Done()
						defer w.Release()
						for k := range chunks {
							done[k] <- w.ConvertChunk(rows[k*chunk : min(n, (k+1)*chunk)])
						}
					}()
				}
				go func() {
					for k := 1; k < len(done); k++ {
						chunks <- k
					}
					close(chunks)
				}()
				for k := 1; k < len(done); k++ {
					ch := <-done[k]
					c.Absorb(ch)
					for _, r := range ch.Records {
						r.Record.Release()
					}
				}
				wg.Wait()
				c.Finish()
				c.Release()
			}
			reportCPU(b, cpu, n)
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
