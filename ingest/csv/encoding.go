package csv

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
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

// textEncoding is the outcome of encoding detection on the first bytes of a
// source.
type textEncoding struct {
	name   string
	bomLen int               // bytes of byte order mark to discard (UTF-8 only)
	enc    encoding.Encoding // nil: the bytes are (meant to be) UTF-8
	note   string            // why, for Header.Notes
}

// wrap returns r decoded to UTF-8. For UTF-8 sources it returns r unchanged:
// invalid bytes are repaired per row (see sanitize), which is much cheaper
// than a byte-by-byte transform.
func (e textEncoding) wrap(r io.Reader) io.Reader {
	if e.enc == nil {
		return r
	}
	return transform.NewReader(r, e.enc.NewDecoder())
}

// decodeSample returns the detection sample as UTF-8 text (BOM removed).
func (e textEncoding) decodeSample(sample []byte) string {
	sample = sample[e.bomLen:]
	if e.enc == nil {
		return string(sample)
	}
	if e.name == encUTF16LE || e.name == encUTF16BE {
		sample = sample[:len(sample)&^1]
	}
	out, _ := e.enc.NewDecoder().Bytes(sample) // decoders replace, never fail
	return string(out)
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
		return textEncoding{name: encUTF8BOM, bomLen: 3, note: "encoding utf-8: byte order mark"}, nil
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
	if truncated {
		sample = trimPartialRune(sample)
	}
	multi, invalid := utf8Stats(sample)
	switch {
	case invalid == 0:
		return textEncoding{name: encUTF8, note: "encoding utf-8: sample is valid UTF-8"}, nil
	case multi >= 4*invalid:
		return textEncoding{name: encUTF8, note: fmt.Sprintf(
			"encoding utf-8: %d multi-byte characters and %d invalid bytes in the sample; invalid bytes become U+FFFD", multi, invalid)}, nil
	default:
		return textEncoding{name: encWindows1,
			enc:  charmap.Windows1252,
			note: "encoding windows-1252: sample is not valid UTF-8"}, nil
	}
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

// utf8Stats counts valid multi-byte characters and invalid bytes.
func utf8Stats(b []byte) (multi, invalid int) {
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			multi++
		}
		b = b[size:]
	}
	return multi, invalid
}
