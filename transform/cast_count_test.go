package transform

import (
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/schemas"
)

// TestNegativeCountForms: a count written negative in any real-world form
// (Unicode minus, en dash, accounting parentheses, a spaced sign, in
// Arabic-Indic digits) empties the cell with a constraint-error warning
// saying "negative", as "-2" does, and keeps the row; other number forms
// (Persian digits, narrow no-break space thousands, a unit word that
// agrees with the column) are read.
func TestNegativeCountForms(t *testing.T) {
	cols := []string{"Country Code", "Admin 1 Pcode", "Site Name", "IDP Individuals", "IDP Households"}
	rows := [][]string{
		{"SDN", "SD01", "A", "−2", "(3)"},
		{"SDN", "SD01", "B", "–15", "- 4"},
		{"SDN", "SD01", "C", "(1,250)", "−٣"},
		{"SDN", "SD01", "D", "۱٬۲۳۴", "12 HH"},
		{"SDN", "SD01", "E", "1\u202f500", "20 ménages"},
		{"SDN", "SD01", "F", "12 HH", "１２"},
	}
	rejects, out := convertAs(t, schemas.SiteAssessment(), "neg.csv", cols, rows, Options{})
	if len(out) != len(rows) {
		t.Fatalf("%d rows written, want %d (rejects %+v)", len(out), len(rows), rejects)
	}
	if got := column(out, "idp_individuals"); got != "-|-|-|1234|1500|-" {
		t.Errorf("idp_individuals %s", got)
	}
	if got := column(out, "idp_households"); got != "-|-|-|12|20|12" {
		t.Errorf("idp_households %s", got)
	}
	negatives := 0
	for _, rj := range rejects {
		switch {
		case rj.Code == schemas.CodeConstraintError && strings.Contains(rj.Message, "negative"):
			negatives++
			if rj.Severity != schemas.SeverityWarning {
				t.Errorf("negative cell %q is %s, want a warning", rj.Value, rj.Severity)
			}
		case rj.Row == 7 && rj.Column == "IDP Individuals":
			if rj.Code != schemas.CodeTypeError || !strings.Contains(rj.Message, "households") {
				t.Errorf("12 HH among individuals: %s %q", rj.Code, rj.Message)
			}
		case rj.Code == schemas.CodeTypeError:
			t.Errorf("row %d %q: %s (a number form not read)", rj.Row, rj.Value, rj.Message)
		}
	}
	if negatives != 6 {
		t.Errorf("%d negative-count warnings, want 6: %+v", negatives, rejects)
	}
}
