package transform

import (
	"fmt"
	"testing"

	"github.com/iom-dtm/dtm/schemas"
)

// TestMonthColumnTwoDigitYears: variants of the national_monthly_series
// field case whose month column writes a two-digit year: French without a
// dot ("janv-23"), with a dot before the hyphen ("juil.-23"), Spanish and
// Portuguese ("ene-23", "fev/23"), English ("Jan-23") and Excel's display
// of a typed "Jan-23" ("23-Jan"), and "Jan 23" (January 2023 in a column
// of months).
func TestMonthColumnTwoDigitYears(t *testing.T) {
	admin := schemas.DisplacementAdmin()
	cases := []struct {
		header string
		cells  []string
		want   string
	}{
		{"Mois", []string{"janv-23", "févr-23", "mars-23", "juil.-23"}, "2023-01-01|2023-02-01|2023-03-01|2023-07-01"},
		{"Mes", []string{"ene-23", "fev/23", "dic-2023", "mar-24"}, "2023-01-01|2023-02-01|2023-12-01|2024-03-01"},
		{"Month", []string{"Jan-23", "23-Feb", "Mar 23", "Apr '23"}, "2023-01-01|2023-02-01|2023-03-01|2023-04-01"},
		{"Période", []string{"déc-22", "janv. 23", "2023-02", "mars 2023"}, "2022-12-01|2023-01-01|2023-02-01|2023-03-01"},
	}
	for _, c := range cases {
		var rows [][]string
		for i, v := range c.cells {
			rows = append(rows, []string{v, fmt.Sprint(100 + i)})
		}
		rejects, out := convertAs(t, admin, "serie.csv", []string{c.header, "IDPs"}, rows, Options{Country: "AAA"})
		if len(out) != len(rows) {
			t.Errorf("%s: %d rows written, want %d (rejects %+v)", c.header, len(out), len(rows), rejects)
			continue
		}
		if got := column(out, "reporting_date"); got != c.want {
			t.Errorf("%s: reporting_date %s, want %s", c.header, got, c.want)
		}
	}
	// Outside a month column "23-Feb" has no year: the cell is refused.
	rejects, _ := convertAs(t, admin, "serie.csv", []string{"Reporting Date", "IDPs"}, [][]string{{"23-Feb", "5"}}, Options{Country: "AAA"})
	if len(rejects) == 0 {
		t.Errorf("23-Feb as a reporting date: no reject")
	}
}

// TestMonthNamesBesideAYearColumn: a national series with a Year column and
// a month column of month names without a year ("janvier", "Feb", "marzo"):
// the names feed month_reporting_date and the rows are dated the first of
// each month (they were "not a complete date" and every row was rejected).
func TestMonthNamesBesideAYearColumn(t *testing.T) {
	for _, c := range []struct {
		cols  []string
		cells [][]string
	}{
		{[]string{"Année", "Mois", "PDI"}, [][]string{{"2023", "janvier", "10"}, {"2023", "Févr.", "11"}, {"2023", "mars", "12"}}},
		{[]string{"Year", "Month", "IDPs"}, [][]string{{"2023", "January", "10"}, {"2023", "Feb", "11"}, {"2023", "3", "12"}}},
		{[]string{"Año", "Mes", "Desplazados internos"}, [][]string{{"2023", "enero", "10"}, {"2023", "febrero", "11"}, {"2023", "marzo", "12"}}},
		{[]string{"Ano", "Mês", "Deslocados internos"}, [][]string{{"2023", "janeiro", "10"}, {"2023", "fev.", "11"}, {"2023", "Março", "12"}}},
	} {
		rejects, out := convertAs(t, schemas.DisplacementAdmin(), "serie.csv", c.cols, c.cells, Options{Country: "AAA"})
		if len(out) != 3 {
			t.Errorf("%v: %d rows written (rejects %+v)", c.cols, len(out), rejects)
			continue
		}
		if got := column(out, "reporting_date") + " " + column(out, "month_reporting_date"); got != "2023-01-01|2023-02-01|2023-03-01 1|2|3" {
			t.Errorf("%v: %s", c.cols, got)
		}
	}
}
