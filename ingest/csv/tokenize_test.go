package csv

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
)

// The tokenizer must split exactly as encoding/csv does with this
// package's options: these tests run both on the same bytes and compare
// every record, the lines of its first and last field, the input offset
// after it, and the error, record by record (tokenizer level); and the
// whole reader built on each (header, rows, line numbers, issues, errors).

// hostileInputs are inputs chosen for the corners of the quoting rules.
var hostileInputs = []string{
	"", "\n", "\n\n\n", "\r", "\r\n", "\r\r\n", "a", "a\n", "a\r", "a\r\n", "a\rb\n",
	",", ",,,\n", ",,,", "a,b,c\nd,e,f\n", "a,,b,\n,\n", "a,b,\r\n\r\nc\r\n",
	`"`, `""`, `"""`, `""""`, `"a"`, `"a""b"`, `"a"b`, `"a"b,c`, `a"b,c"d`, `"a,b",c`,
	"\"a\nb\",c\nd", "\"a\r\nb\",c\r\n", "\"a\n\nb\",c\n\n\nd,e\n", "\"a\n", "\"a\n\n",
	"\"a\"\n\"b\n", "a,\"b\nc\nd\"\n", "a,\"b\" ,c\n", "a, \"b\",c\n", "\"a\" \n", "\"a\"\r\n",
	"\"a\"\rb\n", "\"\"\n\"\",\"\"\n", "x,\"\"\"\",y\n", "\"a\"\"\nb\"\"\",c\n", "\"a\"\"\"\n",
	"a;b;\"c;d\";e\n", "a\tb\t\"c\td\"\n", "a|\"b|c\"|d\n", "\xef\xbb\xbfa,b\n", "a,\xff\xfe,\"\xff\"\n",
	"a,b\x00c,\"\x00\"\n", "é,\"è\",ü\n", "a,b\n\"unclosed,c\nd,e\n", "a,\"b\"\"\n", "\"\n\"\n",
	"a,\"\n\n\n", "\"a\"\"\"\"b\"", "a,\"b\"c\"d\",e\n", "\"a\" \"b\",c\n", "\"a\",\"\",\"\"\"\"\n",
	strings.Repeat("x", 300) + ",\"" + strings.Repeat("y\n", 50) + "\"\n" + strings.Repeat("z,", 100) + "\n",
	"\"" + strings.Repeat("long ", 200) + "\"\"" + strings.Repeat("q", 100) + "\",end\r\n",
}

// delims are the delimiters detectDelimiter chooses among.
var delims = []rune{',', ';', '\t', '|'}

// tokenTrace reads every record of data with newRecords and returns them
// as text, one line per record (or error).
func tokenTrace(data []byte, delim rune, bufSize int, std bool) []string {
	recs := newRecords(bufio.NewReaderSize(bytes.NewReader(data), bufSize), delim, std)
	var out []string
	var buf []string
	for i := 0; i < len(data)+2; i++ {
		rec, first, last, off, err := recs.read(buf[:0])
		buf = rec
		if err != nil {
			return append(out, "error: "+err.Error())
		}
		out = append(out, fmt.Sprintf("%q lines %d-%d offset %d", rec, first, last, off))
	}
	return append(out, "no end")
}

// checkTokens compares the tokenizer with encoding/csv on data.
func checkTokens(t *testing.T, data []byte) {
	t.Helper()
	for _, d := range delims {
		for _, size := range []int{16, 64, 4096} {
			want := tokenTrace(data, d, size, true)
			got := tokenTrace(data, d, size, false)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("delimiter %q, buffer %d, input %q:\ntokenizer   %q\nencoding/csv %q", d, size, data, got, want)
			}
		}
	}
}

func TestTokenizerMatchesStdcsvHostile(t *testing.T) {
	for _, in := range hostileInputs {
		checkTokens(t, []byte(in))
	}
}

// randomCSV returns n bytes drawn mostly from the characters that matter
// to the quoting rules.
func randomCSV(rng *rand.Rand, n int) []byte {
	const alphabet = "ab ,,;\t|\"\"\"\n\n\r\x00\xff"
	b := make([]byte, 0, n)
	for len(b) < n {
		switch rng.IntN(20) {
		case 0:
			b = append(b, "é"...)
		case 1:
			b = append(b, `""`...)
		case 2:
			b = append(b, "\r\n"...)
		case 3:
			b = append(b, '"')
			b = append(b, bytes.Repeat([]byte("w"), rng.IntN(40))...)
			b = append(b, '"')
		default:
			b = append(b, alphabet[rng.IntN(len(alphabet))])
		}
	}
	return b
}

func TestTokenizerMatchesStdcsvRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 1))
	n := 1000
	if testing.Short() {
		n = 100
	}
	for range n {
		checkTokens(t, randomCSV(rng, rng.IntN(200)))
	}
}

// FuzzTokenizer compares the tokenizer with encoding/csv on arbitrary
// bytes, with every delimiter and several buffer sizes.
func FuzzTokenizer(f *testing.F) {
	for _, in := range hostileInputs {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkTokens(t, data)
	})
}

// readerTrace reads data with the whole reader (tokenizer or encoding/csv
// under it) and returns its header, rows and errors as text.
func readerTrace(data []byte, opts ingest.Options, std bool) string {
	r, err := newReader("d.csv", bytes.NewReader(data), opts, nil, nil, std)
	if err != nil {
		return "open: " + err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "header %#v\n", r.Header())
	for {
		rows, err := r.Next(3)
		for _, row := range rows {
			fmt.Fprintf(&b, "row %d %q %#v %v\n", row.Line, row.Cells, row.Issues, row.Errors)
		}
		if err == io.EOF {
			fmt.Fprintf(&b, "header %#v\n", r.Header())
			return b.String()
		}
		if err != nil {
			return b.String() + "error: " + err.Error()
		}
	}
}

// smallLimits make the limits reachable by small inputs.
var smallLimits = ingest.Options{Limits: ingest.Limits{MaxColumns: 12, MaxCellBytes: 40, MaxRowBytes: 120, MaxHeaderScan: 4}}

// checkReader compares the whole reader on the tokenizer with the same
// reader on encoding/csv, with the default and with small limits.
func checkReader(t *testing.T, data []byte) {
	t.Helper()
	for _, opts := range []ingest.Options{{}, smallLimits} {
		want := readerTrace(data, opts, true)
		got := readerTrace(data, opts, false)
		if got != want {
			t.Fatalf("input %q, limits %+v:\ntokenizer:\n%s\nencoding/csv:\n%s", data, opts.Limits, got, want)
		}
	}
}

func TestReaderMatchesStdcsv(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.*"))
	if err != nil {
		t.Fatal(err)
	}
	var inputs [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, b)
	}
	for _, in := range hostileInputs {
		inputs = append(inputs, []byte("h1,h2,h3\n"+in), []byte("h1;h2;h3\n"+in), []byte(in))
	}
	inputs = append(inputs, benchData(3000))
	rng := rand.New(rand.NewPCG(15, 2))
	n := 300
	if testing.Short() {
		n = 60
	}
	for range n {
		head := [...]string{"a,b,c\n", "a;b;c\n", "a\tb\tc\n", "a|b|c\n", "\xff\xfeh\x00,\x00", ""}[rng.IntN(6)]
		inputs = append(inputs, append([]byte(head), randomCSV(rng, rng.IntN(400))...))
	}
	for _, in := range inputs {
		checkReader(t, in)
	}
}

// FuzzReaderMatchesStdcsv compares the whole reader on the tokenizer with
// the reader on encoding/csv on arbitrary bytes.
func FuzzReaderMatchesStdcsv(f *testing.F) {
	for _, in := range hostileInputs {
		f.Add([]byte("h1,h2,h3\n" + in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReader(t, data)
	})
}
