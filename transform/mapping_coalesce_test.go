package transform

import (
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/schemas"
)

// TestDuplicateColumnsCoalesce: a figure in two columns, each filled on
// different rows ("IDP Individuals" on some rows, "Total IDPs" on others):
// every row gets its value; where both are filled and agree (1,250 and
// 1250) nothing is said; where they differ the first column's value is
// kept with a duplicate-header warning naming both columns and values; a
// duplicate's cell that cannot fill (negative) is a warning on its own
// column and the field stays empty.
func TestDuplicateColumnsCoalesce(t *testing.T) {
	cols := []string{"Country Code", "Admin 1 Pcode", "Site Name", "IDP Individuals", "Total IDPs"}
	rows := [][]string{
		{"SDN", "SD01", "A", "100", ""},
		{"SDN", "SD01", "B", "", "250"},
		{"SDN", "SD01", "C", "1,250", "1250"},
		{"SDN", "SD01", "D", "n/a", "40"},
		{"SDN", "SD01", "E", "60", "65"},
		{"SDN", "SD01", "F", "", "−5"},
		{"SDN", "SD01", "G", "#N/A", "70"},
	}
	rejects, out := convertAs(t, schemas.SiteAssessment(), "two_teams.csv", cols, rows, Options{})
	if len(out) != len(rows) {
		t.Fatalf("%d rows written, want %d (%+v)", len(out), len(rows), rejects)
	}
	if got := column(out, "idp_individuals"); got != "100|250|1250|40|60|-|-" { // G: "#N/A" is an error cell, not empty
		t.Errorf("idp_individuals %s", got)
	}
	var conflict, negative, errorCell, notUsed bool
	for _, rj := range rejects {
		switch {
		case rj.Row == 6 && rj.Code == schemas.CodeDuplicateHeader:
			conflict = rj.Column == "Total IDPs" && strings.Contains(rj.Message, `"65"`) && strings.Contains(rj.Message, `"60"`) &&
				strings.Contains(rj.Message, "IDP Individuals") && rj.Severity == schemas.SeverityWarning
		case rj.Row == 7 && rj.Code == schemas.CodeDuplicateHeader:
			negative = rj.Column == "Total IDPs" && strings.Contains(rj.Message, "negative")
		case rj.Row == 8 && rj.Code == schemas.CodeErrorCell:
			errorCell = rj.Column == "IDP Individuals"
		case rj.Row == 8 && rj.Code == schemas.CodeDuplicateHeader:
			notUsed = rj.Column == "Total IDPs" && rj.Value == "70" && strings.Contains(rj.Message, "not used")
		case rj.Row > 0 && (rj.Code == schemas.CodeDuplicateHeader || rj.Code == schemas.CodeTypeError):
			t.Errorf("unexpected reject %+v", rj)
		}
	}
	if !conflict || !negative || !errorCell || !notUsed {
		t.Errorf("conflict %v, negative %v, error cell %v, not used %v: %+v", conflict, negative, errorCell, notUsed, rejects)
	}
}

// TestDuplicateNameColumnsInTwoLanguages: two admin 1 name columns, in
// French and English, filled on different rows fill each other; when they
// differ on most rows where both are filled (translations), the second
// only fills empty cells and no row gets a warning; a count column that
// differs on most rows is another figure and stays unread.
func TestDuplicateNameColumnsInTwoLanguages(t *testing.T) {
	cols := []string{"Country Code", "Admin 1 Pcode", "Admin 1 Name", "Admin 1 Name", "Site Name", "IDP Individuals", "IDP Individuals"}
	rows := [][]string{
		{"TCD", "TD01", "Lac", "Lake", "A", "100", "300"},
		{"TCD", "TD02", "Ouaddaï", "Ouaddai East", "B", "200", "500"},
		{"TCD", "TD03", "", "Salamat", "C", "", "40"},
		{"TCD", "TD04", "Logone Oriental", "", "D", "50", "90"},
		{"TCD", "TD05", "Mandoul", "MANDOUL", "E", "70", "70"},
	}
	rejects, out := convertAs(t, schemas.SiteAssessment(), "noms.csv", cols, rows, Options{})
	if len(out) != len(rows) {
		t.Fatalf("%d rows written, want %d", len(out), len(rows))
	}
	if got := column(out, "admin1_name"); got != "Lac|Ouaddaï|Salamat|Logone Oriental|Mandoul" {
		t.Errorf("admin1_name %s", got)
	}
	if got := column(out, "idp_individuals"); got != "100|200|-|50|70" {
		t.Errorf("idp_individuals %s (the second column is another figure: unread)", got)
	}
	for _, rj := range rejects {
		if rj.Row > 0 && rj.Code == schemas.CodeDuplicateHeader {
			t.Errorf("warning on a row of parallel columns: %+v", rj)
		}
	}
}

// TestDuplicateColumnsHXLAndAlias: an HXL-tagged Spanish column and an
// English one of the same field, a date in two columns.
func TestDuplicateColumnsOtherKinds(t *testing.T) {
	cols := []string{"País", "Admin 1 Pcode", "Site Name", "Fecha de evaluación", "Assessment Date", "Hogares desplazados", "IDP Households"}
	rows := [][]string{
		{"COL", "CO05", "A", "15/03/2023", "", "12", ""},
		{"COL", "CO05", "B", "", "2023-03-16", "", "8"},
		{"COL", "CO08", "C", "17/03/2023", "2023-03-17", "3", "3 HH"},
	}
	rejects, out := convertAs(t, schemas.SiteAssessment(), "sitios.csv", cols, rows, Options{})
	if len(out) != 3 {
		t.Fatalf("%d rows (%+v)", len(out), rejects)
	}
	if got := column(out, "assessment_date"); got != "2023-03-15|2023-03-16|2023-03-17" {
		t.Errorf("assessment_date %s", got)
	}
	if got := column(out, "idp_households"); got != "12|8|3" {
		t.Errorf("idp_households %s", got)
	}
	for _, rj := range rejects {
		if rj.Row > 0 && rj.Code == schemas.CodeDuplicateHeader {
			t.Errorf("unexpected %+v", rj)
		}
	}
}
