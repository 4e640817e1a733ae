package csv

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding names reported in ingest.Header.Encoding.
const (
	encUTF8     = "utf-8"
	encUTF8BOM  = "utf-8-bom"
	encUTF16LE  = "utf-16le"
	encUTF16BE  = "utf-16be"
	encWindows1 = "windows-1252"
)

// textEncoding is the outcome of encoding detection.
type textEncoding struct {
	name   string
	bomLen int               // bytes of byte order mark to discard (UTF-8 only)
	enc    encoding.Encoding // UTF-16 decoders; nil otherwise
	cp1252 bool              // decode as Windows-1252 (see cp1252)
	mode   textMode          // how UTF-8 text treats invalid bytes
	note   string            // why, for Header.Notes
}

// textMode says what a UTF-8 source does with a cell that is not UTF-8.
type textMode int

const (
	// modeMixed: the file is UTF-8 with some text in Windows-1252 (or the
	// encoding is fixed by a byte order mark): invalid bytes of a cell are
	// decoded as Windows-1252 and the row gets a mixed-encoding issue.
	modeMixed textMode = iota
	// modeTentative: UTF-8 chosen from a clean sample of a stream whose rest
	// is unknown: the first cell that is not UTF-8 re-decides. If no
	// earlier text was outside ASCII, the file is Windows-1252 from there on
	// (modeSwitched: the ASCII before reads the same in both, so nothing
	// read so far changes); otherwise the file is mixed.
	modeTentative
	// modeSwitched: re-decided as Windows-1252 while reading.
	modeSwitched
)

// wrap returns r decoded to UTF-8. For UTF-8 sources it returns r unchanged:
// invalid bytes are repaired per cell (see recordSource.copyCells), which is
// much cheaper than a byte-by-byte transform.
func (e textEncoding) wrap(r io.Reader) io.Reader {
	switch {
	case e.cp1252:
		return transform.NewReader(r, cp1252Decoder{})
	case e.enc != nil:
		return transform.NewReader(r, e.enc.NewDecoder())
	}
	return r
}

// decodeSample returns the detection sample as UTF-8 text (BOM removed).
func (e textEncoding) decodeSample(sample []byte) string {
	sample = sample[e.bomLen:]
	switch {
	case e.cp1252:
		return decodeCP1252(string(sample))
	case e.enc != nil:
		sample = sample[:len(sample)&^1]
		out, _ := e.enc.NewDecoder().Bytes(sample) // decoders replace, never fail
		return string(out)
	case e.mode == modeMixed:
		return decodeMixed(string(sample))
	}
	return string(sample)
}

// revisable reports whether the encoding was chosen from UTF-8 evidence
// without a byte order mark: the choice a whole-file scan may revise.
func (e textEncoding) revisable() bool {
	return e.bomLen == 0 && e.enc == nil
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	sigZip     = []byte("PK\x03\x04")
	sigOLE     = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// detectEncoding chooses the text encoding from the first bytes of a source.
// truncated reports whether sample is shorter than the whole source.
//
// Order: byte order marks; workbook signatures (error); UTF-16 without BOM
// (NUL bytes in alternate positions); otherwise UTF-8 if the sample is valid
// UTF-8 (or nearly: a few stray bytes among many multi-byte characters are
// treated as damage and replaced later), else Windows-1252, the code page of
// French and English Excel "CSV" exports.
func detectEncoding(sample []byte, truncated bool) (textEncoding, error) {
	switch {
	case bytes.HasPrefix(sample, bomUTF8):
		return textEncoding{name: encUTF8BOM, bomLen: 3, mode: modeMixed, note: "encoding utf-8: byte order mark"}, nil
	case bytes.HasPrefix(sample, bomUTF16LE):
		return textEncoding{name: encUTF16LE,
			enc:  unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM),
			note: "encoding utf-16le: byte order mark"}, nil
	case bytes.HasPrefix(sample, bomUTF16BE):
		return textEncoding{name: encUTF16BE,
			enc:  unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM),
			note: "encoding utf-16be: byte order mark"}, nil
	case bytes.HasPrefix(sample, sigZip):
		return textEncoding{}, fmt.Errorf("%w: zip signature (an XLSX workbook?)", ErrNotText)
	case bytes.HasPrefix(sample, sigOLE):
		return textEncoding{}, fmt.Errorf("%w: OLE signature (a legacy XLS workbook?)", ErrNotText)
	}
	if name, ok := sniffUTF16(sample); ok {
		order := unicode.LittleEndian
		if name == encUTF16BE {
			order = unicode.BigEndian
		}
		return textEncoding{name: name,
			enc:  unicode.UTF16(order, unicode.IgnoreBOM),
			note: "encoding " + name + ": no byte order mark, NUL bytes in alternate positions"}, nil
	}
	if n := bytes.Count(sample, []byte{0}); n*4 > len(sample) {
		return textEncoding{}, fmt.Errorf("%w: %d of the first %d bytes are NUL", ErrNotText, n, len(sample))
	}
	if !truncated {
		return decideText(statsOf(sample), "the whole file"), nil
	}
	st := statsOf(trimPartialRune(sample))
	if st.invalid == 0 {
		return textEncoding{name: encUTF8, mode: modeTentative, note: fmt.Sprintf(
			"encoding utf-8: the first %d bytes are valid UTF-8 (%d multi-byte characters); the rest is checked as it is read",
			len(sample), st.multi)}, nil
	}
	return decideText(st, fmt.Sprintf("the first %d bytes", len(sample))), nil
}

// byteStats describes text bytes as UTF-8.
type byteStats struct {
	multi        int   // valid multi-byte characters
	invalid      int   // bytes that are not part of a valid UTF-8 sequence
	firstInvalid int64 // offset of the first invalid byte, -1 if none
	invalidLine  int   // 1-based physical line of the first invalid byte
}

// statsOf measures b as UTF-8.
func statsOf(b []byte) byteStats {
	st := byteStats{firstInvalid: -1}
	st.add(b, 0, 1)
	return st
}

// add measures chunk b, which starts at offset off on physical line line.
func (st *byteStats) add(b []byte, off int64, line int) {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			if st.firstInvalid < 0 {
				st.firstInvalid = off + int64(i)
				st.invalidLine = line + bytes.Count(b[:i], []byte{'\n'})
			}
			st.invalid++
		} else {
			st.multi++
		}
		i += size
	}
}

// scanStats measures a whole source as UTF-8, streaming.
func scanStats(r io.Reader) (byteStats, error) {
	st := byteStats{firstInvalid: -1}
	buf := make([]byte, 1<<20)
	var off int64
	line, carry := 1, 0
	for {
		n, err := io.ReadFull(r, buf[carry:])
		n += carry
		end := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !end {
			return st, err
		}
		chunk := buf[:n]
		if !end {
			chunk = trimPartialRune(chunk)
		}
		st.add(chunk, off, line)
		line += bytes.Count(chunk, []byte{'\n'})
		off += int64(len(chunk))
		carry = copy(buf, buf[len(chunk):n])
		if end {
			return st, nil
		}
	}
}

// decideText chooses between UTF-8 and Windows-1252 from the UTF-8
// statistics of scope ("the whole file", "the first 65536 bytes"):
// valid UTF-8 is UTF-8; text whose non-ASCII bytes are mostly invalid in
// UTF-8 (at most one valid multi-byte character per four invalid bytes)
// is Windows-1252, the code page of French and English Excel "CSV" exports;
// text with both is UTF-8 with some Windows-1252 text (modeMixed).
func decideText(st byteStats, scope string) textEncoding {
	switch {
	case st.invalid == 0:
		return textEncoding{name: encUTF8, mode: modeMixed, note: fmt.Sprintf(
			"encoding utf-8: %s is valid UTF-8 (%d multi-byte characters)", scope, st.multi)}
	case st.multi*4 <= st.invalid:
		note := fmt.Sprintf("encoding windows-1252: %s is not UTF-8 (%d bytes invalid in UTF-8, the first on line %d)",
			scope, st.invalid, st.invalidLine)
		if st.multi > 0 {
			note += fmt.Sprintf("; %d byte sequences that UTF-8 would accept are read as Windows-1252 too", st.multi)
		}
		return textEncoding{name: encWindows1, cp1252: true, note: note}
	}
	return textEncoding{name: encUTF8, mode: modeMixed, note: fmt.Sprintf(
		"encoding utf-8 mixed with windows-1252: %s has %d UTF-8 multi-byte characters and %d bytes invalid in UTF-8 (the first on line %d): those bytes are read as Windows-1252 and their rows get a mixed-encoding warning",
		scope, st.multi, st.invalid, st.invalidLine)}
}

// sniffUTF16 recognises BOM-less UTF-16 text, whose ASCII characters carry a
// NUL high byte.
func sniffUTF16(sample []byte) (string, bool) {
	pairs := len(sample) / 2
	if pairs < 2 {
		return "", false
	}
	even, odd := 0, 0
	for i := 0; i+1 < len(sample); i += 2 {
		if sample[i] == 0 {
			even++
		}
		if sample[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*2 >= pairs && even*10 < pairs:
		return encUTF16LE, true
	case even*2 >= pairs && odd*10 < pairs:
		return encUTF16BE, true
	}
	return "", false
}

// trimPartialRune drops an incomplete UTF-8 sequence cut at the end of a
// sample.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}
