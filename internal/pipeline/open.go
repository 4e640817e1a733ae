package pipeline

import (
	"bytes"
	"fmt"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/csv"
	"github.com/iom-dtm/dtm/ingest/dtmapi"
	"github.com/iom-dtm/dtm/ingest/xlsx"
)

// OpenReader opens the reader for an input by its format.
func OpenReader(in Input, opts ingest.Options) (ingest.Reader, error) {
	opts.Sheet = in.Sheet
	switch in.Format() {
	case "xlsx":
		if in.Data != nil {
			return nil, fmt.Errorf("%s: embedded spreadsheets are not supported", in.Path)
		}
		return xlsx.Open(in.Path, opts)
	case "json":
		if in.Data != nil {
			return dtmapi.NewReader(in.Path, bytes.NewReader(in.Data), opts)
		}
		return dtmapi.OpenFile(in.Path, opts)
	default:
		if in.Data != nil {
			return csv.NewReader(in.Path, bytes.NewReader(in.Data), opts)
		}
		return csv.Open(in.Path, opts)
	}
}
