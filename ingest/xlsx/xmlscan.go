package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// Token kinds returned by xmlScanner.next.
const (
	tokEOF = iota
	tokStart
	tokEnd
)

// errTextLimit is returned by the scanner when a text run exceeds maxText;
// callers turn it into an ingest.ErrLimit error naming the cell.
var errTextLimit = errors.New("text exceeds the size limit")

// errUnexpectedEnd reports XML that ends inside an element.
var errUnexpectedEnd = errors.New("unexpected end of XML")

// xmlScanner is a minimal, allocation-light pull scanner for the
// SpreadsheetML parts Excel writes. It reports start and end tags (local
// names, prefixes dropped) and, on request, the character data before the
// next tag. It skips comments, processing instructions and the XML
// declaration, includes CDATA sections in text, rejects DOCTYPE
// declarations, and never holds more than one tag or text run (bounded by
// maxTag and maxText) in memory. It is much faster than encoding/xml, which
// is what excelize's streaming reader spends its time in.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	rerr     error // sticky read error (io.EOF at the end)
	maxTag   int   // longest tag accepted
	maxText  int   // longest text run accepted

	// The current tag, valid until the next call.
	local     []byte // local name
	attrs     []byte // raw attribute text
	selfClose bool   // <x/>
}

// newXMLScanner scans r.
func newXMLScanner(r io.Reader, maxTag, maxText int) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, 64<<10), maxTag: maxTag, maxText: maxText}
}

// fill compacts the buffer and reads more; it returns false when nothing
// more can be read.
func (s *xmlScanner) fill(limit int) (bool, error) {
	if s.rerr != nil {
		return false, nil
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= limit {
			return false, errTextLimit
		}
		nb := make([]byte, min(2*len(s.buf), limit+1))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	n, err := s.r.Read(s.buf[s.end:])
	s.end += n
	if err != nil {
		s.rerr = err
	}
	return n > 0 || err == nil, nil
}

// readErr is the error to report when the input ends inside markup.
func (s *xmlScanner) readErr() error {
	if s.rerr != nil && s.rerr != io.EOF {
		return s.rerr
	}
	return io.ErrUnexpectedEOF
}

// next advances to the next start or end tag. If text is not nil, the
// character data before the tag (entity-decoded) is appended to it.
func (s *xmlScanner) next(text *[]byte) (int, error) {
	for {
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			if text != nil {
				if err := s.appendText(text, s.buf[s.pos:s.end]); err != nil {
					return tokEOF, err
				}
			}
			s.pos = s.end
			more, err := s.fill(len(s.buf))
			if err != nil {
				return tokEOF, err
			}
			if !more {
				if s.rerr != nil && s.rerr != io.EOF {
					return tokEOF, s.rerr
				}
				return tokEOF, nil
			}
			continue
		}
		if text != nil && i > 0 {
			if err := s.appendText(text, s.buf[s.pos:s.pos+i]); err != nil {
				return tokEOF, err
			}
		}
		s.pos += i
		kind, err := s.markup(text)
		if err != nil || kind != tokEOF {
			return kind, err
		}
	}
}

// appendText appends raw character data, checking the size limit; entities
// are decoded later by decodeText.
func (s *xmlScanner) appendText(text *[]byte, raw []byte) error {
	if len(*text)+len(raw) > s.maxText {
		return errTextLimit
	}
	*text = append(*text, raw...)
	return nil
}

// markup consumes the markup at s.pos (which is '<'). It returns tokEOF
// for markup that is not a tag (comment, PI, CDATA: CDATA content is added
// to text as escaped data so that decodeText leaves it intact).
func (s *xmlScanner) markup(text *[]byte) (int, error) {
	if err := s.need(2); err != nil {
		return tokEOF, err
	}
	if c := s.buf[s.pos+1]; c != '!' && c != '?' {
		return s.tag()
	}
	if err := s.need(9); err != nil && s.end-s.pos < 4 {
		return tokEOF, err
	}
	rest := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		return tokEOF, s.skipPast([]byte("-->"), nil)
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		s.pos += 9
		return tokEOF, s.skipPast([]byte("]]>"), text)
	case bytes.HasPrefix(rest, []byte("<?")):
		return tokEOF, s.skipPast([]byte("?>"), nil)
	}
	return tokEOF, errors.New("DOCTYPE and DTD declarations are not allowed")
}

// need makes sure n bytes are buffered after s.pos if the input has them.
func (s *xmlScanner) need(n int) error {
	for s.end-s.pos < n {
		more, err := s.fill(max(len(s.buf), n))
		if err != nil {
			return err
		}
		if !more {
			return s.readErr()
		}
	}
	return nil
}

// skipPast consumes input through the terminator; the bytes before it are
// appended to text (escaped, for CDATA) when text is not nil.
func (s *xmlScanner) skipPast(term []byte, text *[]byte) error {
	for {
		i := bytes.Index(s.buf[s.pos:s.end], term)
		if i >= 0 {
			if text != nil {
				if err := s.appendText(text, escapeCDATA(s.buf[s.pos:s.pos+i])); err != nil {
					return err
				}
			}
			s.pos += i + len(term)
			return nil
		}
		keep := min(len(term)-1, s.end-s.pos)
		if text != nil {
			if err := s.appendText(text, escapeCDATA(s.buf[s.pos:s.end-keep])); err != nil {
				return err
			}
		}
		s.pos = s.end - keep
		more, err := s.fill(max(len(s.buf), s.maxTag))
		if err != nil {
			return err
		}
		if !more {
			return s.readErr()
		}
	}
}

// escapeCDATA escapes the ampersands of CDATA content, which decodeText
// would otherwise interpret.
func escapeCDATA(b []byte) []byte {
	if bytes.IndexByte(b, '&') < 0 {
		return b
	}
	return bytes.ReplaceAll(b, []byte("&"), []byte("&amp;"))
}

// tag reads a start or end tag at s.pos.
func (s *xmlScanner) tag() (int, error) {
	j := 1 // offset from s.pos of the next byte to examine
	for {
		for s.pos+j < s.end {
			k := indexTagStop(s.buf[s.pos+j : s.end])
			if k < 0 {
				j = s.end - s.pos
				break
			}
			j += k
			c := s.buf[s.pos+j]
			if c == '>' {
				return s.setTag(s.buf[s.pos+1 : s.pos+j])
			}
			q := bytes.IndexByte(s.buf[s.pos+j+1:s.end], c)
			if q < 0 {
				j-- // re-examine this quote once more input is buffered
				break
			}
			j += q + 2
		}
		if j > s.maxTag {
			return tokEOF, fmt.Errorf("tag longer than %d bytes", s.maxTag)
		}
		more, err := s.fill(max(len(s.buf), s.maxTag))
		if err != nil {
			return tokEOF, err
		}
		if !more {
			return tokEOF, s.readErr()
		}
	}
}

// indexTagStop returns the index of the first quote or '>' in b, or -1.
func indexTagStop(b []byte) int {
	for i, c := range b {
		if c == '>' || c == '"' || c == '\'' {
			return i
		}
	}
	return -1
}

// setTag records the tag whose content (between < and >) is b.
func (s *xmlScanner) setTag(b []byte) (int, error) {
	s.pos += len(b) + 2
	kind := tokStart
	if len(b) > 0 && b[0] == '/' {
		kind, b = tokEnd, b[1:]
	}
	s.selfClose = false
	if kind == tokStart && len(b) > 0 && b[len(b)-1] == '/' {
		s.selfClose, b = true, b[:len(b)-1]
	}
	n := 0
	for n < len(b) && !isSpace(b[n]) {
		n++
	}
	name := b[:n]
	if n == 0 {
		return tokEOF, errors.New("malformed tag")
	}
	if k := bytes.LastIndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	s.local, s.attrs = name, b[n:]
	return kind, nil
}

// is reports whether the current tag has the given local name.
func (s *xmlScanner) is(name string) bool { return string(s.local) == name }

// attrRaw returns the raw value of the attribute with the given local name
// on the current tag, without decoding and without allocating, for attributes
// that hold no entities (cell references, types, row numbers).
func (s *xmlScanner) attrRaw(name string) ([]byte, bool) {
	b := s.attrs
	for {
		i := 0
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		k := i
		for k < len(b) && b[k] != '=' && !isSpace(b[k]) {
			k++
		}
		key := b[i:k]
		for k < len(b) && (isSpace(b[k]) || b[k] == '=') {
			k++
		}
		if k >= len(b) || (b[k] != '"' && b[k] != '\'') {
			return nil, false
		}
		end := bytes.IndexByte(b[k+1:], b[k])
		if end < 0 {
			return nil, false
		}
		val := b[k+1 : k+1+end]
		b = b[k+end+2:]
		if c := bytes.LastIndexByte(key, ':'); c >= 0 {
			key = key[c+1:]
		}
		if string(key) == name {
			return val, true
		}
	}
}

// isSpace reports XML white space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// decodeText turns raw character data into a string: line ends are
// normalised to \n as XML requires, then entity and character references
// are decoded (unknown entities are kept as written).
func decodeText(raw []byte) string {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return string(raw)
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\r':
			out = append(out, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			continue
		case '&':
			semi := bytes.IndexByte(raw[i:min(len(raw), i+12)], ';')
			if semi > 1 {
				if r, ok := entity(raw[i+1 : i+semi]); ok {
					out = utf8.AppendRune(out, r)
					i += semi
					continue
				}
			}
		}
		out = append(out, c)
	}
	return string(out)
}

// entity decodes the name of an entity or character reference.
func entity(name []byte) (rune, bool) {
	switch string(name) {
	case "amp":
		return '&', true
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if name[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if len(name) > 1 && (name[1] == 'x' || name[1] == 'X') {
		n, err = strconv.ParseUint(string(name[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(name[1:]), 10, 32)
	}
	if err != nil || n > utf8.MaxRune {
		return 0, false
	}
	return rune(n), true
}
