package dtmapi

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/iom-dtm/dtm/ingest"
)

const (
	// PrescanMaxBytes is the largest seekable body whose keys are collected
	// by a first pass over all records, so that Header.Columns lists every
	// key of the file. Larger or unseekable bodies take their extra columns
	// from the first record only.
	PrescanMaxBytes = 32 << 20
	// maxLateNotes bounds the notes about keys first seen after the header
	// was fixed.
	maxLateNotes = 20
)

// reader is the ingest.Reader of one DTM API response.
type reader struct {
	s         *stream
	closer    io.Closer
	header    ingest.Header
	colIndex  map[string]int
	levelCol  int
	pending   *record         // the first record, read to build the header
	late      map[string]bool // keys noted as first seen late (at most maxLateNotes)
	lateFull  bool            // more late keys than maxLateNotes were seen
	err       error           // sticky; io.EOF at the end
	eofNoted  bool
	closeErr  error
	closeOnce bool
}

// OpenFile opens a saved DTM API response (see NewReader for what it
// accepts). The file's size is checked against Limits.MaxFileBytes before
// reading. Close closes the file.
func OpenFile(path string, opts ingest.Options) (ingest.Reader, error) {
	lim := opts.Limits.WithDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening DTM API response: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("opening DTM API response %s: %w", path, err)
	}
	if st.Size() > lim.MaxFileBytes {
		f.Close()
		return nil, fmt.Errorf("%s: %d bytes, more than %d (Limits.MaxFileBytes): %w", path, st.Size(), lim.MaxFileBytes, ingest.ErrLimit)
	}
	r, err := newReader(path, f, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewReader reads one DTM API response from body: the v3 envelope
// {"result": [...], "statusCode", "isSuccess", "errorMessages",
// "totalRecordsCount"}, the same envelope around v2 records, or a bare JSON
// array of records. name is used in errors and as Header.File. Close does not
// close body.
//
// Errors from the envelope, the first record, or the whole response when it
// has no records, are returned here; later ones from Next.
func NewReader(name string, body io.Reader, opts ingest.Options) (ingest.Reader, error) {
	r, err := newReader(name, body, opts)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func newReader(name string, body io.Reader, opts ingest.Options) (*reader, error) {
	lim := opts.Limits.WithDefaults()
	var notes []string
	var extra []string
	prescanned := false
	if rs, ok := body.(io.ReadSeeker); ok {
		keys, did, err := prescan(name, rs, lim)
		if err != nil {
			return nil, err
		}
		if did {
			extra, prescanned = keys, true
			notes = append(notes, "columns: the known API keys plus every other key found in a pre-scan of all records")
		}
	}
	br := bufio.NewReaderSize(body, maxReadChunk)
	enc := "utf-8"
	if p, _ := br.Peek(3); len(p) == 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
		_, _ = br.Discard(3)
		enc = "utf-8-bom"
	}
	s, err := newStream(name, br, lim)
	if err != nil {
		return nil, err
	}
	r := &reader{s: s, late: map[string]bool{}}
	first, err := s.next()
	switch {
	case err == nil:
		r.pending = first
	case errors.Is(err, io.EOF):
		r.err = io.EOF
	default:
		return nil, err
	}
	if s.env.present {
		notes = append(notes, "shape: response envelope {result, statusCode, isSuccess, errorMessages, totalRecordsCount}")
	} else {
		notes = append(notes, "shape: bare JSON array of records")
	}
	if first != nil {
		v3 := false
		for _, k := range first.keys {
			v3 = v3 || isV3Key(k)
		}
		if v3 {
			notes = append(notes, "records: API v3 (with displacementReason, sex and origin fields)")
		} else {
			notes = append(notes, "records: API v2 (no displacementReason, sex or origin fields)")
		}
		if !prescanned {
			extra = unknownKeys(extra, first.keys, lim.MaxColumns)
			notes = append(notes, "columns: the known API keys plus the other keys of the first record; keys first seen later are noted and their values dropped")
		}
	}
	cols := KnownColumns()
	cols = append(cols, extra...)
	if len(cols) > lim.MaxColumns {
		return nil, fmt.Errorf("%s: %d columns, more than %d (Limits.MaxColumns): %w", name, len(cols), lim.MaxColumns, ingest.ErrLimit)
	}
	r.colIndex = make(map[string]int, len(cols))
	for i, c := range cols {
		r.colIndex[c] = i
	}
	r.levelCol = r.colIndex[KeyAdminLevel]
	notes = append(notes, "adminLevel: taken from the record when present, else inferred from the areas named (admin2Pcode or admin2Name -> 2, admin1Pcode or admin1Name -> 1, else 0)")
	r.header = ingest.Header{
		File:     name,
		Format:   "json",
		Encoding: enc,
		Columns:  cols,
		Notes:    notes,
	}
	return r, nil
}

// prescan collects the keys outside KnownColumns of every record of a small
// seekable body, in first-seen order, and rewinds the body. It reports
// whether it scanned. Parse errors end the scan silently: the main pass
// reports them where they occur.
func prescan(name string, rs io.ReadSeeker, lim ingest.Limits) ([]string, bool, error) {
	start, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, false, nil // not really seekable: no pre-scan
	}
	end, err := rs.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, false, nil
	}
	if _, err := rs.Seek(start, io.SeekStart); err != nil {
		return nil, false, fmt.Errorf("%s: rewinding: %w", name, err)
	}
	size := end - start
	if size > lim.MaxFileBytes {
		return nil, false, fmt.Errorf("%s: %d bytes, more than %d (Limits.MaxFileBytes): %w", name, size, lim.MaxFileBytes, ingest.ErrLimit)
	}
	if size > PrescanMaxBytes {
		return nil, false, nil
	}
	var keys []string
	br := bufio.NewReaderSize(rs, maxReadChunk)
	if p, _ := br.Peek(3); len(p) == 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
		_, _ = br.Discard(3)
	}
	if s, err := newStream(name, br, lim); err == nil {
		for {
			rec, err := s.next()
			if err != nil {
				break
			}
			keys = unknownKeys(keys, rec.keys, lim.MaxColumns)
		}
	}
	if _, err := rs.Seek(start, io.SeekStart); err != nil {
		return nil, false, fmt.Errorf("%s: rewinding: %w", name, err)
	}
	return keys, true, nil
}

// unknownKeys appends to have the keys that are neither known columns nor
// already in have, stopping at max+1 entries (enough to trip the limit).
func unknownKeys(have, keys []string, max int) []string {
	known := map[string]bool{}
	for _, k := range KnownColumns() {
		known[k] = true
	}
	for _, k := range have {
		known[k] = true
	}
	for _, k := range keys {
		if len(have) > max {
			break
		}
		if !known[k] {
			known[k] = true
			have = append(have, k)
		}
	}
	return have
}

// Header returns the table description; Notes may grow while reading (keys
// first seen after the header was fixed, a totalRecordsCount mismatch).
func (r *reader) Header() ingest.Header {
	h := r.header
	h.Columns = append([]string(nil), r.header.Columns...)
	h.Notes = append([]string(nil), r.header.Notes...)
	return h
}

// Next returns up to max records as rows (max <= 0 means 1). After the last
// record it returns (nil, io.EOF); an error ends the reading (rows read
// before it in the same call are returned first, the error on the next
// call).
func (r *reader) Next(max int) ([]ingest.Row, error) {
	if max <= 0 {
		max = 1
	}
	var rows []ingest.Row
	for len(rows) < max && r.err == nil {
		rec := r.pending
		r.pending = nil
		if rec == nil {
			var err error
			rec, err = r.s.next()
			if err != nil {
				r.err = err
				break
			}
		}
		rows = append(rows, r.row(rec))
	}
	if errors.Is(r.err, io.EOF) && !r.eofNoted {
		r.eofNoted = true
		if env := r.s.env; env.hasTotal && env.total != int64(r.s.count) {
			r.header.Notes = append(r.header.Notes, fmt.Sprintf("totalRecordsCount is %d but the result holds %d records", env.total, r.s.count))
		}
	}
	if len(rows) > 0 {
		return rows, nil
	}
	return nil, r.err
}

// row lays a record out along the header's columns.
func (r *reader) row(rec *record) ingest.Row {
	cells := make([]string, len(r.header.Columns))
	for i, k := range rec.keys {
		if j, ok := r.colIndex[k]; ok {
			cells[j] = rec.vals[i]
			continue
		}
		if r.late[k] || r.lateFull {
			continue
		}
		if len(r.late) < maxLateNotes {
			r.late[k] = true
			r.header.Notes = append(r.header.Notes, fmt.Sprintf("key %q first seen in record %d, after the columns were fixed: its values are dropped", k, rec.index))
		} else {
			r.lateFull = true
			r.header.Notes = append(r.header.Notes, "more keys first seen later: their values are dropped too")
		}
	}
	if cells[r.levelCol] == "" {
		cells[r.levelCol] = levelString(InferAdminLevel(func(k string) string { return cells[r.colIndex[k]] }))
	}
	return ingest.Row{Line: rec.index, Cells: cells}
}

// Close closes the file opened by OpenFile (a no-op for NewReader).
func (r *reader) Close() error {
	if r.closeOnce {
		return r.closeErr
	}
	r.closeOnce = true
	if r.closer != nil {
		r.closeErr = r.closer.Close()
	}
	return r.closeErr
}
