package sinks

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// realSiteRecords converts n synth site rows into canonical records with
// the provenance of a real run (a file path, a SHA-256, a run id), whose
// strings the encoders hash on every row.
func realSiteRecords(tb testing.TB, n int) []arrow.RecordBatch {
	h := ingest.Header{File: "site.csv", Format: "csv", HeaderLine: 1, Columns: synth.SiteHeader, HXLLine: 2, HXL: synth.SiteHXL}
	m, err := transform.Map(h, schemas.SiteAssessment(), transform.MapOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	c := transform.NewConverter(m, transform.Provenance{File: "/tmp/dtmbench-final/inputs/site_assessment_1000000.csv",
		FileID: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", RunID: "20261130T153000Z-4f2a9c"}, transform.Options{})
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

// BenchmarkParquetDictionary measures what the encoders save when the
// dictionary-encoded string columns arrive as Arrow dictionary arrays (as
// the converter builds them since issue 15):
// 100 k canonical site rows (real provenance strings) in 32 Ki-row
// buffered row groups appended 4 Ki-row chunk by chunk, as the chunked
// ingest writes them, with one encoder. "strings": string arrays (today);
// "dict_group": dictionary arrays sharing one dictionary per row group
// "dict_chunk": each chunk its own dictionary (as the converter builds
// them: parquet_dict.go merges them per row group).
func BenchmarkParquetDictionary(b *testing.B) {
	recs := realSiteRecords(b, 100_000)
	plain := schemas.SiteAssessment().PlainEncoded
	dict := func(n string) bool { return !plain(n) }
	type group struct{ chunks []arrow.RecordBatch }
	var all []arrow.RecordBatch
	defer func() {
		for _, r := range append(recs, all...) {
			r.Release()
		}
	}()
	keep := func(r arrow.RecordBatch) arrow.RecordBatch { all = append(all, r); return r }
	cases := map[string][]group{}
	for _, r := range recs {
		for off := int64(0); off < r.NumRows(); off += 32 * 1024 {
			rg := r.NewSlice(off, min(r.NumRows(), off+32*1024))
			g := keep(stringColumns(rg))
			rg.Release()
			dg := keep(dictColumns(g, dict))
			var s, d, c group
			for co := int64(0); co < g.NumRows(); co += 4096 {
				end := min(g.NumRows(), co+4096)
				s.chunks = append(s.chunks, keep(g.NewSlice(co, end)))
				d.chunks = append(d.chunks, keep(dg.NewSlice(co, end)))
				piece := keep(g.NewSlice(co, end))
				c.chunks = append(c.chunks, keep(dictColumns(piece, dict)))
			}
			cases["strings"] = append(cases["strings"], s)
			cases["dict_group"] = append(cases["dict_group"], d)
			cases["dict_chunk"] = append(cases["dict_chunk"], c)
		}
	}
	dir := b.TempDir()
	for _, name := range []string{"strings", "dict_group", "dict_chunk"} {
		groups := cases[name]
		benchWrite(b, name, func() int64 {
			path := filepath.Join(dir, name+".parquet")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			schema := groups[0].chunks[0].Schema()
			w, ok, err := newColumnsWriter(f, schema, parquetWriterProperties(schema, plain), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()), 1)
			if err != nil || !ok {
				b.Fatal(ok, err)
			}
			for _, g := range groups {
				if err := w.NewBufferedRowGroupChecked(); err != nil {
					b.Fatal(err)
				}
				for _, c := range g.chunks {
					if err := w.WriteBuffered(c); err != nil {
						b.Fatal(fmt.Errorf("%s: %w", name, err))
					}
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			return st.Size()
		})
	}
}
