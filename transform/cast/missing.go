package cast

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/iom-dtm/dtm/schemas"
)

// IsMissing reports whether a cell holds no value: it is empty or blank
// (spaces, tabs, non-breaking spaces), or it is one of the missing-value
// tokens of real DTM files, compared case-insensitively after trimming:
// n/a, NA, nan, NULL, NaT, none, -, --, #N/A, "Not available", and a lone
// en dash, em dash or minus sign (the "–" of typeset tables).
//
// It never allocates.
func IsMissing(s string) bool {
	s = Trim(s)
	switch len(s) {
	case 0:
		return true
	case 1:
		return s == "-"
	case 2:
		return s == "--" || strings.EqualFold(s, "na")
	case 3:
		return strings.EqualFold(s, "n/a") || strings.EqualFold(s, "nan") ||
			strings.EqualFold(s, "nat") || strings.EqualFold(s, "---") ||
			s == "\u2013" || s == "\u2014" || s == "\u2212" // a lone en dash, em dash or minus sign
	case 4:
		return strings.EqualFold(s, "null") || strings.EqualFold(s, "#n/a") ||
			strings.EqualFold(s, "none")
	case 13:
		return strings.EqualFold(s, "not available")
	}
	return false
}

// Trim trims Unicode white space (which includes the non-breaking space
// U+00A0 and the narrow no-break space U+202F) and the invisible characters
// spreadsheets leave behind (byte-order mark, zero-width space). It returns
// a substring of s and never allocates.
func Trim(s string) string {
	if len(s) == 0 {
		return s
	}
	// Fast path: printable ASCII at both ends.
	if f, l := s[0], s[len(s)-1]; f > ' ' && f < utf8.RuneSelf && l > ' ' && l < utf8.RuneSelf {
		return s
	}
	return strings.TrimFunc(s, isBlank)
}

// isBlank reports white space and invisible format characters.
func isBlank(r rune) bool {
	switch r {
	case '\uFEFF', '\u200B', '\u200C', '\u200D', '\u2060':
		return true
	}
	return unicode.IsSpace(r)
}

// isGroupSpace reports the characters used as a thousands separator that
// look like a space: space, no-break space, narrow no-break space, thin
// space, figure space.
func isGroupSpace(r rune) bool {
	switch r {
	case ' ', '\u00A0', '\u202F', '\u2009', '\u2007':
		return true
	}
	return false
}

// codedError is the error of every cast in this package. Its Code method
// gives the reject code the caller should record: schemas.CodeTypeError when
// the text is not a value of the type, schemas.CodeConstraintError when it is
// one but breaks a rule (a year outside 1900-2100, a range that ends before
// it starts). Callers read it with
//
//	var c interface{ Code() string }
//	if errors.As(err, &c) { code = c.Code() }
type codedError struct {
	code string
	msg  string
	// raw, when set, is the value quoted (Quote) before msg: the
	// message is built only when read, since most cast errors of a hot
	// path (a parse tried first and abandoned) are never printed.
	raw     string
	quoteIt bool
}

func (e *codedError) Error() string {
	if e.quoteIt {
		return Quote(e.raw) + e.msg
	}
	return e.msg
}

// Code returns the stable reject code of the error.
func (e *codedError) Code() string { return e.code }

func TypeErrorf(format string, args ...any) error {
	return &codedError{code: schemas.CodeTypeError, msg: fmt.Sprintf(format, args...)}
}

// typeError is TypeErrorf of a constant message.
func typeError(msg string) error {
	return &codedError{code: schemas.CodeTypeError, msg: msg}
}

// quotedTypeError is TypeErrorf("%s"+suffix, Quote(raw)),
// formatted only when read.
func quotedTypeError(raw, suffix string) error {
	return &codedError{code: schemas.CodeTypeError, msg: suffix, raw: raw, quoteIt: true}
}

func constraintErrorf(format string, args ...any) error {
	return &codedError{code: schemas.CodeConstraintError, msg: fmt.Sprintf(format, args...)}
}

// Quote quotes a raw value for an error message, shortened to 40 runes.
func Quote(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) > limit {
		n := 0
		for i := range s {
			if n == limit {
				s = s[:i] + "…"
				break
			}
			n++
		}
	}
	return strconv.Quote(s)
}
