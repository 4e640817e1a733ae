package xlsx

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/ingest"
)

// tailHeader is a header and two data rows shared by the tail cases.
const tailHeader = `<row r="1"><c r="A1" t="inlineStr"><is><t>Site</t></is></c><c r="B1" t="inlineStr"><is><t>IDPs</t></is></c></row>` +
	`<row r="2"><c r="A2" t="inlineStr"><is><t>Camp A</t></is></c><c r="B2"><v>10</v></c></row>` +
	`<row r="4"><c r="A4" t="inlineStr"><is><t>Camp B</t></is></c><c r="B4"><v>20</v></c></row>`

// TestEmptyTail: formatted-but-empty cells, blank-text cells and empty rows
// after the last row with a value are not rows; a blank row between two
// rows with values still is one.
func TestEmptyTail(t *testing.T) {
	cases := map[string]string{
		"styled cell at row 1048576":   `<row r="1048576"><c r="A1048576" s="1"/></row>`,
		"empty row elements":           `<row r="5"/><row r="6" spans="1:2"></row><row r="1048576" ht="20" customHeight="1"/>`,
		"blank text and empty values":  `<row r="5"><c r="A5" t="inlineStr"><is><t>  </t></is></c><c r="B5"><v></v></c></row><row r="900000"><c r="C900000" t="str"><v> </v></c></row>`,
		"styled cells every row (10k)": styledRows(5, 10_000),
	}
	for name, tail := range cases {
		path := filepath.Join(t.TempDir(), "tail.xlsx")
		if err := os.WriteFile(path, rawBookStyled(t, "", dateStyles, tailHeader+tail), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, engine := range []bool{false, true} {
			_, rows, err := readWith(path, ingest.Options{}, engine)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			want := []ingest.Row{{Line: 2, Cells: []string{"Camp A", "10"}}, {Line: 3, Cells: []string{"", ""}}, {Line: 4, Cells: []string{"Camp B", "20"}}}
			if !reflect.DeepEqual(rows, want) {
				t.Errorf("%s (excelize %v): rows %+v", name, engine, rows)
			}
		}
	}
}

// styledRows writes n rows from row first on, each with one styled empty
// cell, as Excel does for a column formatted to the bottom.
func styledRows(first, n int) string {
	var b strings.Builder
	for i := first; i < first+n; i++ {
		r := strconv.Itoa(i)
		b.WriteString(`<row r="` + r + `"><c r="A` + r + `" s="1"/><c r="B` + r + `" s="4"/></row>`)
	}
	return b.String()
}

// TestLyingDimension: a <dimension> that claims a million rows changes
// nothing, and a sheet whose last row is 1,048,576 is read in well under a
// second (the whole trailing gap is one skipped row element).
func TestLyingDimension(t *testing.T) {
	ws := `<dimension ref="A1:H1048576"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>` +
		`<sheetData>` + tailHeader + `<row r="1048576"><c r="H1048576" s="1"/></row></sheetData>`
	path := filepath.Join(t.TempDir(), "dim.xlsx")
	if err := os.WriteFile(path, rawBookXML(t, "", dateStyles, ws), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, rows := openAll(t, path, ingest.Options{})
	if el := time.Since(start); el > 2*time.Second { // about a millisecond; generous for a loaded machine
		t.Errorf("reading took %v", el)
	}
	if len(rows) != 3 || rows[2].Line != 4 {
		t.Errorf("rows %+v", rows)
	}
}
