package csv

import (
	"bufio"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iom-dtm/dtm/ingest"
)

// recordSource reads records (with tokenizer), numbers them as a
// spreadsheet shows them, enforces the per-record limits and copies each
// record into memory owned by the caller.
type recordSource struct {
	name   string
	recs   records       // the records, split by tokenizer (or encoding/csv)
	br     *bufio.Reader // the buffer recs reads from
	guard  *lineGuard
	limits ingest.Limits
	slab   []string // cells are carved from here, one allocation per many rows
	arena  *arena   // where slabs and text come from (nil: fresh allocations)
	width  int      // cells of the last record (what the next one needs, likely)

	mode        textMode       // what a cell that is not UTF-8 means (UTF-8 sources)
	sawHigh     bool           // a valid non-ASCII character has been read
	switchedRow int            // row at which modeTentative became modeSwitched, 0 if not
	issues      []ingest.Issue // issues of the last record returned

	row     int   // spreadsheet row of the last record returned
	endLine int   // physical line on which the last record ended
	offset  int64 // input offset at the end of the last record
}

// next returns the spreadsheet row number and the cells of the next record.
// The cells share one string allocation and are padded with "" to at least
// minCells. At the end of input it returns io.EOF.
//
// Row numbering: the tokenizer reports the physical line on which a record
// starts; the lines a multi-line quoted cell spans are not rows, while blank
// lines (which it skips, as encoding/csv does) are. So the row number
// advances by one per record plus one per blank line skipped before it,
// which is the row number a spreadsheet shows for the same file.
func (s *recordSource) next(minCells int) (int, []string, error) {
	if len(s.slab) < max(minCells, s.width) {
		if s.arena != nil {
			s.slab = s.arena.slab(max(minCells, s.width))
		} else {
			s.slab = make([]string, max(minCells, s.width, slabCells))
		}
	}
	rec, start, lastLine, offset, err := s.recs.read(s.slab[:0])
	if err != nil {
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		var pe *stdcsv.ParseError
		if errors.As(err, &pe) && pe.Err != nil {
			err = pe.Err
		}
		return 0, nil, rowError(s.name, s.row+1, err)
	}
	last := rec[len(rec)-1]
	end := lastLine
	if !s.oneLine() {
		end += strings.Count(last, "\n")
	}
	if gap := start - s.endLine - 1; gap > 0 {
		s.row += gap
	}
	s.row++
	s.endLine = end
	recBytes := offset - s.offset
	s.offset = offset
	s.guard.recordEnd = offset

	if err := s.checkLimits(rec, recBytes); err != nil {
		return 0, nil, rowError(s.name, s.row, err)
	}
	if strings.HasSuffix(last, "\n") && s.atEOF() && s.guard.unterminatedTail() {
		return 0, nil, rowError(s.name, s.row, fmt.Errorf(
			"quoted cell in column %d is never closed: it swallows the rest of the file (%d lines)",
			len(rec), end-lastLine))
	}
	s.width = len(rec)
	cells, issues := s.cleanCells(s.take(rec, minCells))
	if issues != nil || s.issues != nil { // no write (barrier) of nil over nil
		s.issues = issues
	}
	return s.row, cells, nil
}

// oneLine reports whether the last record read was on one line (split by
// the tokenizer's splitOneLine): none of its cells holds a line break.
func (s *recordSource) oneLine() bool {
	t, ok := s.recs.(*tokenizer)
	return ok && t.oneLine
}

// use makes the records read from now on out of a's memory (nil: fresh
// allocations); the cells left of the previous slab are dropped, since
// they belong to another arena.
func (s *recordSource) use(a *arena) {
	s.arena, s.slab = a, nil
	if t, ok := s.recs.(*tokenizer); ok {
		t.arena = a
	}
}

// checkLimits enforces MaxColumns, MaxRowBytes and MaxCellBytes on a record.
func (s *recordSource) checkLimits(rec []string, recBytes int64) error {
	if len(rec) > s.limits.MaxColumns {
		return fmt.Errorf("%w: %d columns, more than %d (MaxColumns)", ingest.ErrLimit, len(rec), s.limits.MaxColumns)
	}
	if recBytes > int64(s.limits.MaxRowBytes) {
		return fmt.Errorf("%w: record of %d bytes, more than %d (MaxRowBytes)", ingest.ErrLimit, recBytes, s.limits.MaxRowBytes)
	}
	if recBytes <= int64(s.limits.MaxCellBytes) {
		return nil // no cell is longer than its record's text
	}
	for i, c := range rec {
		if len(c) > s.limits.MaxCellBytes {
			return fmt.Errorf("%w: cell in column %d has %d bytes, more than %d (MaxCellBytes)",
				ingest.ErrLimit, i+1, len(c), s.limits.MaxCellBytes)
		}
	}
	return nil
}

// nextRow is next as an ingest.Row, with the row's issues (text decoded
// from another encoding).
func (s *recordSource) nextRow(minCells int) (ingest.Row, error) {
	line, cells, err := s.next(minCells)
	if err != nil {
		return ingest.Row{}, err
	}
	return ingest.Row{Line: line, Cells: cells, Issues: s.issues}, nil
}

// atEOF reports whether the input is exhausted after the last record.
func (s *recordSource) atEOF() bool {
	_, err := s.br.Peek(1)
	return err == io.EOF
}

// slabCells is the number of cells allocated at once for the rows: 32 KiB,
// the largest object the allocator serves without its large-object path.
const slabCells = 2048

// take returns the cells of rec, just read into s.slab, as a slice of
// their own of at least minCells cells (padded with ""), carved from the
// slab (capacity capped, so appending to a row never touches another). A
// record longer than what was left of the slab was appended elsewhere and
// is kept there. Each record's cells share one fresh string allocation
// (made by the tokenizer; strings are immutable), so nothing is copied.
func (s *recordSource) take(rec []string, minCells int) []string {
	n := max(len(rec), minCells)
	inSlab := len(rec) > 0 && n <= len(s.slab) && &rec[0] == &s.slab[0]
	if !inSlab {
		if len(rec) >= minCells {
			return rec[:n:n]
		}
		cells := make([]string, n)
		copy(cells, rec)
		return cells
	}
	cells := s.slab[:n:n]
	clear(cells[len(rec):]) // the slab may hold cells of a record that did not fit
	s.slab = s.slab[n:]
	return cells
}

// cleanCells repairs the text of a row's cells in place and returns them
// with the row's mixed-encoding issue if any.
//
// Text repairs (see textMode): NUL characters are removed; a cell that is
// not valid UTF-8 is decoded as Windows-1252 (wholly after a re-decision,
// byte by byte among valid UTF-8 in a mixed file, with an issue naming the
// cells). Cells are only examined once the stream has shown invalid UTF-8
// or NUL bytes, or, once a byte outside ASCII has been read, while a
// tentative UTF-8 choice has seen no non-ASCII text yet, or after a
// re-decision.
func (s *recordSource) cleanCells(cells []string) ([]string, []ingest.Issue) {
	checkUTF8, checkNUL := s.guard.sawInvalid, s.guard.sawNUL
	watch := s.guard.sawHigh && (s.mode == modeSwitched || (s.mode == modeTentative && !s.sawHigh))
	if !checkUTF8 && !checkNUL && !watch {
		return cells, nil
	}
	var mixed []int
	for i, c := range cells {
		if checkNUL && strings.IndexByte(c, 0) >= 0 {
			c = strings.ReplaceAll(c, "\x00", "")
			cells[i] = c
		}
		if !hasHigh(c) {
			continue
		}
		switch {
		case s.mode == modeSwitched:
			cells[i] = decodeCP1252(c)
		case utf8.ValidString(c):
			s.sawHigh = true
		case s.mode == modeTentative && !s.sawHigh:
			// The first non-ASCII text of the stream is not UTF-8: the file is
			// Windows-1252, and everything before it was ASCII.
			s.mode, s.switchedRow = modeSwitched, s.row
			cells[i] = decodeCP1252(c)
		default:
			cells[i] = decodeMixed(c)
			mixed = append(mixed, i)
		}
	}
	if len(mixed) == 0 {
		return cells, nil
	}
	cols := make([]string, len(mixed))
	for i, c := range mixed {
		cols[i] = strconv.Itoa(c + 1)
	}
	return cells, []ingest.Issue{{Code: ingest.IssueMixedEncoding, Column: mixed[0], Value: cells[mixed[0]],
		Message: fmt.Sprintf("cell(s) %s of this row are not UTF-8 like the rest of the file: their bytes were read as Windows-1252 (check the accents)",
			strings.Join(cols, ", "))}}
}
