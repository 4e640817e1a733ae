package cast

import (
	"strings"
	"testing"
)

// TestMonthYearForms: a month name with a two-digit year, as Excel's
// "mmm-yy" format and French, Spanish and Portuguese files write a month,
// is the month (its first and last day) wherever a date is read.
func TestMonthYearForms(t *testing.T) {
	cases := []struct{ in, start, end string }{
		{"janv-23", "2023-01-01", "2023-01-31"},
		{"févr-23", "2023-02-01", "2023-02-28"},
		{"mars-23", "2023-03-01", "2023-03-31"},
		{"juil.-23", "2023-07-01", "2023-07-31"},
		{"avr.-24", "2024-04-01", "2024-04-30"},
		{"déc-22", "2022-12-01", "2022-12-31"},
		{"Jan-23", "2023-01-01", "2023-01-31"},
		{"Feb-24", "2024-02-01", "2024-02-29"},
		{"SEP-23", "2023-09-01", "2023-09-30"},
		{"Jan '23", "2023-01-01", "2023-01-31"},
		{"JAN23", "2023-01-01", "2023-01-31"},
		{"janv23", "2023-01-01", "2023-01-31"},
		{"Jan’23", "2023-01-01", "2023-01-31"},
		{"ene-23", "2023-01-01", "2023-01-31"},
		{"fev/23", "2023-02-01", "2023-02-28"},
		{"dic-2023", "2023-12-01", "2023-12-31"},
		{"set/23", "2023-09-01", "2023-09-30"},
		{"out-23", "2023-10-01", "2023-10-31"},
		{"dez.-23", "2023-12-01", "2023-12-31"},
		{"mars 23", "2023-03-01", "2023-03-31"},
		{"janv. 23", "2023-01-01", "2023-01-31"},
		{"agosto 23", "2023-08-01", "2023-08-31"},
		{"Jan-99", "1999-01-01", "1999-01-31"},
		{"janv.-23 - mars-23", "2023-01-01", "2023-03-31"},
		{"juil. 2023", "2023-07-01", "2023-07-31"},
		{"2023 janv.", "2023-01-01", "2023-01-31"},
	}
	for _, c := range cases {
		start, end, missing, err := ParseDate(c.in)
		if err != nil || missing || start.Format("2006-01-02") != c.start || end.Format("2006-01-02") != c.end {
			t.Errorf("ParseDate(%q) = %s..%s, %v, %v; want %s..%s", c.in, start.Format("2006-01-02"), end.Format("2006-01-02"), missing, err, c.start, c.end)
		}
		ms, me, _, merr := ParseMonthPeriod(c.in)
		if merr != nil || !ms.Equal(start) || !me.Equal(end) {
			t.Errorf("ParseMonthPeriod(%q) = %s..%s, %v; ParseDate gives %s..%s", c.in, ms, me, merr, start, end)
		}
	}
	// An English month followed by a number and a space is the day, as
	// before: alone it is no complete date, in a range it is the start.
	for _, s := range []string{"Jan 23", "March 5", "23-Jan", "23 janv.", "janv-2", "janv-123"} {
		if _, _, _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) is a date; want an incomplete date", s)
		}
	}
	if start, end, _, err := ParseDate("Jan 23 - Feb 5, 2023"); err != nil || start.Format("2006-01-02") != "2023-01-23" || end.Format("2006-01-02") != "2023-02-05" {
		t.Errorf("Jan 23 - Feb 5, 2023: %s..%s %v", start, end, err)
	}
}

// TestParseMonthPeriod: in a column of months, a month name and a
// two-digit number in either order is the month and its year ("23-Jan" is
// Excel's display of a cell typed "Jan-23"); dates and four-digit forms
// read as ParseDate reads them; a month alone is no date.
func TestParseMonthPeriod(t *testing.T) {
	cases := []struct{ in, start, end string }{
		{"23-Jan", "2023-01-01", "2023-01-31"},
		{"24-Feb", "2024-02-01", "2024-02-29"},
		{"Jan 23", "2023-01-01", "2023-01-31"},
		{"23 janv.", "2023-01-01", "2023-01-31"},
		{"22-déc", "2022-12-01", "2022-12-31"},
		{"Mar-23", "2023-03-01", "2023-03-31"},
		{"2023-04", "2023-04-01", "2023-04-30"},
		{"04/2023", "2023-04-01", "2023-04-30"},
		{"15/04/2023", "2023-04-15", "2023-04-15"},
		{"avril 2023", "2023-04-01", "2023-04-30"},
	}
	for _, c := range cases {
		start, end, missing, err := ParseMonthPeriod(c.in)
		if err != nil || missing || start.Format("2006-01-02") != c.start || end.Format("2006-01-02") != c.end {
			t.Errorf("ParseMonthPeriod(%q) = %s..%s, %v, %v; want %s..%s", c.in, start.Format("2006-01-02"), end.Format("2006-01-02"), missing, err, c.start, c.end)
		}
	}
	for _, s := range []string{"janvier", "Jan", "Jan-3", "3-Jan-5", "abc", "Jan Feb", "23-24"} {
		if _, _, _, err := ParseMonthPeriod(s); err == nil {
			t.Errorf("ParseMonthPeriod(%q) is a date", s)
		}
	}
	if _, _, missing, err := ParseMonthPeriod("n/a"); !missing || err != nil {
		t.Errorf("ParseMonthPeriod(n/a) not missing: %v", err)
	}
}

// TestDateDigitsOfOtherScripts: dates written in Arabic-Indic, Persian or
// full-width digits read as the same dates in ASCII digits; the error
// quotes the cell as written.
func TestDateDigitsOfOtherScripts(t *testing.T) {
	for in, want := range map[string]string{
		"١٥/٠٣/٢٠٢٣": "2023-03-15", "۱۵/۰۳/۲۰۲۳": "2023-03-15", "٢٠٢٣-٠٣-١٥": "2023-03-15",
		"１５/０３/２０２３": "2023-03-15", "١٥ mars ٢٠٢٣": "2023-03-15", "janv-٢٣": "2023-01-01",
	} {
		d, _, _, err := ParseDate(in)
		if err != nil || d.Format("2006-01-02") != want {
			t.Errorf("ParseDate(%q) = %s, %v; want %s", in, d.Format("2006-01-02"), err, want)
		}
	}
	if _, _, _, err := ParseDate("٣١/٠٢/abc"); err == nil || !strings.Contains(err.Error(), "٣١/٠٢/abc") {
		t.Errorf("error %v does not quote the cell as written", err)
	}
}

func TestMonthNumber(t *testing.T) {
	for in, want := range map[string]int{"janvier": 1, "Janv.": 1, "FÉVRIER": 2, "February": 2, "ene": 1, "Set.": 9,
		"août": 8, "Dezembro": 12, " mayo ": 5, "": 0, "12": 0, "jan 2023": 0, "monday": 0, "x": 0} {
		if got := MonthNumber(in); got != want {
			t.Errorf("MonthNumber(%q) = %d, want %d", in, got, want)
		}
	}
}
