package synth

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// SiteRecords converts n synthetic site rows into canonical site_assessment
// records (one per partition), the input of the Parquet writer in a real
// run. The caller must Release them.
func SiteRecords(n int) ([]arrow.RecordBatch, error) {
	h := ingest.Header{File: "bench.csv", Format: "csv", HeaderLine: 1, Columns: SiteHeader, HXLLine: 2, HXL: SiteHXL}
	m, err := transform.Map(h, schemas.SiteAssessment(), transform.MapOptions{})
	if err != nil {
		return nil, fmt.Errorf("mapping synthetic site header: %w", err)
	}
	c := transform.NewConverter(m, transform.Provenance{File: "bench.csv", FileID: "0123", RunID: "r"}, transform.Options{})
	defer c.Release()
	rows := make([]ingest.Row, n)
	for i, cells := range SiteRows(n) {
		rows[i] = ingest.Row{Line: i + 3, Cells: cells}
	}
	c.Convert(rows)
	var out []arrow.RecordBatch
	for _, r := range c.Drain(true) {
		out = append(out, r.Record)
	}
	return out, nil
}
