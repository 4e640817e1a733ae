package csv

import (
	"reflect"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
)

// TestRaggedRowsAreData: a row with a cell too many (an unquoted delimiter
// inside a text cell) is kept with an extra-cell issue naming the cell; a
// short row is padded.
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
	if len(is) != 1 || is[0].Code != ingest.IssueExtraCell || is[0].Column != 3 || is[0].Value != "7" ||
		!strings.Contains(is[0].Message, "cell(s) 4 beyond the 3 header columns") {
		t.Errorf("row 3 issues %+v", is)
	}
	if !reflect.DeepEqual(rows[1].Cells, []string{"B", "Conflit", " Inondation", "7"}) {
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
