package transform

import (
	"testing"

	"github.com/iom-dtm/dtm/schemas"
)

// TestDateOrderPerColumn: one value of a column proves its order for every
// other value; a column without proof is read by the file's language and
// its values that could be either are ambiguous-date warnings.
func TestDateOrderPerColumn(t *testing.T) {
	cols := []string{"Country Code", "Reporting Date", "IDP Individuals"}
	monthFirst := lines(
		[]string{"AAA", "04/03/2024", "1"},
		[]string{"AAA", "03/13/2024", "1"}, // proves month-first
		[]string{"AAA", "12/01/2024", "1"},
	)
	rejects, out, c := convertRows(t, cols, monthFirst, Options{})
	if len(rejects) != 0 {
		t.Errorf("a proved column warns nothing: %+v", rejects)
	}
	if got := out[0]["reporting_date"] + " " + out[2]["reporting_date"]; got != "2024-04-03 2024-12-01" {
		t.Errorf("month-first column read as %s", got)
	}
	if len(c.Notes()) != 1 {
		t.Errorf("the month-first decision is noted: %v", c.Notes())
	}

	dayFirst := lines(
		[]string{"AAA", "04/03/2024", "1"},
		[]string{"AAA", "25/03/2024", "1"}, // proves day-first
	)
	rejects, out, _ = convertRows(t, cols, dayFirst, Options{})
	if len(rejects) != 0 || out[0]["reporting_date"] != "2024-03-04" {
		t.Errorf("day-first column: %v %+v", out, rejects)
	}

	noProof := lines(
		[]string{"AAA", "04/03/2024", "1"},
		[]string{"AAA", "05/05/2024", "1"}, // the same either way
		[]string{"AAA", "2024-03-06", "1"}, // ISO: never in doubt
		[]string{"AAA", "06/03/2024", "1"},
	)
	rejects, out, _ = convertRows(t, cols, noProof, Options{})
	if got := rowsOfCode(rejects, schemas.CodeAmbiguousDate); len(got) != 2 || got[0] != 2 || got[1] != 5 {
		t.Errorf("ambiguous-date on rows %v, want [2 5]", got)
	}
	if len(out) != 4 || out[0]["reporting_date"] != "2024-03-04" {
		t.Errorf("no proof: read day-first, rows kept: %v", out)
	}
	for _, rj := range rejects {
		if rj.Severity != schemas.SeverityWarning || rj.Column != "Reporting Date" || rj.Value == "" {
			t.Errorf("%+v", rj)
		}
	}

	mixed := lines(
		[]string{"AAA", "13/03/2024", "1"},
		[]string{"AAA", "03/14/2024", "1"},
		[]string{"AAA", "04/03/2024", "1"},
	)
	rejects, out, _ = convertRows(t, cols, mixed, Options{})
	if got := rowsOfCode(rejects, schemas.CodeAmbiguousDate); len(got) != 1 || got[0] != 4 {
		t.Errorf("mixed column: ambiguous-date on rows %v, want [4]", got)
	}
	if out[1]["reporting_date"] != "2024-03-14" {
		t.Errorf("mixed column: %v", out)
	}
}
