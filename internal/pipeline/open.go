package pipeline

import (
	"sync/atomic"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/formats"
)

// OpenReader opens the reader for an input with the default format
// registry (the input's explicit format, a job's `format:`, when set; else
// the one its content, then its name, says): for a workbook, of its first
// data sheet (the first of in.Sheets, or the detected one).
func OpenReader(in Input, opts ingest.Options) (ingest.Reader, error) {
	opts.Sheet = in.firstSheet()
	rd, _, err := formats.Default().Open(in.source(nil), in.FormatName, opts)
	return rd, err
}

// openTables opens the tables an input holds through a format registry:
// one reader per data sheet when the format holds several tables
// (ingest.TableSet: in.Sheets, or the detected data sheet and every sheet
// of the same layout), else one reader, adding the bytes read by streaming
// formats to read (when not nil) for progress. The caller closes every
// reader.
func openTables(reg *ingest.Formats, in Input, opts ingest.Options, read *atomic.Int64) ([]ingest.Reader, error) {
	opts.Sheet = in.firstSheet()
	src := in.source(read)
	f, err := reg.Choose(src, in.FormatName)
	if err != nil {
		return nil, err
	}
	if ts, ok := f.(ingest.TableSet); ok && in.Data == nil {
		return ts.OpenAll(src, in.Sheets, opts)
	}
	rd, err := f.Open(src, opts)
	if err != nil {
		return nil, err
	}
	return []ingest.Reader{rd}, nil
}

// source is the input as a format sees it.
func (in Input) source(read *atomic.Int64) ingest.Source {
	src := ingest.Source{Path: in.Path, Data: in.Data}
	if read != nil {
		src.Progress = func(n int) { read.Add(int64(n)) }
	}
	return src
}
