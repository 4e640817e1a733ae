package csv

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/iom-dtm/dtm/ingest"
)

// lineGuard sits between the decoded text and the bufio.Reader that feeds
// the tokenizer. It
//   - turns a lone '\r' (old Mac line ending) into '\n', because the
//     tokenizer, like encoding/csv, only ends lines at '\n' ("\r\n" is left
//     to it);
//   - stops a runaway record: when more than maxRow+slack bytes have been
//     delivered since the end of the last complete record (recordEnd, kept
//     up to date by the reader), the record being parsed is certainly longer
//     than maxRow, typically because an unbalanced quote swallows the rest of
//     the file, and Read fails with an error wrapping ingest.ErrLimit.
type lineGuard struct {
	r        io.Reader
	heldCR   bool // a '\r' ended the previous chunk; its meaning awaits the next byte
	extra    byte // one byte left over from a 1-byte Read
	hasExtra bool
	tail     [tailSize]byte // the last bytes delivered (see unterminatedTail)
	tailLen  int
	sawNUL   bool // a NUL byte has been delivered (cells then need cleaning)
	// sawHigh records that a byte outside ASCII has been delivered: until
	// then no cell can hold one, and none needs looking at for its encoding.
	sawHigh bool
	// validate asks for UTF-8 validation of the delivered text (raw UTF-8
	// sources); sawInvalid records that some of it may be invalid, so cells
	// need cleaning. False positives only cost speed.
	validate   bool
	sawInvalid bool
	carry      [utf8.UTFMax]byte // incomplete character at the end of the last chunk
	carryLen   int
	err        error // sticky error of r
	delivered  int64 // bytes handed out so far
	recordEnd  int64 // offset where the record being parsed starts
	maxRow     int64 // ingest.Limits.MaxRowBytes
	slack      int64 // read-ahead of the bufio.Reader above us
}

func (g *lineGuard) Read(p []byte) (int, error) {
	if g.delivered-g.recordEnd > g.maxRow+g.slack {
		return 0, fmt.Errorf("%w: record longer than %d bytes (MaxRowBytes); unbalanced quote?", ingest.ErrLimit, g.maxRow)
	}
	switch {
	case len(p) == 0:
		return 0, nil
	case g.hasExtra:
		p[0], g.hasExtra = g.extra, false
		g.delivered++
		g.remember(p[:1])
		return 1, nil
	case len(p) == 1:
		// A held '\r' needs its successor: fill two bytes, keep the second.
		var b [2]byte
		n, err := g.fill(b[:])
		if n == 0 {
			return 0, err
		}
		p[0] = b[0]
		if n == 2 {
			g.extra, g.hasExtra = b[1], true
		}
		g.delivered++
		g.remember(p[:1])
		return 1, nil
	}
	n, err := g.fill(p)
	g.delivered += int64(n)
	g.remember(p[:n])
	return n, err
}

// tailSize bounds the bytes kept by lineGuard.remember.
const tailSize = 64

// remember keeps the last tailSize bytes delivered.
func (g *lineGuard) remember(b []byte) {
	if len(b) >= tailSize {
		g.tailLen = copy(g.tail[:], b[len(b)-tailSize:])
		return
	}
	keep := min(g.tailLen, tailSize-len(b))
	copy(g.tail[:], g.tail[g.tailLen-keep:g.tailLen])
	g.tailLen = keep + copy(g.tail[keep:], b)
}

// unterminatedTail reports, once the input is exhausted, whether it ended
// inside a quoted field. It is called only when the last cell read ends with
// a line break, which for a properly closed cell means the input ends with
// `\n"` (plus optional line breaks): the run of quotes before the final line
// breaks is then odd (a closing quote after escaped "" pairs). An even run,
// including none, means the quote was never closed and the tokenizer (with
// encoding/csv's LazyQuotes rule) took the rest of the file as the cell.
func (g *lineGuard) unterminatedTail() bool {
	t := g.tail[:g.tailLen]
	for len(t) > 0 && (t[len(t)-1] == '\n' || t[len(t)-1] == '\r') {
		t = t[:len(t)-1]
	}
	run := 0
	for run < len(t) && t[len(t)-1-run] == '"' {
		run++
	}
	return run%2 == 0
}

// fill reads into p (len(p) >= 2) and normalises line endings. It returns an
// error only with n == 0.
func (g *lineGuard) fill(p []byte) (int, error) {
	n := 0
	if g.heldCR {
		p[0] = '\r'
		n = 1
		g.heldCR = false
	}
	if g.err == nil {
		m, err := g.r.Read(p[n:])
		n += m
		g.err = err
	}
	n = g.normalizeCR(p, n)
	if !g.sawNUL && bytes.IndexByte(p[:n], 0) >= 0 {
		g.sawNUL = true
	}
	if !g.sawHigh && hasHighByte(p[:n]) {
		g.sawHigh = true
	}
	if g.validate && !g.sawInvalid {
		g.checkUTF8(p[:n])
	}
	if n == 0 && !g.heldCR && g.err != nil {
		return 0, g.err
	}
	return n, nil
}

// checkUTF8 validates a chunk of text, carrying an incomplete character over
// to the next chunk; it sets sawInvalid on invalid UTF-8 (or when a carried
// character cannot be checked cheaply), and at the end of input if an
// incomplete character remains.
func (g *lineGuard) checkUTF8(b []byte) {
	if g.carryLen > 0 {
		k := 0
		for k < len(b) && k < utf8.UTFMax-1 && !utf8.RuneStart(b[k]) {
			k++
		}
		var buf [2 * utf8.UTFMax]byte
		m := copy(buf[:], g.carry[:g.carryLen])
		m += copy(buf[m:], b[:k])
		g.carryLen = 0
		if !utf8.Valid(buf[:m]) {
			g.sawInvalid = true
			return
		}
		b = b[k:]
	}
	t := trimPartialRune(b)
	g.carryLen = copy(g.carry[:], b[len(t):])
	if !utf8.Valid(t) || (g.carryLen > 0 && g.err != nil) {
		g.sawInvalid = true
	}
}

// normalizeCR rewrites lone '\r' in p[:n] to '\n' and returns the number of
// bytes to deliver (a '\r' at the very end is held back until the next byte
// is known).
func (g *lineGuard) normalizeCR(p []byte, n int) int {
	buf := p[:n]
	for off := 0; ; {
		i := bytes.IndexByte(buf[off:], '\r')
		if i < 0 {
			return n
		}
		i += off
		switch {
		case i+1 < n:
			if buf[i+1] != '\n' {
				buf[i] = '\n'
			}
		case g.err == nil:
			g.heldCR = true
			return n - 1
		default:
			buf[i] = '\n' // lone '\r' at end of input
		}
		off = i + 1
	}
}

// hasHighByte reports whether b holds a byte outside ASCII (32 bytes at
// a time, then eight: every chunk of an ASCII file is scanned whole; one
// word a loop cost 0.22 s of a 10 M-row ingest's 86 CPU s).
func hasHighByte(b []byte) bool {
	const high = 0x8080808080808080
	for len(b) >= 32 {
		w := binary.LittleEndian.Uint64(b) | binary.LittleEndian.Uint64(b[8:]) |
			binary.LittleEndian.Uint64(b[16:]) | binary.LittleEndian.Uint64(b[24:])
		if w&high != 0 {
			return true
		}
		b = b[32:]
	}
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&high != 0 {
			return true
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// sizeGuard fails once more than max bytes have been read from r; it enforces
// ingest.Limits.MaxFileBytes on streams whose size is not known in advance.
type sizeGuard struct {
	r   io.Reader
	n   int64
	max int64
}

func (s *sizeGuard) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n += int64(n)
	if s.n > s.max {
		return 0, fmt.Errorf("%w: more than %d bytes (MaxFileBytes)", ingest.ErrLimit, s.max)
	}
	return n, err
}
