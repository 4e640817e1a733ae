package transform

import (
	"testing"

	"github.com/iom-dtm/dtm/schemas"
)

// TestReportingDateFromYearAndMonth: a national monthly series published as
// Year and Month columns, with no date column, is dated the first of each
// month (English, French and Spanish labels); a row without a month stays
// undated and is rejected as before; a row with a date keeps it and gets
// its year and month from it.
func TestReportingDateFromYearAndMonth(t *testing.T) {
	admin := schemas.DisplacementAdmin()
	for _, cols := range [][]string{{"Year", "Month", "IDP Individuals"}, {"Année", "Mois", "PDI"}, {"Año", "Mes", "Desplazados internos"}} {
		rejects, rows := convertAs(t, admin, "series.csv", cols,
			[][]string{{"2023", "1", "1200"}, {"2023", "12", "1350"}, {"2024", "", "400"}}, Options{Country: "AAA"})
		if got := column(rows, "reporting_date") + " " + column(rows, "idp_individuals"); got != "2023-01-01|2023-12-01 1200|1350" {
			t.Errorf("%v: %s (rejects %+v)", cols, got, rejects)
		}
		if len(rejects) != 1 || rejects[0].Code != schemas.CodeMissingCell || rejects[0].Row != 4 {
			t.Errorf("%v: the row without a month must be rejected as undated: %+v", cols, rejects)
		}
	}
	_, rows := convertAs(t, admin, "api.csv", []string{"Reporting Date", "IDP Individuals"},
		[][]string{{"2021-02-28", "110"}}, Options{Country: "AAA"})
	if got := column(rows, "year_reporting_date") + " " + column(rows, "month_reporting_date"); got != "2021 2" {
		t.Errorf("year and month from the date: %s", got)
	}
}
