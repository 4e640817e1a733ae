package pipeline

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/csv"
	"github.com/iom-dtm/dtm/ingest/dtmapi"
	"github.com/iom-dtm/dtm/ingest/xlsx"
)

// OpenReader opens the reader for an input by its format: for a workbook,
// of its first data sheet (the first of in.Sheets, or the detected one).
func OpenReader(in Input, opts ingest.Options) (ingest.Reader, error) {
	opts.Sheet = in.firstSheet()
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

// openTables opens the tables an input holds: one reader per data sheet of
// a workbook (xlsx.OpenAll: in.Sheets, or the detected data sheet and every
// sheet of the same layout), else one reader, counting the bytes read as
// openCounting does. The caller closes every reader.
func openTables(in Input, opts ingest.Options, read *atomic.Int64) ([]ingest.Reader, error) {
	if in.Format() == "xlsx" && in.Data == nil {
		return xlsx.OpenAll(in.Path, in.Sheets, opts)
	}
	rd, err := openCounting(in, opts, read)
	if err != nil {
		return nil, err
	}
	return []ingest.Reader{rd}, nil
}

// openCounting is OpenReader counting the bytes read from a CSV or JSON
// file into read (for progress); spreadsheets are read at random and count
// nothing until done.
func openCounting(in Input, opts ingest.Options, read *atomic.Int64) (ingest.Reader, error) {
	if in.Data != nil || in.Format() == "xlsx" {
		return OpenReader(in, opts)
	}
	lim := opts.Limits.WithDefaults()
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("opening %q: %w", in.Path, err)
	}
	if st, err := f.Stat(); err != nil {
		f.Close()
		return nil, fmt.Errorf("opening %q: %w", in.Path, err)
	} else if st.Size() > lim.MaxFileBytes {
		f.Close()
		return nil, fmt.Errorf("%q: %d bytes, more than %d (max_file_bytes): %w", in.Path, st.Size(), lim.MaxFileBytes, ingest.ErrLimit)
	}
	opts.Sheet = in.firstSheet()
	cr := &countingReader{r: f, n: read}
	var rd ingest.Reader
	if in.Format() == "json" {
		rd, err = dtmapi.NewReader(in.Path, cr, opts)
	} else {
		rd, err = csv.NewReader(in.Path, cr, opts)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return closeBoth{Reader: rd, f: f}, nil
}

// countingReader adds the bytes read to n.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n.Add(int64(k))
	return k, err
}

// closeBoth closes the reader, then the file it reads.
type closeBoth struct {
	ingest.Reader
	f *os.File
}

func (c closeBoth) Close() error {
	err := c.Reader.Close()
	if ferr := c.f.Close(); err == nil {
		err = ferr
	}
	return err
}
