package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// OpenStream opens src's content for a streaming format: src.Data when
// set, else the file at src.Path after checking its size against
// lim.MaxFileBytes (ErrLimit). Bytes read are reported to src.Progress.
// The caller closes the returned stream (closing Data's stream is a no-op).
func OpenStream(src Source, lim Limits) (io.ReadCloser, error) {
	lim = lim.WithDefaults()
	if src.Data != nil {
		return progressReader{r: io.NopCloser(bytes.NewReader(src.Data)), progress: src.Progress}, nil
	}
	f, err := os.Open(src.Path)
	if err != nil {
		return nil, fmt.Errorf("opening %q: %w", src.Path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("opening %q: %w", src.Path, err)
	}
	if st.Size() > lim.MaxFileBytes {
		f.Close()
		return nil, fmt.Errorf("%q: %d bytes, more than %d (max_file_bytes): %w", src.Path, st.Size(), lim.MaxFileBytes, ErrLimit)
	}
	return progressReader{r: f, progress: src.Progress}, nil
}

// progressReader reports the bytes read to progress (when set).
type progressReader struct {
	r        io.ReadCloser
	progress func(int)
}

func (p progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if p.progress != nil && n > 0 {
		p.progress(n)
	}
	return n, err
}

func (p progressReader) Close() error { return p.r.Close() }

// OpenStreamReader opens src with OpenStream and starts a reader on it
// with newReader (a format's NewReader: name, content, options); the
// returned reader closes the stream when closed, and the stream is closed
// at once when newReader fails.
func OpenStreamReader(src Source, opts Options, newReader func(string, io.Reader, Options) (Reader, error)) (Reader, error) {
	stream, err := OpenStream(src, opts.Limits)
	if err != nil {
		return nil, err
	}
	rd, err := newReader(src.Path, stream, opts)
	if err != nil {
		stream.Close()
		return nil, err
	}
	return CloseWith(rd, stream), nil
}

// CloseWith returns rd whose Close also closes c (after rd), for a format
// whose reader does not own the stream it reads.
func CloseWith(rd Reader, c io.Closer) Reader { return closeBoth{Reader: rd, c: c} }

type closeBoth struct {
	Reader
	c io.Closer
}

func (cb closeBoth) Close() error {
	err := cb.Reader.Close()
	if cerr := cb.c.Close(); err == nil {
		err = cerr
	}
	return err
}
