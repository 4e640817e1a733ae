package xlsx

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/iom-dtm/dtm/ingest"
)

// newTestRows streams sheet XML from r with the given shared strings.
func newTestRows(r io.Reader, lim ingest.Limits, strs []string, bufSize int) *fastRows {
	lim = lim.WithDefaults()
	sc := newXMLScanner(r, 1<<20, rawTextLimit(lim))
	if bufSize > 0 {
		sc.buf = make([]byte, bufSize)
	}
	return &fastRows{file: "f.xlsx", sheet: "S", lim: lim, rc: io.NopCloser(r), sc: sc,
		strs: func() ([]string, error) { return strs, nil }}
}

// sheetRows reads up to max rows of sheet XML, gaps filled.
func sheetRows(raw *fastRows, max int) ([]rawRow, error) {
	src := &gapFiller{src: raw}
	var out []rawRow
	for len(out) < max {
		r, ok, err := src.next()
		if err != nil {
			return out, err
		}
		if !ok {
			break
		}
		out = append(out, r)
	}
	return out, nil
}

const ws = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`

func TestFastRows(t *testing.T) {
	shared := []string{"zero", "one"}
	cases := []struct {
		name, xml string
		want      []rawRow
	}{
		{"prefixed namespace and inline string",
			`<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a&gt;b</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
			[]rawRow{{1, []string{"a>b"}, nil}}},
		{"quoted > in attribute, gaps in columns",
			ws + `<row r="1" x:foo='a>"b'><c r="C1" t="s"><v> 1 </v></c><c r="E1"><v>5</v></c></row></sheetData></worksheet>`,
			[]rawRow{{1, []string{"", "", "one", "", "5"}, nil}}},
		{"comments, PI, CDATA",
			ws + `<!-- a <row> in a comment --><?pi x?><row r="1"><c><v><![CDATA[1&2<3]]></v></c></row></sheetData></worksheet>`,
			[]rawRow{{1, []string{"1&2<3"}, nil}}},
		{"no r attributes",
			ws + `<row><c t="s"><v>0</v></c><c><v>2</v></c></row><row><c t="str"><v>x</v></c></row></sheetData></worksheet>`,
			[]rawRow{{1, []string{"zero", "2"}, nil}, {2, []string{"x"}, nil}}},
		{"gap rows and self-closing rows",
			ws + `<row r="2"><c r="A2"><v>1</v></c></row><row r="4"/><row r="6" spans="1:2"><c r="B6"/><c r="C6"><v>3</v></c></row></sheetData></worksheet>`,
			[]rawRow{{1, nil, nil}, {2, []string{"1"}, nil}, {3, nil, nil}, {4, nil, nil}, {5, nil, nil}, {6, []string{"", "", "3"}, nil}}},
		{"rows out of order are renumbered",
			ws + `<row r="5"><c><v>1</v></c></row><row r="2"><c><v>2</v></c></row></sheetData></worksheet>`,
			[]rawRow{{1, nil, nil}, {2, nil, nil}, {3, nil, nil}, {4, nil, nil}, {5, []string{"1"}, nil}, {6, []string{"2"}, nil}}},
		{"entities and line ends",
			ws + `<row r="1"><c t="str"><v>a&#10;b&#x41;&unknown;&amp;` + "c\r\nd\re" + `</v></c></row></sheetData></worksheet>`,
			[]rawRow{{1, []string{"a\nbA&unknown;&c\nd\ne"}, nil}}},
		{"formula keeps its cached value, booleans and errors raw",
			ws + `<row r="1"><c r="A1"><f>SUM(B1:C1)&gt;0</f><v>12</v></c><c r="B1" t="b"><v>1</v></c><c r="C1" t="e"><v>#N/A</v></c><c r="D1"><f>1/0</f></c></row></sheetData></worksheet>`,
			[]rawRow{{1, []string{"12", "1", "#N/A"}, []int{2}}}},
		{"rich inline text without phonetic runs",
			ws + `<row r="1"><c t="inlineStr"><is><r><t>ab</t></r><r><rPr><b/></rPr><t xml:space="preserve"> c_x000D_</t></r><rPh sb="0" eb="1"><t>PH</t></rPh></is></c></row></sheetData></worksheet>`,
			[]rawRow{{1, []string{"ab c\r"}, nil}}},
		{"content after sheetData is ignored",
			ws + `<row r="1"><c><v>1</v></c></row></sheetData><mergeCells><row r="9"/></mergeCells></worksheet>`,
			[]rawRow{{1, []string{"1"}, nil}}},
		{"empty sheet", ws + `</sheetData></worksheet>`, nil},
		{"self-closing sheetData", `<worksheet><sheetData/></worksheet>`, nil},
	}
	for _, c := range cases {
		for _, mode := range []string{"whole", "one byte", "tiny buffer"} {
			var r io.Reader = strings.NewReader(c.xml)
			buf := 0
			switch mode {
			case "one byte":
				r = iotest.OneByteReader(r)
			case "tiny buffer":
				r, buf = iotest.HalfReader(r), 8
			}
			got, err := sheetRows(newTestRows(r, ingest.Limits{}, shared, buf), 100)
			if err != nil {
				t.Errorf("%s (%s): %v", c.name, mode, err)
				continue
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s (%s):\n got %+v\nwant %+v", c.name, mode, got, c.want)
			}
		}
	}
}

func TestFastRowsErrors(t *testing.T) {
	cases := []struct {
		name, xml string
		lim       ingest.Limits
		sentinel  error
		want      string
	}{
		{"truncated inside a row", ws + `<row r="3"><c r="B3"><v>1</v>`, ingest.Limits{}, ErrCorrupt, "row 3"},
		{"truncated inside a tag", ws + `<row r="3"><c r="B3`, ingest.Limits{}, ErrCorrupt, "row 3"},
		{"doctype", `<!DOCTYPE x [<!ENTITY a "b">]>` + ws, ingest.Limits{}, ErrCorrupt, "DOCTYPE"},
		{"row number too large", ws + `<row r="1048577"/>`, ingest.Limits{}, ErrCorrupt, "row 1048577"},
		{"shared string out of range", ws + `<row r="2"><c r="D2" t="s"><v>7</v></c></row>`, ingest.Limits{}, ErrCorrupt, "row 2 column D"},
		{"cell too long", ws + `<row r="2"><c r="B2" t="str"><v>` + strings.Repeat("x", 100) + `</v></c></row>`,
			ingest.Limits{MaxCellBytes: 50}, ingest.ErrLimit, "row 2 column B"},
		{"escaped cell too long", ws + `<row r="2"><c r="B2" t="str"><v>` + strings.Repeat("&amp;", 100) + `</v></c></row>`,
			ingest.Limits{MaxCellBytes: 50}, ingest.ErrLimit, "row 2 column B"},
		{"too many columns", ws + `<row r="2"><c r="Z2"><v>1</v></c></row>`, ingest.Limits{MaxColumns: 10}, ingest.ErrLimit, "row 2 column Z"},
		{"row too long", ws + `<row r="2"><c><v>12345</v></c><c><v>12345</v></c></row>`, ingest.Limits{MaxRowBytes: 8}, ingest.ErrLimit, "row 2"},
	}
	for _, c := range cases {
		_, err := sheetRows(newTestRows(strings.NewReader(c.xml), c.lim, []string{"a"}, 0), 10)
		if err == nil || !errors.Is(err, c.sentinel) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), `sheet "S" of "f.xlsx"`) {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
}

func TestDecodeBstr(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "plain", "a_x000D_b": "a\rb", "_x005F_x000D_": "_x000D_", "_x00e9_": "é",
		"_xD800_": "", "_x12_": "_x12_", "x_x": "x_x",
	} {
		if got := decodeBstr(in); got != want {
			t.Errorf("decodeBstr(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRefColumn(t *testing.T) {
	for in, want := range map[string]int{"A1": 1, "Z9": 26, "AA1": 27, "xfd3": 16384, "XFE1": 0, "ABCD1": 0, "1": 0, "": 0} {
		if got := refColumn([]byte(in)); got != want {
			t.Errorf("refColumn(%q) = %d, want %d", in, got, want)
		}
	}
}

// FuzzSheetXML feeds arbitrary worksheet XML to the fast scanner: no
// panic, bounded rows, increasing row numbers.
func FuzzSheetXML(f *testing.F) {
	f.Add(ws + gappedSheet + `</sheetData></worksheet>`)
	f.Add(ws + `<row r="1"><c t="inlineStr"><is><r><t>a</t></r><rPh><t>b</t></rPh></is></c></row><!-- x --><row><c><v><![CDATA[x]]></v></c></row>`)
	f.Add(`<x:sheetData><x:row r='2' a=">"><x:c r="B2" t="s"><x:v>1</x:v></x:c></x:row></x:sheetData>`)
	f.Add(ws + `<row r="1"><c r="A1"><f>A&lt;B</f><v>&#x41;&#99999999;&amp</v></c></row>`)
	f.Add(ws + `<row r="1"><c r="C1" t="e"><v>#N/A</v></c><c r="A1" t="e"><v>#REF!</v></c><c r="C1" s="1"><v>45365.9999999998</v></c></row>`)
	lim := ingest.Limits{MaxColumns: 50, MaxCellBytes: 100, MaxRowBytes: 1000}.WithDefaults()
	f.Fuzz(func(t *testing.T, xml string) {
		src := newTestRows(strings.NewReader(xml), lim, []string{"a", "b"}, 16)
		prev := 0
		for range 5000 {
			r, ok, err := src.next()
			if err != nil || !ok {
				return
			}
			for k, e := range r.errs {
				if e < 0 || e >= len(r.cells) || r.cells[e] == "" || (k > 0 && e <= r.errs[k-1]) {
					t.Fatalf("row %d: error marks %v out of order or on empty cells %q", r.line, r.errs, r.cells)
				}
			}
			if r.line <= prev || len(r.cells) > lim.MaxColumns {
				t.Fatalf("row %d after %d with %d cells", r.line, prev, len(r.cells))
			}
			for _, c := range r.cells {
				if len(c) > lim.MaxCellBytes {
					t.Fatalf("cell of %d bytes", len(c))
				}
			}
			prev = r.line
		}
	})
}

// TestInlineRichTextOverLimit: an inline string whose runs together exceed
// the cell limit is an error naming the cell, never an empty cell.
func TestInlineRichTextOverLimit(t *testing.T) {
	big := strings.Repeat("x", 4000) // two runs: over the scanner's raw text bound (6 × MaxCellBytes)
	xml := ws + `<row r="1"><c r="A1" t="inlineStr"><is><r><t>` + big + `</t></r><r><t>` + big +
		`</t></r></is></c></row></sheetData></worksheet>`
	src := newTestRows(strings.NewReader(xml), ingest.Limits{MaxCellBytes: 1000}, nil, 0)
	rows, err := sheetRows(src, 10)
	if err == nil {
		t.Fatalf("want a cell-size error, got rows %v", rows)
	}
	if !strings.Contains(err.Error(), "A1") && !strings.Contains(err.Error(), "column") {
		t.Errorf("error does not name the cell: %v", err)
	}
}
