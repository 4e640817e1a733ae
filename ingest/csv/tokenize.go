package csv

import (
	"bufio"
	"bytes"
	"encoding/binary"
	stdcsv "encoding/csv"
	"io"
	"math/bits"
)

// records is the record splitter under recordSource: encoding/csv's Reader
// (stdRecords) or this package's tokenizer, which gives exactly the same
// records, positions and errors for the options this package uses
// (LazyQuotes, FieldsPerRecord -1, ReuseRecord, a one-byte delimiter, no
// comment character, no TrimLeadingSpace).
type records interface {
	// read appends the cells of the next record to dst and returns them,
	// with the line on which its first field starts, the line on which its
	// last field starts, and the input offset after it; at the end of input
	// io.EOF. On any other error rec and the lines are not meaningful.
	read(dst []string) (rec []string, first, last int, offset int64, err error)
}

// newRecords returns the tokenizer over br for a one-byte delimiter, and
// encoding/csv for any other (no delimiter detectDelimiter picks is
// longer, so encoding/csv only runs as the differential tests' reference,
// or when std asks for it).
func newRecords(br *bufio.Reader, delim rune, std bool) records {
	if !std && delim > 0 && delim < 0x80 && delim != '"' && delim != '\r' && delim != '\n' {
		return &tokenizer{br: br, delim: byte(delim)}
	}
	cr := stdcsv.NewReader(br)
	cr.Comma = delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return stdRecords{cr}
}

// stdRecords is encoding/csv behind the records interface.
type stdRecords struct{ cr *stdcsv.Reader }

func (s stdRecords) read(dst []string) ([]string, int, int, int64, error) {
	rec, err := s.cr.Read()
	if err != nil {
		return nil, 0, 0, 0, err
	}
	first, _ := s.cr.FieldPos(0)
	last, _ := s.cr.FieldPos(len(rec) - 1)
	return append(dst, rec...), first, last, s.cr.InputOffset(), nil
}

// tokenizer splits text into records by encoding/csv's rules with
// LazyQuotes (see encoding/csv readRecord, which it follows step by step for
// records holding a quote), reading lines from the same bufio.Reader in
// the same way, so that the reads below it (lineGuard's limits) happen at
// the same offsets:
//   - a line is read up to '\n' (longer than the buffer: gathered in
//     rawBuffer); "\r\n" at its end counts as "\n"; a '\r' ending the input
//     is dropped; empty lines ("" or "\n") are skipped;
//   - a field not starting with '"' runs to the next delimiter or the end
//     of the line;
//   - a quoted field runs to a '"' followed by the delimiter or the end of
//     the line (or to the end of input), over line breaks; `""` inside it
//     is one '"', and with LazyQuotes any other '"' is kept as it is.
//
// A record on one line whose quoted cells hold no quote (nearly every line
// of a DTM export) is split in one pass (splitOneLine): one string allocation
// holds all its cells, which are slices of it, as encoding/csv's are. Any
// other record takes the general path (readQuoted), which gathers the
// unquoted text in recordBuffer first, as encoding/csv does.
type tokenizer struct {
	br           *bufio.Reader
	delim        byte
	numLine      int   // lines read so far, blank ones included
	offset       int64 // bytes read so far
	rawBuffer    []byte
	recordBuffer []byte
	fieldIndexes []int
	arena        *arena // where the records' text is copied (nil: a string each)
	oneLine      bool   // the last record read was split by splitOneLine
}

// str returns b as a string of its own or in the arena.
func (t *tokenizer) str(b []byte) string {
	if t.arena != nil {
		return t.arena.str(b)
	}
	return string(b)
}

// readLine is encoding/csv's readLine.
func (t *tokenizer) readLine() ([]byte, error) {
	line, err := t.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		t.rawBuffer = append(t.rawBuffer[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = t.br.ReadSlice('\n')
			t.rawBuffer = append(t.rawBuffer, line...)
		}
		line = t.rawBuffer
	}
	readSize := len(line)
	if readSize > 0 && err == io.EOF {
		err = nil
		if line[readSize-1] == '\r' {
			line = line[:readSize-1]
		}
	}
	t.numLine++
	t.offset += int64(readSize)
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// lengthNL is 1 if b ends with '\n', else 0.
func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

func (t *tokenizer) read(dst []string) ([]string, int, int, int64, error) {
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = t.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			line = nil
			continue // a blank line
		}
		break
	}
	if errRead == io.EOF {
		return nil, 0, 0, 0, errRead
	}
	recLine := t.numLine
	body := line[:len(line)-lengthNL(line)]
	s := t.str(body)
	if rec, ok := splitOneLine(dst, body, s, t.delim); ok {
		t.oneLine = true
		return rec, recLine, recLine, t.offset, errRead
	}
	t.oneLine = false
	if t.arena != nil {
		t.arena.unstr(s)
	}
	return t.readQuoted(dst, line, errRead, recLine)
}

// splitOneLine appends to dst the cells of a record on one line (body, without
// its line break) when its quoted cells, if any, close on it and hold no
// quote (`a,"b, c",d`): s, a copy of body, holds the line and the cells are slices
// of it (the quoted ones without their quotes). Unquoted cells may hold
// quotes (LazyQuotes). Any other line (a `""` or a bare quote inside
// quotes, a closing quote followed by neither the delimiter nor the end of
// the line, quotes still open at the end of the line) returns false, and
// readQuoted parses it: the caller must then ignore what was appended.
//
// The line is scanned eight bytes at a time for delimiters and quotes
// (byteMask), one pass whatever the number of cells.
func splitOneLine(dst []string, body []byte, s string, delim byte) ([]string, bool) {
	n := len(body)
	start := 0 // start of the current cell
	quoted := n > 0 && body[0] == '"'
	dmask, qmask := repeatByte(delim), repeatByte('"')
	var tail [8]byte
	for i := 0; i < n; i += 8 {
		var w uint64
		if i+8 <= n {
			w = binary.LittleEndian.Uint64(body[i:])
		} else {
			tail = [8]byte{}
			copy(tail[:], body[i:]) // zero bytes match neither
			w = binary.LittleEndian.Uint64(tail[:])
		}
		for m := byteMask(w, dmask) | byteMask(w, qmask); m != 0; m &= m - 1 {
			j := i + bits.TrailingZeros64(m)>>3
			switch {
			case j < start:
				// The delimiter after a closing quote.
			case quoted:
				if j == start || body[j] != '"' {
					continue // the opening quote, or a delimiter in the quotes
				}
				if j+1 < n && body[j+1] != delim {
					return dst, false // `""` or a bare quote
				}
				dst = append(dst, s[start+1:j])
				start = j + 2
				quoted = start < n && body[start] == '"'
			case body[j] == delim:
				dst = append(dst, s[start:j])
				start = j + 1
				quoted = start < n && body[start] == '"'
			}
		}
	}
	switch {
	case quoted:
		return dst, false // the quotes go on over the line break
	case start > n:
		return dst, true // the line ends with a closing quote
	}
	return append(dst, s[start:]), true
}

// repeatByte is b in each byte of a word.
func repeatByte(b byte) uint64 { return uint64(b) * 0x0101010101010101 }

// byteMask returns 0x80 in each byte of w equal to the byte repeated in
// rep, 0 elsewhere (exact: no carry crosses bytes).
func byteMask(w, rep uint64) uint64 {
	const low7 = 0x7f7f7f7f7f7f7f7f
	x := w ^ rep // zero bytes where w matches
	return ^((x&low7 + low7) | x | low7)
}

// readQuoted parses a record whose first line holds a '"': encoding/csv's
// readRecord with LazyQuotes, tracking only the line of each field.
func (t *tokenizer) readQuoted(dst []string, line []byte, errRead error, recLine int) ([]string, int, int, int64, error) {
	delim := t.delim
	t.recordBuffer = t.recordBuffer[:0]
	t.fieldIndexes = t.fieldIndexes[:0]
	posLine, lastLine := recLine, recLine
parseField:
	for {
		if len(line) == 0 || line[0] != '"' {
			// An unquoted field.
			i := bytes.IndexByte(line, delim)
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			t.recordBuffer = append(t.recordBuffer, field...)
			t.fieldIndexes = append(t.fieldIndexes, len(t.recordBuffer))
			lastLine = posLine
			if i >= 0 {
				line = line[i+1:]
				continue parseField
			}
			break parseField
		}
		// A quoted field.
		fieldLine := posLine
		line = line[1:]
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				t.recordBuffer = append(t.recordBuffer, line[:i]...)
				line = line[i+1:]
				switch {
				case len(line) > 0 && line[0] == '"':
					// `""`: one quote.
					t.recordBuffer = append(t.recordBuffer, '"')
					line = line[1:]
				case len(line) > 0 && line[0] == delim:
					// `",`: end of field.
					line = line[1:]
					t.fieldIndexes = append(t.fieldIndexes, len(t.recordBuffer))
					lastLine = fieldLine
					continue parseField
				case lengthNL(line) == len(line):
					// `"\n` or `"` at the end: end of the record.
					t.fieldIndexes = append(t.fieldIndexes, len(t.recordBuffer))
					lastLine = fieldLine
					break parseField
				default:
					// A bare quote, kept (LazyQuotes).
					t.recordBuffer = append(t.recordBuffer, '"')
				}
			case len(line) > 0:
				// The line ends inside the quotes: the field goes on.
				t.recordBuffer = append(t.recordBuffer, line...)
				if errRead != nil {
					break parseField
				}
				line, errRead = t.readLine()
				if len(line) > 0 {
					posLine++
				}
				if errRead == io.EOF {
					errRead = nil
				}
			default:
				// The input ends inside the quotes (LazyQuotes: the field
				// ends there).
				t.fieldIndexes = append(t.fieldIndexes, len(t.recordBuffer))
				lastLine = fieldLine
				break parseField
			}
		}
	}
	str := t.str(t.recordBuffer)
	pre := 0
	for _, idx := range t.fieldIndexes {
		dst = append(dst, str[pre:idx])
		pre = idx
	}
	return dst, recLine, lastLine, t.offset, errRead
}
