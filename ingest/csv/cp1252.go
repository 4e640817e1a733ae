package csv

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// cp1252 maps each byte to its Windows-1252 character. The five bytes
// Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the
// C1 controls of the same value, as Latin-1 and the WHATWG encoding
// standard read them, so decoding never loses a byte or emits U+FFFD.
var cp1252 = func() (t [256]rune) {
	for b := range 256 {
		r := charmap.Windows1252.DecodeByte(byte(b))
		if r == utf8.RuneError {
			r = rune(b)
		}
		t[b] = r
	}
	return t
}()

// decodeCP1252 decodes a whole string as Windows-1252.
func decodeCP1252(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			b.WriteByte(c)
		} else {
			b.WriteRune(cp1252[c])
		}
	}
	return b.String()
}

// decodeMixed keeps the valid UTF-8 of s and decodes each byte that is not
// part of a valid UTF-8 sequence as Windows-1252 (text pasted from another
// file into a UTF-8 one).
func decodeMixed(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteRune(cp1252[s[i]])
			i++
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// hasHigh reports whether s holds a byte outside ASCII.
func hasHigh(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// cp1252Decoder is a transform.Transformer from Windows-1252 to UTF-8 (see
// cp1252 for the undefined bytes).
type cp1252Decoder struct{ transform.NopResetter }

func (cp1252Decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if c < utf8.RuneSelf {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = c
			nDst++
			nSrc++
			continue
		}
		r := cp1252[c]
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc++
	}
	return nDst, nSrc, nil
}
