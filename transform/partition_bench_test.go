package transform_test

import (
	"testing"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// BenchmarkPartitionAppend measures the copy of converted site rows into
// their partitions' column accumulators and the records taken from them
// (partitionSet.append and drain, records released), per row: the rows of
// the synth file, which interleaves six partitions row by row
// ("interleaved"), and those of one of its partitions ("one"). The first
// 256 such rows are replayed over and over (64 Ki rows an op, in
// Convert calls of 16 Ki): their values stay in cache, as Convert's
// single row of values does (a slab of all the rows' values, some 400 MB,
// made the benchmark measure cache misses and the GC's scan of it).
func BenchmarkPartitionAppend(b *testing.B) {
	const n, chunk, window = 64 * 1024, 16 * 1024, 256
	m, err := transform.Map(benchHeader(), schemas.SiteAssessment(), transform.MapOptions{})
	if err != nil {
		b.Fatal(err)
	}
	rows := benchRows(n)
	replay := func(one bool) *transform.AppendReplay {
		c := transform.NewConverter(m, transform.Provenance{File: "bench.csv", FileID: "0123", RunID: "r"}, transform.Options{})
		return transform.NewAppendReplay(c, rows, window, one)
	}
	for _, c := range []struct {
		name string
		ar   *transform.AppendReplay
	}{{"interleaved", replay(false)}, {"one", replay(true)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				c.ar.Run(n, chunk)
			}
			reportCPU(b, cpu, n)
		})
	}
}
