package transform_test

import (
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// BenchmarkConvertPcodes measures the p-code checks of the synthetic site
// file (3 countries, 14 admin 1, 168 admin 2 and 1,512 admin 3 codes,
// rows in no order of place) on their own: a mapping of the country and
// the admin columns and the site ID only, converted as the chunked ingest does (the first
// 4 Ki-row chunk by the converter, the others by one worker, each chunk
// absorbed in order), then Finish.
func BenchmarkConvertPcodes(b *testing.B) {
	const n, chunk = 50_000, 4 * 1024
	cols := synth.SiteHeader[:8]
	cells := synth.SiteRows(n)
	rows := make([]ingest.Row, n)
	for i, c := range cells {
		rows[i] = ingest.Row{Line: i + 3, Cells: c[:8]}
	}
	m, err := transform.Map(ingest.Header{File: "bench.csv", Columns: cols}, schemas.SiteAssessment(), transform.MapOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		c := transform.NewConverter(m, transform.Provenance{File: "bench.csv", RunID: "r"}, transform.Options{})
		if rj := c.Convert(rows[:chunk]); len(rj) > 0 {
			b.Fatalf("unexpected reject: %+v", rj[0])
		}
		w := c.Fork()
		for at := chunk; at < n; at += chunk {
			ch := w.ConvertChunk(rows[at:min(n, at+chunk)])
			c.Absorb(ch)
			for _, r := range ch.Records {
				r.Record.Release()
			}
		}
		if rj := c.Finish(); len(rj) > 0 {
			b.Fatalf("unexpected finding: %+v", rj[0])
		}
		for _, r := range c.Drain(true) {
			r.Record.Release()
		}
		w.Release()
		c.Release()
	}
	reportCPU(b, cpu, n)
}
