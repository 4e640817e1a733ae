package csv

import (
	"bytes"

	"github.com/iom-dtm/dtm/ingest"
)

// Format is delimited text (CSV, TSV, semicolon-separated, UTF-8/16 or
// Windows-1252) as a member of the ingest.Formats registry, named "csv".
type Format struct{}

// Name is "csv".
func (Format) Name() string { return "csv" }

// Sniff claims text by content: a UTF-16 byte-order mark, or bytes without
// NUL that do not open a JSON document ('{' or '[' first) nor a zip
// archive; and, by extension only, .csv, .tsv and .txt files whatever
// their bytes (the reader then says what is wrong with them).
func (Format) Sniff(path string, head []byte) ingest.Confidence {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return ingest.ByContent
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	text := len(trimmed) > 0 && bytes.IndexByte(head, 0) < 0 &&
		trimmed[0] != '{' && trimmed[0] != '[' && !bytes.HasPrefix(head, []byte("PK\x03\x04"))
	switch {
	case text:
		return ingest.ByContent
	case ingest.HasExtension(path, ".csv", ".tsv", ".txt"):
		return ingest.ByExtension
	}
	return ingest.NotMine
}

// Open reads src: the whole file is scanned to decide its encoding when it
// is read from disk without progress reporting (Open), otherwise the
// encoding is re-decided while reading (NewReader). The reader is this
// package's own in both cases (closing it closes the stream), so that its
// RecycleRows is there for the pipeline.
func (Format) Open(src ingest.Source, opts ingest.Options) (ingest.Reader, error) {
	if src.Data == nil && src.Progress == nil {
		return Open(src.Path, opts)
	}
	stream, err := ingest.OpenStream(src, opts.Limits)
	if err != nil {
		return nil, err
	}
	rd, err := newReader(src.Path, stream, opts, stream, nil, false)
	if err != nil {
		_ = stream.Close()
		return nil, err
	}
	return rd, nil
}
