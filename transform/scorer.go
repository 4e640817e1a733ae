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
			if ix.knows(c) {
				n += 2
			}
		}
		if n == 0 { // nothing known: fall back to "looks like labels"
			return ingest.DefaultScore(cells) / 2
		}
		return n + ingest.DefaultScore(cells)/4
	}
}

// knows reports whether a header cell maps to a field by one of its keys.
func (ix *fieldIndex) knows(cell string) bool {
	for _, k := range HeaderKeys(cell) {
		if _, ok := ix.alias[k]; ok {
			return true
		}
	}
	if ix.hasSADD {
		if _, ok := ParseSADDHeader(CleanHeader(cell)); ok {
			return true
		}
	}
	for _, k := range LooseHeaderKeys(cell) {
		if _, ok := ix.alias[k]; ok {
			return true
		}
	}
	return false
}
