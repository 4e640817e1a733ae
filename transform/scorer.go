package transform

import (
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// NewHeaderScorer rates a candidate header row by how many of its cells
// map to a field of the dataset (by alias or as a SADD band); readers use
// it to find the header below title rows and to choose the data sheet.
func NewHeaderScorer(ds *schemas.Dataset) ingest.HeaderScorer {
	ix := newFieldIndex(ds)
	return func(cells []string) int {
		n := 0
		for _, c := range cells {
			if c == "" {
				continue
			}
			for _, k := range HeaderKeys(c) {
				if _, ok := ix.alias[k]; ok {
					n += 2
					break
				}
			}
		}
		if n == 0 { // nothing known: fall back to "looks like labels"
			return ingest.DefaultScore(cells) / 2
		}
		return n + ingest.DefaultScore(cells)/4
	}
}
