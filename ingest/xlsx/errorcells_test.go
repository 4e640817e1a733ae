package xlsx

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
)

// errorSheet has error cells (t="e") of several kinds, a formula whose
// cached result is an error, the text "#N/A" typed by hand (not an error),
// and numbers stored as text ("1,250").
const errorSheet = `<row r="1"><c r="A1" t="inlineStr"><is><t>Site</t></is></c><c r="B1" t="inlineStr"><is><t>HH</t></is></c><c r="C1" t="inlineStr"><is><t>IDPs</t></is></c><c r="D1" t="inlineStr"><is><t>Note</t></is></c></row>` +
	`<row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c><c r="B2" t="e"><v>#DIV/0!</v></c><c r="C2" t="e"><f>VLOOKUP(A2,X!A:B,2,0)</f><v>#N/A</v></c><c r="D2" t="s"><v>0</v></c></row>` +
	`<row r="3"><c r="A3" t="inlineStr"><is><t>B</t></is></c><c r="B3"><v>4</v></c><c r="C3" t="inlineStr"><is><t>1,250</t></is></c><c r="E3" t="e"><v>#REF!</v></c></row>` +
	`<row r="4"><c r="A4" t="inlineStr"><is><t>C</t></is></c><c r="B4" t="s"><v>1</v></c><c r="C4" t="str"><f>TEXT(410,"0")</f><v>410</v></c></row>`

func TestErrorCells(t *testing.T) {
	path := filepath.Join(t.TempDir(), "errors.xlsx")
	if err := os.WriteFile(path, rawBook(t, errorSheet, `<si><t>#N/A</t></si>`, `<si><t>1 250</t></si>`), 0o600); err != nil {
		t.Fatal(err)
	}
	want := []ingest.Row{
		{Line: 2, Cells: []string{"A", "#DIV/0!", "#N/A", "#N/A"}, Errors: []int{1, 2}},
		{Line: 3, Cells: []string{"B", "4", "1,250", "", "#REF!"}, Errors: []int{4}},
		{Line: 4, Cells: []string{"C", "1 250", "410", ""}},
	}
	for _, engine := range []bool{false, true} {
		_, rows, err := readWith(path, ingest.Options{}, engine)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rows, want) {
			t.Errorf("excelize %v:\n got %+v\nwant %+v", engine, rows, want)
		}
	}
}

// TestErrorMarksFollowColumns: a column listed twice keeps the mark of
// its last value; columns out of order still give increasing indexes.
func TestErrorMarksFollowColumns(t *testing.T) {
	src := newTestRows(stringsReader(ws+`<row r="1"><c r="C1" t="e"><v>#N/A</v></c><c r="A1" t="e"><v>#REF!</v></c><c r="C1"><v>3</v></c><c r="B1" t="e"><v>#NAME?</v></c></row></sheetData></worksheet>`), ingest.Limits{}, nil, 0)
	rows, err := sheetRows(src, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []rawRow{{1, []string{"#REF!", "#NAME?", "3"}, []int{0, 1}}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %+v, want %+v", rows, want)
	}
}
