package dtmapi

import (
	"fmt"
	"io"

	"github.com/iom-dtm/dtm/ingest"
)

// maxReadChunk bounds one Read so that the JSON decoder never reads far
// ahead of the value it is decoding; it keeps the per-record check tight.
const maxReadChunk = 64 << 10

// guardReader enforces the size limits while the JSON decoder pulls bytes:
// the whole body may not exceed maxTotal bytes, and the bytes read since the
// start of the current record (mark >= 0) may not exceed maxRecord (plus one
// read chunk of look-ahead). It fails with an error wrapping ingest.ErrLimit,
// which the decoder hands back from Token.
type guardReader struct {
	r         io.Reader
	n         int64 // bytes read so far
	maxTotal  int64
	maxRecord int64
	mark      int64 // decoder offset at the start of the current record, -1 if none
}

func newGuardReader(r io.Reader, maxTotal, maxRecord int64) *guardReader {
	return &guardReader{r: r, maxTotal: maxTotal, maxRecord: maxRecord, mark: -1}
}

func (g *guardReader) Read(p []byte) (int, error) {
	if g.n > g.maxTotal {
		return 0, fmt.Errorf("body is larger than %d bytes (Limits.MaxFileBytes): %w", g.maxTotal, ingest.ErrLimit)
	}
	if g.mark >= 0 && g.n-g.mark > g.maxRecord+maxReadChunk {
		return 0, fmt.Errorf("record is larger than %d bytes (Limits.MaxRowBytes): %w", g.maxRecord, ingest.ErrLimit)
	}
	if len(p) > maxReadChunk {
		p = p[:maxReadChunk]
	}
	// Allow one byte past maxTotal so that an oversized body is detected.
	if rem := g.maxTotal + 1 - g.n; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}
