package dtmapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

const (
	// maxDepth bounds the nesting of a value inside a record (API records are
	// flat; anything deeper is hostile or broken).
	maxDepth = 32
	// maxMessages and maxMessageBytes bound what is kept of errorMessages.
	maxMessages     = 20
	maxMessageBytes = 1024
)

// envelope holds the fields of a response envelope
// {"result": [...], "statusCode": 200, "isSuccess": true, "errorMessages": [], "totalRecordsCount": N}.
type envelope struct {
	present    bool  // the body is an object envelope (false: a bare array)
	isSuccess  *bool // nil if absent
	statusCode int
	messages   []string
	total      int64
	hasTotal   bool
	hasResult  bool // a "result" key was seen (array or null)
}

func (e *envelope) failed() bool { return e.isSuccess != nil && !*e.isSuccess }

// record is one API record: its keys in order and their rendered values.
type record struct {
	index int // 1-based position in the result array
	keys  []string
	vals  []string
}

// stream walks a response body token by token: it finds the records (the
// envelope's result array or a bare top-level array) and yields them one at
// a time, never holding more than one record in memory.
type stream struct {
	name  string
	dec   *json.Decoder
	guard *guardReader
	lim   ingest.Limits
	env   envelope
	done  bool
	count int   // records yielded
	err   error // sticky error (io.EOF at the end)
}

// newStream starts reading body and positions the stream before the first
// record. lim must have its defaults filled.
func newStream(name string, body io.Reader, lim ingest.Limits) (*stream, error) {
	g := newGuardReader(body, lim.MaxFileBytes, int64(lim.MaxRowBytes))
	dec := json.NewDecoder(g)
	dec.UseNumber()
	s := &stream{name: name, dec: dec, guard: g, lim: lim}
	if err := s.start(); err != nil {
		return nil, err
	}
	return s, nil
}

// token reads the next token; the end of input inside a value is
// io.ErrUnexpectedEOF, not io.EOF.
func (s *stream) token() (json.Token, error) {
	t, err := s.dec.Token()
	if err == io.EOF {
		return nil, io.ErrUnexpectedEOF
	}
	return t, err
}

// fail wraps err with the source name and where, adding ErrMalformed to
// syntax errors.
func (s *stream) fail(where string, err error) error {
	var syn *json.SyntaxError
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &syn) {
		return fmt.Errorf("%s: %s: %w: %w", s.name, where, ErrMalformed, err)
	}
	return fmt.Errorf("%s: %s: %w", s.name, where, err)
}

func (s *stream) malformed(where, format string, args ...any) error {
	return fmt.Errorf("%s: %s: %w: %s", s.name, where, ErrMalformed, fmt.Sprintf(format, args...))
}

func (s *stream) start() error {
	t, err := s.dec.Token()
	if err == io.EOF {
		return s.malformed("start of body", "the body is empty")
	}
	if err != nil {
		return s.fail("start of body", err)
	}
	switch t {
	case json.Delim('['):
		return nil
	case json.Delim('{'):
		s.env.present = true
		inArray, err := s.envelopeKeys(true)
		if err != nil {
			return err
		}
		if !inArray {
			// No records: the envelope is complete.
			s.done = true
			s.err = s.finish()
		}
		return nil
	default:
		return s.malformed("start of body", "want a JSON object or array, got %s", describe(t))
	}
}

// envelopeKeys reads envelope keys until the result array starts (when
// stopAtResult and the envelope has not already reported failure; it returns
// true, positioned at the first record) or the envelope's closing brace (it
// returns false, with the brace consumed).
func (s *stream) envelopeKeys(stopAtResult bool) (bool, error) {
	const where = "response envelope"
	for s.dec.More() {
		kt, err := s.token()
		if err != nil {
			return false, s.fail(where, err)
		}
		key, _ := kt.(string)
		vt, err := s.token()
		if err != nil {
			return false, s.fail(where, err)
		}
		switch strings.ToLower(key) {
		case "result":
			if s.env.hasResult {
				return false, s.malformed(where, "two result keys")
			}
			s.env.hasResult = true
			switch vt {
			case nil:
			case json.Delim('['):
				if stopAtResult && !s.env.failed() {
					return true, nil
				}
				if err := s.walk(vt, 0, nil); err != nil {
					return false, s.fail(where, err)
				}
			default:
				return false, s.malformed(where, "result is %s, want an array", describe(vt))
			}
		case "issuccess":
			v, err := s.scalar(vt)
			if err != nil {
				return false, s.fail(where, err)
			}
			if b, perr := strconv.ParseBool(v); perr == nil {
				s.env.isSuccess = &b
			}
		case "statuscode":
			v, err := s.scalar(vt)
			if err != nil {
				return false, s.fail(where, err)
			}
			s.env.statusCode, _ = strconv.Atoi(v)
		case "totalrecordscount":
			v, err := s.scalar(vt)
			if err != nil {
				return false, s.fail(where, err)
			}
			if n, perr := strconv.ParseInt(v, 10, 64); perr == nil {
				s.env.total, s.env.hasTotal = n, true
			}
		case "errormessages", "message": // "message": Azure API Management errors (401, 429)
			if err := s.messages(vt); err != nil {
				return false, s.fail(where, err)
			}
		default:
			if err := s.walk(vt, 0, nil); err != nil {
				return false, s.fail(where, err)
			}
		}
	}
	if _, err := s.token(); err != nil { // the closing '}'
		return false, s.fail(where, err)
	}
	return false, nil
}

// messages reads errorMessages: an array of strings (or values), a single
// string, or null.
func (s *stream) messages(t json.Token) error {
	add := func(m string) {
		if m == "" || len(s.env.messages) >= maxMessages {
			return
		}
		if len(m) > maxMessageBytes {
			m = m[:maxMessageBytes] + "…"
		}
		s.env.messages = append(s.env.messages, m)
	}
	if t != json.Delim('[') {
		v, err := s.scalar(t)
		add(v)
		return err
	}
	for s.dec.More() {
		et, err := s.token()
		if err != nil {
			return err
		}
		v, err := s.scalar(et)
		if err != nil {
			return err
		}
		add(v)
	}
	_, err := s.token() // ']'
	return err
}

// scalar renders the value starting with t as a cell.
func (s *stream) scalar(t json.Token) (string, error) {
	var b strings.Builder
	if err := s.cell(t, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// next returns the next record, or io.EOF after the last one (having checked
// the rest of the envelope: isSuccess:false gives an *APIError).
func (s *stream) next() (*record, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.done {
		return nil, io.EOF
	}
	if !s.dec.More() {
		s.done = true
		if _, err := s.token(); err != nil { // the closing ']'
			s.err = s.fail("end of records", err)
			return nil, s.err
		}
		if s.env.present {
			if _, err := s.envelopeKeys(false); err != nil {
				s.err = err
				return nil, err
			}
		}
		s.err = s.finish()
		return nil, s.err
	}
	rec, err := s.record()
	if err != nil {
		s.err = err
		return nil, err
	}
	return rec, nil
}

// finish checks that nothing follows the response and what the envelope
// said; it returns io.EOF when all is well.
func (s *stream) finish() error {
	if t, err := s.dec.Token(); err != io.EOF {
		if err != nil {
			return s.fail("after the response", err)
		}
		return s.malformed("after the response", "unexpected %s after the end of the response", describe(t))
	}
	if s.env.failed() {
		return &APIError{Source: s.name, StatusCode: s.env.statusCode, Messages: s.env.messages}
	}
	if s.env.present && !s.env.hasResult {
		return s.malformed("response envelope", "no result key")
	}
	return io.EOF
}

// record reads one record object.
func (s *stream) record() (*record, error) {
	idx := s.count + 1
	where := fmt.Sprintf("record %d", idx)
	start := s.dec.InputOffset()
	s.guard.mark = start
	defer func() { s.guard.mark = -1 }()
	t, err := s.token()
	if err != nil {
		return nil, s.fail(where, err)
	}
	if t != json.Delim('{') {
		return nil, s.malformed(where, "record is %s, want an object", describe(t))
	}
	rec := &record{index: idx}
	for s.dec.More() {
		kt, err := s.token()
		if err != nil {
			return nil, s.fail(where, err)
		}
		key, _ := kt.(string)
		if len(rec.keys) >= s.lim.MaxColumns {
			return nil, fmt.Errorf("%s: %s: more than %d keys (Limits.MaxColumns): %w", s.name, where, s.lim.MaxColumns, ingest.ErrLimit)
		}
		vt, err := s.token()
		if err != nil {
			return nil, s.fail(where, err)
		}
		var b strings.Builder
		if err := s.cell(vt, &b); err != nil {
			return nil, s.fail(fmt.Sprintf("%s, key %q", where, key), err)
		}
		rec.keys = append(rec.keys, key)
		rec.vals = append(rec.vals, b.String())
	}
	if _, err := s.token(); err != nil { // '}'
		return nil, s.fail(where, err)
	}
	if n := s.dec.InputOffset() - start; n > int64(s.lim.MaxRowBytes) {
		return nil, fmt.Errorf("%s: %s: %d bytes, more than %d (Limits.MaxRowBytes): %w", s.name, where, n, s.lim.MaxRowBytes, ingest.ErrLimit)
	}
	s.count = idx
	return rec, nil
}

// cell renders a value as a cell: strings as they are, numbers as plain
// decimals (integers without exponent), booleans as true/false, null as "",
// arrays and objects as compact JSON.
func (s *stream) cell(t json.Token, b *strings.Builder) error {
	switch v := t.(type) {
	case string:
		if len(v) > s.lim.MaxCellBytes {
			return fmt.Errorf("value of %d bytes, more than %d (Limits.MaxCellBytes): %w", len(v), s.lim.MaxCellBytes, ingest.ErrLimit)
		}
		b.WriteString(v)
		return nil
	case nil:
		return nil
	default:
		if err := s.walk(t, 0, b); err != nil {
			return err
		}
		if b.Len() > s.lim.MaxCellBytes {
			return fmt.Errorf("value of %d bytes, more than %d (Limits.MaxCellBytes): %w", b.Len(), s.lim.MaxCellBytes, ingest.ErrLimit)
		}
		return nil
	}
}

// walk consumes the value starting with token t, writing it as compact JSON
// to b (numbers in plain notation) unless b is nil. It fails with ErrLimit
// when the value nests deeper than maxDepth or renders larger than
// Limits.MaxCellBytes.
func (s *stream) walk(t json.Token, depth int, b *strings.Builder) error {
	if b != nil && b.Len() > s.lim.MaxCellBytes {
		return fmt.Errorf("value larger than %d bytes (Limits.MaxCellBytes): %w", s.lim.MaxCellBytes, ingest.ErrLimit)
	}
	switch v := t.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return fmt.Errorf("value nested deeper than %d levels: %w", maxDepth, ingest.ErrLimit)
		}
		open, isObj := byte('['), v == json.Delim('{')
		if isObj {
			open = '{'
		} else if v != json.Delim('[') {
			return fmt.Errorf("%w: unexpected %q", ErrMalformed, v.String())
		}
		write(b, string(open))
		for i := 0; s.dec.More(); i++ {
			if i > 0 {
				write(b, ",")
			}
			if isObj {
				kt, err := s.token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				write(b, quote(k))
				write(b, ":")
			}
			et, err := s.token()
			if err != nil {
				return err
			}
			if err := s.walk(et, depth+1, b); err != nil {
				return err
			}
		}
		if _, err := s.token(); err != nil {
			return err
		}
		if isObj {
			write(b, "}")
		} else {
			write(b, "]")
		}
	case string:
		if len(v) > s.lim.MaxCellBytes {
			return fmt.Errorf("value of %d bytes, more than %d (Limits.MaxCellBytes): %w", len(v), s.lim.MaxCellBytes, ingest.ErrLimit)
		}
		if depth == 0 {
			write(b, v)
		} else {
			write(b, quote(v))
		}
	case json.Number:
		write(b, plainNumber(string(v)))
	case bool:
		write(b, strconv.FormatBool(v))
	case nil:
		if depth > 0 {
			write(b, "null")
		}
	default:
		write(b, fmt.Sprint(v))
	}
	return nil
}

func write(b *strings.Builder, s string) {
	if b != nil {
		b.WriteString(s)
	}
}

// quote encodes s as a JSON string without HTML escaping.
func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// plainNumber renders a JSON number literal without exponent: integers
// (also 1.0, 1e3) as plain integers, other values in the shortest plain
// decimal form. A literal out of float64 range is kept as published.
func plainNumber(lit string) string {
	if !strings.ContainsAny(lit, ".eE") {
		return lit
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return lit
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// describe names a token for error messages.
func describe(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		switch v {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return fmt.Sprintf("%q", v.String())
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", t)
}
