package xlsx

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

// maxSheetRows is the last row number a worksheet can have.
const maxSheetRows = 1 << 20

// fastRows streams a worksheet part with xmlScanner. It returns what
// excelize's Rows would with RawCellValue (the stored value of every cell,
// shared strings resolved, formulas' cached values), about five times
// faster. Rows missing from the XML are produced as empty rows.
type fastRows struct {
	file, sheet string
	lim         ingest.Limits
	rc          io.ReadCloser
	sc          *xmlScanner
	strs        func() ([]string, error)
	line        int    // last row number returned
	pend        rawRow // a row read ahead while filling a gap
	hasPend     bool
	done        bool
	text        []byte // reusable text buffer
	width       int    // cells in the last row, to size the next
}

// openFastRows starts streaming the worksheet part of sheet.
func openFastRows(wb *workbook, sheet, part string) (*fastRows, error) {
	rc, err := wb.parts.open(part)
	if err != nil {
		return nil, sheetErr(wb.path, sheet, err)
	}
	return &fastRows{
		file: wb.path, sheet: sheet, lim: wb.lim, rc: rc,
		sc:   newXMLScanner(rc, 1<<20, rawTextLimit(wb.lim)),
		strs: wb.sharedStrings,
	}, nil
}

// rawTextLimit bounds the escaped text of one cell: an escaped character
// takes at most 6 bytes ("&#xNN;" style references aside, "&quot;").
func rawTextLimit(lim ingest.Limits) int {
	return lim.MaxCellBytes*6 + 64
}

func (s *fastRows) next() (rawRow, bool, error) {
	if s.hasPend {
		if s.line+1 < s.pend.line {
			s.line++
			return rawRow{line: s.line}, true, nil
		}
		s.hasPend, s.line = false, s.pend.line
		return s.pend, true, nil
	}
	if s.done {
		return rawRow{}, false, nil
	}
	row, ok, err := s.readRow()
	if err != nil || !ok {
		s.done = true
		return rawRow{}, false, err
	}
	if row.line > s.line+1 {
		s.pend, s.hasPend = row, true
		s.line++
		return rawRow{line: s.line}, true, nil
	}
	s.line = row.line
	return row, true, nil
}

// readRow reads the next <row> element; ok is false after </sheetData>.
func (s *fastRows) readRow() (rawRow, bool, error) {
	for {
		kind, err := s.sc.next(nil)
		switch {
		case err != nil:
			return rawRow{}, false, s.rowErr(s.line+1, err)
		case kind == tokEOF:
			return rawRow{}, false, nil
		case kind == tokEnd && s.sc.is("sheetData"):
			return rawRow{}, false, nil
		case kind == tokStart && s.sc.is("row"):
			line := s.line + 1
			if r, ok := s.sc.attrRaw("r"); ok {
				if n, ok := atoi(r); ok && n > s.line {
					line = n
				}
			}
			if line > maxSheetRows {
				return rawRow{}, false, s.rowErr(line, fmt.Errorf("row number beyond %d", maxSheetRows))
			}
			if s.sc.selfClose {
				return rawRow{line: line}, true, nil
			}
			cells, err := s.readCells(line)
			return rawRow{line: line, cells: cells}, err == nil, err
		}
	}
}

// readCells reads the cells of a row up to </row>.
func (s *fastRows) readCells(line int) ([]string, error) {
	cells := make([]string, 0, s.width)
	col, rowBytes := 0, 0
	for {
		kind, err := s.sc.next(nil)
		switch {
		case err != nil:
			return nil, s.rowErr(line, err)
		case kind == tokEOF:
			return nil, s.rowErr(line, errUnexpectedEnd)
		case kind == tokEnd && s.sc.is("row"):
			s.width = len(cells)
			return cells, nil
		case kind == tokStart && s.sc.is("c"):
			col++
			if ref, ok := s.sc.attrRaw("r"); ok {
				if c := refColumn(ref); c > 0 {
					col = c
				}
			}
			val, err := s.readCell(line, col)
			if err != nil {
				return nil, err
			}
			if val == "" {
				continue
			}
			if col > s.lim.MaxColumns {
				if strings.TrimSpace(val) == "" {
					continue // trailing blanks are trimmed anyway
				}
				return nil, cellErr(s.file, s.sheet, line, col, limitErr("row has at least %d columns, limit %d", col, s.lim.MaxColumns))
			}
			if len(val) > s.lim.MaxCellBytes {
				return nil, cellErr(s.file, s.sheet, line, col, limitErr("cell has %d bytes, limit %d", len(val), s.lim.MaxCellBytes))
			}
			if rowBytes += len(val); rowBytes > s.lim.MaxRowBytes {
				return nil, rowErr(s.file, s.sheet, line, limitErr("row has at least %d bytes, limit %d", rowBytes, s.lim.MaxRowBytes))
			}
			for len(cells) < col-1 {
				cells = append(cells, "")
			}
			if col <= len(cells) {
				cells[col-1] = val
			} else {
				cells = append(cells, val)
			}
		}
	}
}

// readCell reads one <c> element (the scanner is on its start tag) and
// returns its stored value.
func (s *fastRows) readCell(line, col int) (string, error) {
	typ, _ := s.sc.attrRaw("t")
	isShared, isInline := string(typ) == "s", string(typ) == "inlineStr"
	if s.sc.selfClose {
		return "", nil
	}
	var (
		v, inline string
		hasInline bool
		kind, err = s.sc.next(nil)
	)
	for {
		if err != nil {
			return "", s.cellErr(line, col, err)
		}
		switch {
		case kind == tokEOF:
			return "", s.cellErr(line, col, errUnexpectedEnd)
		case kind == tokEnd && s.sc.is("c"):
			return s.value(line, col, v, inline, isShared, isInline && hasInline)
		case kind == tokStart && s.sc.is("v") && !s.sc.selfClose:
			s.text = s.text[:0]
			kind, err = s.sc.next(&s.text)
			v = decodeText(s.text)
			continue
		case kind == tokStart && s.sc.is("is") && !s.sc.selfClose:
			if inline, err = readRichText(s.sc, "is", &s.text); err != nil {
				return "", s.cellErr(line, col, err)
			}
			hasInline = true
		}
		kind, err = s.sc.next(nil)
	}
}

// value resolves a cell's stored value by its type.
func (s *fastRows) value(line, col int, v, inline string, isShared, useInline bool) (string, error) {
	switch {
	case useInline:
		return inline, nil
	case isShared && v != "":
		strs, err := s.strs()
		if err != nil {
			return "", sheetErr(s.file, s.sheet, err)
		}
		i, ok := atoi([]byte(trimSpace(v)))
		if !ok || i >= len(strs) {
			return "", s.cellErr(line, col, fmt.Errorf("shared string index %q out of range (%d strings)", v, len(strs)))
		}
		return strs[i], nil
	}
	return v, nil
}

// rowErr wraps a scanner error at a row.
func (s *fastRows) rowErr(line int, err error) error {
	if errors.Is(err, errTextLimit) {
		return rowErr(s.file, s.sheet, line, limitErr("cell text longer than %d bytes", s.lim.MaxCellBytes))
	}
	return rowErr(s.file, s.sheet, line, fmt.Errorf("%w: %v", ErrCorrupt, err))
}

// cellErr wraps a scanner error at a cell.
func (s *fastRows) cellErr(line, col int, err error) error {
	if errors.Is(err, errTextLimit) {
		return cellErr(s.file, s.sheet, line, col, limitErr("cell text longer than %d bytes", s.lim.MaxCellBytes))
	}
	return cellErr(s.file, s.sheet, line, col, fmt.Errorf("%w: %v", ErrCorrupt, err))
}

func (s *fastRows) close() error { return s.rc.Close() }

// refColumn returns the 1-based column of a cell reference like "AB12", or
// 0 if it is not one.
func refColumn(ref []byte) int {
	col, i := 0, 0
	for ; i < len(ref) && i < 4; i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
	}
	if i == 0 || i == 4 || col > 16384 {
		return 0
	}
	return col
}

// atoi parses a small non-negative decimal number.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// trimSpace trims XML white space.
func trimSpace(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}
