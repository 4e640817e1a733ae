package csv

import (
	"reflect"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
)

// TestRaggedRowsAreData: a row with a cell too many is kept; a text cell
// split at an unquoted delimiter ("Conflit; Inondation") is joined back,
// with an extra-cell issue naming it; a short row is padded.
func TestRaggedRowsAreData(t *testing.T) {
	data := "Site;Raison;IDPs\nA;Conflit;5\nB;Conflit; Inondation;7\nC\n"
	r, err := NewReader("r.csv", strings.NewReader(data), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readAll(t, r, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("rows %+v", rows)
	}
	if len(rows[0].Issues) != 0 || len(rows[2].Issues) != 0 || !reflect.DeepEqual(rows[2].Cells, []string{"C", "", ""}) {
		t.Errorf("rows 2 and 4: %+v %+v", rows[0], rows[2])
	}
	is := rows[1].Issues
	if len(is) != 1 || is[0].Code != ingest.IssueExtraCell || is[0].Column != 1 || is[0].Value != "Conflit; Inondation" ||
		!strings.Contains(is[0].Message, "cell 2 holds an unquoted \";\"") {
		t.Errorf("row 3 issues %+v", is)
	}
	if !reflect.DeepEqual(rows[1].Cells, []string{"B", "Conflit; Inondation", "7"}) {
		t.Errorf("row 3 cells %q", rows[1].Cells)
	}
	two := ingest.ExtraCellIssues([]string{"D", "x", "y", "8", "", "9"}, 3)
	if len(two) != 1 || two[0].Column != 3 || two[0].Value != "8 | 9" || !strings.Contains(two[0].Message, "cell(s) 4, 6 ") {
		t.Errorf("two extra cells: %+v", two)
	}
}

// TestBlankTailCostsNothing: blank records at the end of a file (",,,"
// lines, as Excel exports them) are not rows; blank records followed by
// data are.
func TestBlankTailCostsNothing(t *testing.T) {
	for _, batch := range []int{1, 2, 100} {
		data := "a,b\n1,2\n,\n ,\n3,4\n" + strings.Repeat(",\n", 40) + "\r\n"
		r, err := NewReader("t.csv", strings.NewReader(data), ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := readAll(t, r, batch)
		if err != nil {
			t.Fatal(err)
		}
		var lines []int
		for _, row := range rows {
			lines = append(lines, row.Line)
		}
		if !reflect.DeepEqual(lines, []int{2, 3, 4, 5}) {
			t.Errorf("batch %d: lines %v; want the inner blank rows 3 and 4 kept, the tail dropped", batch, lines)
		}
	}
	r, err := NewReader("t.csv", strings.NewReader("a,b\n,\n,\n"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rows, err := readAll(t, r, 10); err != nil || len(rows) != 0 {
		t.Errorf("only blank rows under the header: %+v %v", rows, err)
	}
}

// TestSplitCellsJoinedBack: variants of the fr_semicolon field case. The
// split cell may sit anywhere in the row (a reason column in the middle
// shifts every count after it), a row may hold several, and a cell may be
// split twice; rows whose extra cells are not continuations of a text cell
// (numbers, or as many candidates as cannot be told apart) keep their cells
// under the header with the cells beyond it reported.
func TestSplitCellsJoinedBack(t *testing.T) {
	cases := []struct {
		name, data string
		want       []string
		issueCols  []int
	}{
		{"middle", "Fecha;Motivo;Hogares;Personas\n02/04/2024;Conflicto; Inundación;250;1 250\n",
			[]string{"02/04/2024", "Conflicto; Inundación", "250", "1 250"}, []int{1}},
		{"two cells", "Raison;Besoin;Site;Ménages;IDPs\nConflit; Inondation;Eau; Abri;12;3;7\n",
			[]string{"Conflit; Inondation", "Eau; Abri", "12", "3", "7"}, []int{0, 1}},
		{"three parts", "Site,Reasons,IDPs,HH\n12,Conflict, Flood, Drought,9,2\n",
			[]string{"12", "Conflict, Flood, Drought", "9", "2"}, []int{1}},
		{"tab", "Site\tReasons\tIDPs\nA\tConflict\t Flood\t9\n",
			[]string{"A", "Conflict\t Flood", "9"}, []int{1}},
		{"numbers, not text", "Site;IDPs;Ret\nA;1; 250;3\n",
			[]string{"A", "1", " 250", "3"}, nil},
		{"too many candidates", "Site;Reason;Need;IDPs;HH\n12;Conflit; Inondation;Eau; Abri;7\n",
			[]string{"12", "Conflit", " Inondation", "Eau", " Abri", "7"}, nil},
	}
	for _, c := range cases {
		r, err := NewReader("r.csv", strings.NewReader(c.data), ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := readAll(t, r, 10)
		if err != nil || len(rows) == 0 {
			t.Fatalf("%s: rows %+v err %v", c.name, rows, err)
		}
		rows = rows[len(rows)-1:] // the row under test is the last
		if !reflect.DeepEqual(rows[0].Cells, c.want) {
			t.Errorf("%s: cells %q, want %q", c.name, rows[0].Cells, c.want)
		}
		var cols []int
		for _, is := range rows[0].Issues {
			if is.Code != ingest.IssueExtraCell {
				t.Errorf("%s: issue %+v", c.name, is)
			}
			if strings.Contains(is.Message, "joined back") {
				cols = append(cols, is.Column)
			}
		}
		if !reflect.DeepEqual(cols, c.issueCols) || len(rows[0].Issues) == 0 {
			t.Errorf("%s: joined issues on columns %v, want %v (issues %+v)", c.name, cols, c.issueCols, rows[0].Issues)
		}
	}
}
