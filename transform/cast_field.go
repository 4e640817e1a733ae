package transform

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/iom-dtm/dtm/transform/cast"

	"github.com/iom-dtm/dtm/schemas"
)

// castInto casts one raw cell into v by the field's kind. Missing tokens
// give null. A value that cannot be used (not of the field's type, a
// negative count) is a fault of that cell: a warning, the cell stored as
// empty and the rest of the row kept; only for a required field is it an
// error that drops the row (the message says the field is required). The
// raw value is kept in the reject (redacted for personal fields).
//
// slot is the field's value slot (it keys the converter's vocabulary cache).
func (c *Converter) castInto(v *value, f *schemas.Field, slot int, header, raw string, rc *rowContext) {
	switch f.Kind {
	case schemas.String:
		if cast.IsMissing(raw) {
			return
		}
		s := collapseSpace(raw)
		if len(f.Vocabulary) > 0 {
			s = c.vocabulary(f, slot, header, s, rc)
			if s == "" {
				return
			}
		}
		v.set, v.s = true, s // v was reset: only its kind's field is written
	case schemas.Int:
		n, missing, err := parseIntCell(f, raw)
		if err != nil {
			castFailed(f, header, raw, err, rc)
			return
		}
		if missing {
			return
		}
		if n < 0 && isCount(*f) {
			castFault(f, header, raw, schemas.CodeConstraintError, fmt.Sprintf("a count cannot be negative (%d)", n), rc)
			return
		}
		v.set, v.i = true, n
	case schemas.Float:
		x, missing, err := cast.ParseFloat(raw)
		if err != nil {
			castFailed(f, header, raw, err, rc)
			return
		}
		if missing {
			return
		}
		v.set, v.f = true, x
	case schemas.Date:
		start, missing, err := c.castDate(slot, header, raw, rc)
		if err != nil {
			castFailed(f, header, raw, err, rc)
			return
		}
		if missing {
			return
		}
		v.set, v.d = true, start
	case schemas.Bool:
		b, missing, err := cast.ParseBool(raw)
		if err != nil {
			castFailed(f, header, raw, err, rc)
			return
		}
		if missing {
			return
		}
		v.set, v.b = true, b
	case schemas.StringList:
		if cast.IsMissing(raw) {
			return
		}
		items := c.lists.split(slot, raw)
		if len(items) == 0 {
			return
		}
		v.set, v.list = true, append(v.list[:0], items...)
	}
}

// castFault records the fault of a cell of field f: an error that drops
// the row when f is required, else a warning (the cell stored as empty).
// The raw value is redacted for a personal field. (Functions, not
// closures in castInto: building closures cost every cell.)
func castFault(f *schemas.Field, header, raw, code, msg string, rc *rowContext) {
	shown := raw
	if f.Sensitivity == schemas.Personal {
		shown = Redacted
	}
	if f.Required {
		rc.errorf(header, shown, code, "%s: %s; the row is dropped: %s is required", f.Name, msg, f.Name)
	} else {
		rc.warnf(header, shown, code, "%s: %s; stored as empty, the row is kept", f.Name, msg)
	}
}

// castFailed is castFault of a cast's error, with the error's code
// (schemas.CodeTypeError when it has none).
func castFailed(f *schemas.Field, header, raw string, err error, rc *rowContext) {
	code := schemas.CodeTypeError
	if ce, ok := err.(interface{ Code() string }); ok {
		code = ce.Code()
	}
	castFault(f, header, raw, code, err.Error(), rc)
}

// vocabulary normalises a label into the field's vocabulary; an unknown
// label is a warning and becomes "other" when the vocabulary has it
// (otherwise empty).
func (c *Converter) vocabulary(f *schemas.Field, slot int, header, s string, rc *rowContext) string {
	h := c.vocab.lookup(slot, f, s)
	if h.dontKnow {
		return "" // Kobo's dnk / dont_know: unknown, not "other"
	}
	if h.ok {
		return h.canon
	}
	fallback := ""
	for _, w := range f.Vocabulary {
		if w == "other" {
			fallback = w
		}
	}
	rc.warnf(header, s, schemas.CodeVocabulary, "%s: %q is not one of %s; stored as %q",
		f.Name, s, strings.Join(f.Vocabulary, ", "), fallback)
	return fallback
}

// normalizeVocabulary applies the field's Normaliser (normalisers.go), or a
// case-, accent- and spacing-insensitive match against the vocabulary.
func normalizeVocabulary(f schemas.Field, s string) (string, bool) {
	if norm, ok := labelNormaliser(f.Normaliser); ok && norm != nil {
		return norm(s)
	}
	k := NormalizeLabel(s)
	for _, w := range f.Vocabulary {
		if NormalizeLabel(w) == k {
			return w, true
		}
	}
	return "", false
}

// isCount reports a field that counts people or households (its Unit).
func isCount(f schemas.Field) bool {
	return f.Kind == schemas.Int && f.Unit.Counts()
}

// collapseSpace trims s and collapses its runs of white space into one
// space, as strings.Join(strings.Fields(s), " ") does, without allocating
// when s is already clean (the common case, also for text in other scripts:
// a non-ASCII letter is decoded and passed over unless unicode.IsSpace).
// Printable ASCII is passed over 8 bytes at a time (cleanASCIIWords).
func collapseSpace(s string) string {
	if len(s) == 0 || s[0] == ' ' || s[len(s)-1] == ' ' {
		return strings.Join(strings.Fields(s), " ")
	}
	i := cleanASCIIWords(s)
	if i < 0 {
		return strings.Join(strings.Fields(s), " ")
	}
	for i = max(i-1, 0); i < len(s); i++ { // from the last byte checked: a space there may start a pair
		switch spaceClass[s[i]] {
		case 0:
		case spaceSingle:
			if i == 0 || i == len(s)-1 || s[i+1] == ' ' {
				return strings.Join(strings.Fields(s), " ")
			}
		case spaceControl:
			return strings.Join(strings.Fields(s), " ")
		default: // a multi-byte character: the general path only if it is a space
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return strings.Join(strings.Fields(s), " ")
			}
			i += size - 1
		}
	}
	return s
}

// cleanASCIIWords reads s 8 bytes at a time while they are printable
// ASCII (' ' to 0x7f) with no two spaces in a row, and returns the number
// of bytes so read (a multiple of 8), or -1 when two spaces are in a row
// there. The bytes from there on are left to collapseSpace's byte loop.
// (The byte loop alone: 57 ns a row of the bench's site file, for its site
// id and site name, in the profile of a 10 M-row ingest; on six clean ids
// and names, BenchmarkCollapseSpace, best 52.4 ns an op, 41.4 with words.)
func cleanASCIIWords(s string) int {
	const ones, highs, lows = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	i, lastSpace := 0, uint64(0)
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if ((w-0x20*ones)|w)&highs != 0 {
			break // a byte below ' ' or above 0x7f
		}
		x := w ^ 0x20*ones                       // spaces become zero bytes
		sp := ^(((x & lows) + lows) | x) & highs // 0x80 exactly at the spaces
		if sp&(sp>>8) != 0 || lastSpace&sp != 0 {
			return -1
		}
		lastSpace = sp >> 56 // the word's last byte is a space: 0x80
	}
	return i
}

// spaceClass sorts the bytes for collapseSpace: 0 for the bytes that are
// never part of white space, else spaceSingle (' '), spaceControl (the
// other ASCII white space) or spaceMulti (a byte of a multi-byte UTF-8
// character, or an invalid byte).
var spaceClass = func() (t [256]uint8) {
	for c := 0x80; c < 0x100; c++ {
		t[c] = spaceMulti
	}
	t[' '] = spaceSingle
	for _, c := range "\t\n\v\f\r" {
		t[c] = spaceControl
	}
	return t
}()

const (
	spaceSingle = 1 + iota
	spaceControl
	spaceMulti
)

// vocabCache remembers, per value slot, how published labels normalise
// and whether they say "don't know": a column holds few distinct labels,
// and normalising one allocates.
type vocabCache []map[string]vocabHit

// vocabHit is what vocabulary needs to know of one label.
type vocabHit struct {
	canon    string
	ok       bool // canon is the label's vocabulary word
	dontKnow bool // IsDontKnow: checked before the vocabulary
}

// maxVocabLabels bounds the labels cached per field (free-text columns
// mapped to a vocabulary field must not grow memory without bound).
const maxVocabLabels = 1024

func (vc vocabCache) lookup(slot int, f *schemas.Field, s string) vocabHit {
	if slot < 0 || slot >= len(vc) {
		return judgeLabel(f, s)
	}
	m := vc[slot]
	if h, ok := m[s]; ok {
		return h
	}
	h := judgeLabel(f, s)
	if m == nil {
		m = map[string]vocabHit{}
		vc[slot] = m
	}
	if len(m) < maxVocabLabels {
		m[strings.Clone(s)] = h
	}
	return h
}

// judgeLabel is the uncached vocabHit of a label.
func judgeLabel(f *schemas.Field, s string) vocabHit {
	if IsDontKnow(s) {
		return vocabHit{dontKnow: true}
	}
	canon, ok := normalizeVocabulary(*f, s)
	return vocabHit{canon: canon, ok: ok}
}

// listCache remembers, per value slot, how multi-valued cells split
// (cast.SplitMulti): a column repeats the same few combinations, and
// splitting one allocates. The items are shared: callers copy them.
type listCache []strMemo[[]string]

// split returns cast.SplitMulti(raw), cached per slot up to maxVocabLabels
// cells.
func (lc listCache) split(slot int, raw string) []string {
	if slot < 0 || slot >= len(lc) {
		return cast.SplitMulti(raw)
	}
	m := &lc[slot]
	if items, ok := m.get(raw); ok {
		return items
	}
	if m.len() >= maxVocabLabels {
		return cast.SplitMulti(raw)
	}
	key := strings.Clone(raw) // the items point into the kept copy
	items := cast.SplitMulti(key)
	m.put(key, items)
	return items
}

// parseDate is cast.ParseDateOrder for this source: in a workbook of the
// 1904 date system a bare serial (a number Excel did not format as a date,
// which the reader leaves a number) is a serial of that system.
func (c *Converter) parseDate(raw string, ord cast.DateOrder) (start, end time.Time, missing bool, err error) {
	if d, ok := c.serial1904(raw); ok {
		return d, d, false, nil
	}
	return cast.ParseDateOrder(raw, ord)
}

// serial1904 reads raw as a serial of the 1904 date system when the source
// workbook uses it; ok is false otherwise.
func (c *Converter) serial1904(raw string) (time.Time, bool) {
	if !c.m.date1904 {
		return time.Time{}, false
	}
	return cast.SerialDate1904(raw)
}
