package xlsx

import (
	"bytes"
	"fmt"

	"github.com/iom-dtm/dtm/ingest"
)

// Format is an Office Open XML workbook (.xlsx, .xlsm) as a member of the
// ingest.Formats registry, named "xlsx".
type Format struct{}

// Name is "xlsx".
func (Format) Name() string { return "xlsx" }

// Sniff claims a zip archive (every workbook is one) by content, and
// .xlsx/.xlsm files by extension.
func (Format) Sniff(path string, head []byte) ingest.Confidence {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return ingest.ByContent
	}
	if ingest.HasExtension(path, ".xlsx", ".xlsm") {
		return ingest.ByExtension
	}
	return ingest.NotMine
}

// Open reads the workbook at src.Path (random access: src.Progress is not
// called). A workbook given in memory (src.Data) is refused.
func (Format) Open(src ingest.Source, opts ingest.Options) (ingest.Reader, error) {
	if src.Data != nil {
		return nil, fmt.Errorf("%s: embedded spreadsheets are not supported", src.Path)
	}
	return Open(src.Path, opts)
}

// OpenAll reads the data sheets of the workbook at src.Path (see the
// package-level OpenAll): the ingest.TableSet ability.
func (Format) OpenAll(src ingest.Source, names []string, opts ingest.Options) ([]ingest.Reader, error) {
	if src.Data != nil {
		return nil, fmt.Errorf("%s: embedded spreadsheets are not supported", src.Path)
	}
	return OpenAll(src.Path, names, opts)
}
