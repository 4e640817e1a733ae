package csv

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

const (
	// sampleSize is the number of leading bytes used to detect the encoding
	// and the delimiter.
	sampleSize = 64 << 10
	// rawBufSize buffers the undecoded input; it must hold the sample.
	rawBufSize = 128 << 10
	// csvBufSize buffers the decoded text that the tokenizer splits.
	csvBufSize = 256 << 10
	// maxBatch caps the capacity allocated for one Next call.
	maxBatch = 1 << 16
	// defaultBatch is used when Next is called with max <= 0.
	defaultBatch = 1024
)

// reader implements ingest.Reader over delimited text.
type reader struct {
	hdr     ingest.Header
	src     *recordSource
	pending []scanned    // records scanned for the header that are data rows
	held    []ingest.Row // blank rows not yet known to be followed by data
	ready   []ingest.Row // rows to return before reading on
	ncols   int
	err     error // sticky: io.EOF or the first failure
	closer  io.Closer
	ring    *rowRing // RecycleRows' arenas (nil: rows of fresh memory)
}

// Open opens the delimited text file at path. It refuses files larger than
// Limits.MaxFileBytes and reads ahead to detect the encoding, the delimiter
// and the header (see the package documentation).
func Open(path string, opts ingest.Options) (ingest.Reader, error) {
	lim := opts.Limits.WithDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fileError(path, err)
	}
	if st.Size() > lim.MaxFileBytes {
		_ = f.Close()
		return nil, fileError(path, fmt.Errorf("%w: %d bytes, more than %d (MaxFileBytes)",
			ingest.ErrLimit, st.Size(), lim.MaxFileBytes))
	}
	whole := func() (byteStats, error) { return scanStats(io.NewSectionReader(f, 0, st.Size())) }
	r, err := newReader(path, f, opts, f, whole, false)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return r, nil
}

// NewReader reads delimited text from r; name identifies the source in errors
// and in Header.File. Closing the returned reader does not close r.
func NewReader(name string, r io.Reader, opts ingest.Options) (ingest.Reader, error) {
	return newReader(name, r, opts, nil, nil, false)
}

// newReader reads delimited text from in. whole, when not nil, measures
// the whole source as UTF-8 (without disturbing in), so that the encoding
// is decided on the whole file rather than on the first bytes. std splits
// the records with encoding/csv instead of the tokenizer (the reference of
// the differential tests).
func newReader(name string, in io.Reader, opts ingest.Options, closer io.Closer,
	whole func() (byteStats, error), std bool) (_ ingest.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fileError(name, fmt.Errorf("internal error: %v", p))
		}
	}()
	lim := opts.Limits.WithDefaults()
	raw := bufio.NewReaderSize(&sizeGuard{r: in, max: lim.MaxFileBytes}, rawBufSize)
	sample, perr := raw.Peek(sampleSize)
	if perr != nil && perr != io.EOF {
		return nil, fileError(name, perr)
	}
	truncated := perr == nil
	enc, err := detectEncoding(sample, truncated)
	if err != nil {
		return nil, fileError(name, err)
	}
	if truncated && enc.revisable() && whole != nil {
		st, err := whole()
		if err != nil {
			return nil, fileError(name, err)
		}
		enc = decideText(st, "the whole file")
	}
	if len(sample) == enc.bomLen {
		return nil, fileError(name, fmt.Errorf("%w: the file is empty", ErrNoHeader))
	}
	if _, err := raw.Discard(enc.bomLen); err != nil {
		return nil, fileError(name, err)
	}
	text := enc.decodeSample(sample)
	delim, delimNote := detectDelimiter(text, truncated)
	notes := []string{enc.note, delimNote}
	if strings.IndexByte(text, 0) >= 0 {
		notes = append(notes, "NUL characters found: they are removed from cells")
	}

	guard := &lineGuard{r: enc.wrap(raw), maxRow: int64(lim.MaxRowBytes), slack: csvBufSize, validate: enc.enc == nil && !enc.cp1252}
	br := bufio.NewReaderSize(guard, csvBufSize)
	src := &recordSource{name: name, recs: newRecords(br, delim, std), br: br, guard: guard, limits: lim, mode: enc.mode}

	var recs []scanned
	for len(recs) < lim.MaxHeaderScan {
		row, err := src.nextRow(0)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		recs = append(recs, row)
	}
	if len(recs) == 0 {
		return nil, fileError(name, fmt.Errorf("%w: no record (blank or empty file)", ErrNoHeader))
	}
	choice, err := chooseHeader(recs, opts.Scorer)
	if err != nil {
		return nil, fileError(name, err)
	}
	r := &reader{
		hdr: ingest.Header{
			File:      name,
			Format:    "csv",
			Encoding:  enc.name,
			Delimiter: delim,
			Notes:     notes,
		},
		src:    src,
		closer: closer,
	}
	choice.Apply(&r.hdr, scanOf(recs))
	r.noteSwitch()
	r.ncols = len(r.hdr.Columns)
	r.pending = recs[choice.DataStart():]
	return r, nil
}

// Header returns what was found above the data rows. The encoding of a
// stream read with NewReader may be re-decided while reading (see
// modeTentative); Header then says so.
func (r *reader) Header() ingest.Header { return r.hdr }

// Next returns up to max data rows (max <= 0 means a default batch), or
// (nil, io.EOF) after the last one. An error ends the stream: rows read
// before it in the same call are returned first, the error on the next call.
func (r *reader) Next(max int) (rows []ingest.Row, err error) {
	if r.err != nil {
		return nil, r.err
	}
	defer func() {
		if p := recover(); p != nil {
			r.err = fileError(r.hdr.File, fmt.Errorf("internal error: %v", p))
			rows, err = nil, r.err
		}
	}()
	if max <= 0 {
		max = defaultBatch
	}
	if r.ring != nil {
		a := r.ring.next()
		r.src.use(a)
		rows = a.rowSlice(min(max, maxBatch))
		defer func() { a.keepRows(rows) }()
	} else {
		rows = make([]ingest.Row, 0, min(max, maxBatch))
	}
	for len(rows) < max {
		if len(r.ready) > 0 {
			rows = append(rows, r.ready[0])
			r.ready = r.ready[1:]
			continue
		}
		row, err := r.read()
		if err != nil {
			r.err = err // at io.EOF, held blank rows are the file's blank tail: dropped
			break
		}
		if blankRow(row.Cells) && len(r.held) < maxHeldBlanks {
			r.held = append(r.held, r.detach(row))
			continue
		}
		if len(r.held) == 0 {
			rows = append(rows, row)
			continue
		}
		// Blank rows followed by data are rows: return them, then this one
		// (rare: the held slice is handed over rather than copied). They
		// may be returned by a later call, so they are not in an arena.
		r.ready, r.held = append(r.held, r.detach(row)), nil
	}
	if len(rows) > 0 {
		return rows, nil
	}
	return nil, r.err
}

// RecycleRows makes the memory of the rows returned by each later call to
// Next (their slice, cells and cell text) valid only until the calls-th
// call after it begins, which reuses it: the caller must be done with the
// rows by then and must have copied (strings.Clone) any string it keeps.
// With poison, that memory is overwritten (PoisonByte, a poison cell text,
// rows of Line -1) before reuse, so that a string kept by mistake changes
// visibly (tests, --allocator poison). calls < 1 is taken as 1. The rows
// returned before RecycleRows (the header, a first batch) are not
// recycled.
func (r *reader) RecycleRows(calls int, poison bool) {
	r.ring = &rowRing{arenas: make([]*arena, max(calls, 1)), poison: poison}
}

// detach returns row in memory of its own when the reader recycles rows (a
// row returned by a later call than the one that read it).
func (r *reader) detach(row ingest.Row) ingest.Row {
	if r.ring == nil {
		return row
	}
	cells := make([]string, len(row.Cells))
	for i, c := range row.Cells {
		cells[i] = strings.Clone(c)
	}
	row.Cells = cells
	if len(row.Issues) > 0 {
		issues := make([]ingest.Issue, len(row.Issues))
		for i, is := range row.Issues {
			is.Value = strings.Clone(is.Value)
			issues[i] = is
		}
		row.Issues = issues
	}
	return row
}

// maxHeldBlanks bounds the blank rows held back while waiting to know
// whether they are the file's blank tail; beyond it they are returned.
const maxHeldBlanks = 1 << 16

// read returns the next data row: first the records scanned for the
// header, then the stream. Rows are padded to the header's width; a row
// split by unquoted delimiters inside text cells is joined back
// (rejoinSplitCells), any other longer row carries an extra-cell issue
// naming its cells beyond the header.
func (r *reader) read() (ingest.Row, error) {
	var row ingest.Row
	if len(r.pending) > 0 {
		p := r.pending[0]
		r.pending = r.pending[1:]
		row = ingest.Row{Line: p.Line, Cells: pad(p.Cells, r.ncols), Issues: p.Issues}
	} else {
		var err error
		if row, err = r.src.nextRow(r.ncols); err != nil {
			return row, err
		}
	}
	if len(row.Cells) > r.ncols { // cells beyond the header (rare): rejoin or report them
		if cells, issues, ok := rejoinSplitCells(row.Cells, r.ncols, r.hdr.Delimiter); ok {
			row.Cells = cells
			row.Issues = append(row.Issues, issues...)
		} else {
			row.Issues = append(row.Issues, ingest.ExtraCellIssues(row.Cells, r.ncols)...)
		}
	}
	r.noteSwitch()
	return row, nil
}

// noteSwitch records in the header a re-decision of the encoding made
// while reading (see modeTentative), once.
func (r *reader) noteSwitch() {
	if r.src.switchedRow == 0 || r.hdr.Encoding == encWindows1 {
		return
	}
	r.hdr.Encoding = encWindows1
	r.hdr.Notes = append(r.hdr.Notes, fmt.Sprintf(
		"encoding re-decided at row %d: windows-1252, since the first non-ASCII text of the file is not UTF-8; the text before it is ASCII, the same in both, so no row changes",
		r.src.switchedRow))
}

// blankRow reports whether every cell is empty or white space.
func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Close releases the file opened by Open; later calls to Next fail.
func (r *reader) Close() error {
	if r.err == nil || r.err == io.EOF {
		r.err = fileError(r.hdr.File, errClosed)
	}
	c := r.closer
	r.closer = nil
	if c == nil {
		return nil
	}
	if err := c.Close(); err != nil {
		return fileError(r.hdr.File, err)
	}
	return nil
}

var errClosed = errors.New("reader is closed")

// pad returns cells extended with "" to n cells.
func pad(cells []string, n int) []string {
	if len(cells) >= n {
		return cells
	}
	out := make([]string, n)
	copy(out, cells)
	return out
}
