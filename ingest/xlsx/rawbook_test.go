package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
)

// rawBook builds a minimal one-sheet workbook ("Data") around hand-written
// sheetData XML and shared strings, for cases a writer library will not
// produce (formula strings, gaps in row numbers, namespace prefixes).
func rawBook(t testing.TB, sheetData string, shared ...string) []byte {
	t.Helper()
	return rawBookStyled(t, "", "", sheetData, shared...)
}

// rawBookStyled is rawBook with a workbookPr element (e.g.
// `<workbookPr date1904="1"/>`, "" for none) and the cellXfs of a styles
// part (its numFmts and cellXfs elements; "" for no styles part).
func rawBookStyled(t testing.TB, workbookPr, styles, sheetData string, shared ...string) []byte {
	t.Helper()
	return rawBookXML(t, workbookPr, styles, `<sheetData>`+sheetData+`</sheetData>`, shared...)
}

// rawBookXML is rawBookStyled given everything inside <worksheet>.
func rawBookXML(t testing.TB, workbookPr, styles, worksheet string, shared ...string) []byte {
	t.Helper()
	var sst bytes.Buffer
	sst.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for _, s := range shared {
		sst.WriteString(s)
	}
	sst.WriteString(`</sst>`)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` + workbookPr + `<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + worksheet + `</worksheet>`},
		{"xl/sharedStrings.xml", sst.String()},
	}
	if styles != "" {
		parts = append(parts, struct{ name, body string }{"xl/styles.xml",
			`<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + styles + `</styleSheet>`})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// handMadeBooks are fuzz seeds and test inputs built by rawBook; the last
// one refers to a shared string that does not exist.
func handMadeBooks(t testing.TB) [][]byte {
	return [][]byte{
		rawBook(t, gappedSheet, gappedShared...),
		rawBook(t, `<row><c t="inlineStr"><is><t>Site</t></is></c><c t="inlineStr"><is><t>N</t></is></c></row><row><c t="inlineStr"><is><t>A</t></is></c><c><v>1</v></c></row>`),
		rawBook(t, `<row r="1"><c r="A1" t="s"><v>99</v></c></row>`, `<si><t>x</t></si>`),
	}
}

// gappedSheet has a header in row 2, rows missing from the XML, a formula
// with a cached string, a rich-text shared string and escaped text.
const gappedSheet = `<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c></row>` +
	`<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3" t="str"><f>UPPER(A3)</f><v>CAMP &amp; CO</v></c><c r="C3"><v>0.30000000000000004</v></c></row>` +
	`<row r="6" spans="1:3"><c r="A6" t="s"><v>4</v></c><c r="C6" s="1"/><c r="D6" t="b"><v>1</v></c></row>`

var gappedShared = []string{
	`<si><t>Site</t></si>`, `<si><t>Name</t></si>`, `<si><r><t>IDP</t></r><r><rPr><b/></rPr><t xml:space="preserve"> total</t></r></si>`,
	`<si><t>Camp &lt;1&gt;</t></si>`, `<si><t xml:space="preserve">line1
line2 </t></si>`,
}

func TestHandMadeWorkbook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "raw.xlsx")
	if err := os.WriteFile(path, rawBook(t, gappedSheet, gappedShared...), 0o600); err != nil {
		t.Fatal(err)
	}
	h, rows := openAll(t, path, ingest.Options{})
	if h.HeaderLine != 2 || !reflect.DeepEqual(h.Columns, []string{"Site", "Name", "IDP total"}) {
		t.Fatalf("header line %d columns %q", h.HeaderLine, h.Columns)
	}
	want := []ingest.Row{
		{Line: 3, Cells: []string{"Camp <1>", "CAMP & CO", "0.30000000000000004"}},
		{Line: 4, Cells: []string{"", "", ""}},
		{Line: 5, Cells: []string{"", "", ""}},
		{Line: 6, Cells: []string{"line1\nline2 ", "", "", "1"}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows\n got %+v\nwant %+v", rows, want)
	}
}

func TestBadSharedStringIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.xlsx")
	if err := os.WriteFile(path, handMadeBooks(t)[2], 0o600); err != nil {
		t.Fatal(err)
	}
	err := openAndDrain(path, ingest.Options{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "row 1 column A") {
		t.Fatalf("err = %v", err)
	}
}
