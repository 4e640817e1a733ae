// Package formats registers dtm's input formats: the one place that lists
// them (restic's backend/all shape). Adding a format is a package with a
// type implementing ingest.Format and one line here.
package formats

import (
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/csv"
	"github.com/iom-dtm/dtm/ingest/dtmapi"
	"github.com/iom-dtm/dtm/ingest/xlsx"
)

// Default returns the registry of every input format dtm reads, in order of
// precedence on equal confidence: workbooks, DTM API responses, then
// delimited text (the most permissive sniffer last).
func Default() *ingest.Formats {
	return ingest.NewFormats(xlsx.Format{}, dtmapi.Format{}, csv.Format{})
}
