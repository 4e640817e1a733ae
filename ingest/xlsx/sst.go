package xlsx

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// loadSharedStrings reads the shared strings part whole: every string of
// the workbook, in index order. Each string is bounded by maxText and the
// part by the archive's declared sizes (checked against
// MaxDecompressedBytes on opening).
func loadSharedStrings(pm *partMap, maxText int) ([]string, error) {
	if pm.sst == "" || pm.files[normPart(pm.sst)] == nil {
		return nil, nil
	}
	rc, err := pm.open(pm.sst)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	sc := newXMLScanner(rc, 1<<20, maxText)
	var (
		out  []string
		text []byte
	)
	for {
		kind, err := sc.next(nil)
		if err != nil {
			return nil, sstErr(len(out), err)
		}
		switch {
		case kind == tokEOF:
			return out, nil
		case kind == tokStart && sc.is("sst") && out == nil:
			if n, ok := sc.attrRaw("uniqueCount"); ok {
				c, _ := strconv.Atoi(string(n))
				out = make([]string, 0, min(max(c, 0), 1<<16))
			}
		case kind == tokStart && sc.is("si"):
			if sc.selfClose {
				out = append(out, "")
				continue
			}
			s, err := readRichText(sc, "si", &text)
			if err != nil {
				return nil, sstErr(len(out), err)
			}
			out = append(out, s)
		}
	}
}

// sstErr names the shared string being read.
func sstErr(index int, err error) error {
	if err == errTextLimit {
		return limitErr("shared string %d is too long", index)
	}
	return fmt.Errorf("%w: shared strings, item %d: %v", ErrCorrupt, index, err)
}

// readRichText reads the content of a string item (<si> or <is>) up to the
// end tag named end: the text of its <t> elements, direct or in rich-text
// runs, skipping phonetic runs (<rPh>), with _xHHHH_ escapes decoded, as
// excelize does. text is a reusable buffer.
func readRichText(sc *xmlScanner, end string, text *[]byte) (string, error) {
	var sb strings.Builder
	phonetic := 0
	kind, err := sc.next(nil)
	for {
		if err != nil {
			return "", err
		}
		switch {
		case kind == tokEOF:
			return "", errUnexpectedEnd
		case kind == tokEnd && sc.is(end):
			return decodeBstr(sb.String()), nil
		case sc.is("rPh"):
			if kind == tokStart && !sc.selfClose {
				phonetic++
			} else if kind == tokEnd {
				phonetic--
			}
		case kind == tokStart && sc.is("t") && !sc.selfClose && phonetic <= 0:
			*text = (*text)[:0]
			kind, err = sc.next(text)
			if err == nil && sb.Len()+len(*text) > sc.maxText {
				err = errTextLimit
			}
			sb.WriteString(decodeText(*text))
			continue // kind is the tag after the text, normally </t>
		}
		kind, err = sc.next(nil)
	}
}

// decodeBstr decodes the _xHHHH_ escapes OOXML uses for characters XML
// cannot hold ("_x000D_" is a carriage return, "_x005F_" a literal '_').
func decodeBstr(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' && isHex4(s[i+2:i+6]) {
			n, _ := strconv.ParseUint(s[i+2:i+6], 16, 32)
			if r := rune(n); n == 0x5F {
				b.WriteByte('_')
			} else if utf8.ValidRune(r) {
				b.WriteRune(r)
			}
			i += 7
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// isHex4 reports whether s is four hexadecimal digits.
func isHex4(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return len(s) == 4
}
