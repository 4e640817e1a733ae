package cast

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/schemas"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParseDate(t *testing.T) {
	cases := []struct{ in, start, end string }{
		// ISO
		{"2021-03-30", "2021-03-30", ""},
		{" 2021-03-30 ", "2021-03-30", ""},
		{"2017-09-30T00:00:00", "2017-09-30", ""},
		{"2017-09-30 00:00:00", "2017-09-30", ""},
		{"2021-11-26T10:42:54.685+02:00", "2021-11-26", ""},
		{"2021-11-26T23:42:54-05:00", "2021-11-26", ""},
		{"2021-11-26T10:42:54Z", "2021-11-26", ""},
		{"2021-11-26T10:42", "2021-11-26", ""},
		{"2021/03/30", "2021-03-30", ""},
		{"2021.03.30", "2021-03-30", ""},
		{"2021-3-5", "2021-03-05", ""},
		{"20210330", "2021-03-30", ""},
		// numeric day-first
		{"30/03/2021", "2021-03-30", ""},
		{"30-03-2021", "2021-03-30", ""},
		{"30.03.2021", "2021-03-30", ""},
		{"05/04/2021", "2021-04-05", ""},
		{"5/4/2021", "2021-04-05", ""},
		{"03/30/2021", "2021-03-30", ""},
		{"12/31/2022", "2022-12-31", ""},
		{"30/03/21", "2021-03-30", ""},
		{"30/03/99", "1999-03-30", ""},
		{"30/03/2021 10:42", "2021-03-30", ""},
		{"30/03/2021 10:42:54", "2021-03-30", ""},
		{"3/30/2021 3:04 PM", "2021-03-30", ""},
		{"29/02/2024", "2024-02-29", ""},
		// month names
		{"April-30-2022", "2022-04-30", ""},
		{"30 April 2022", "2022-04-30", ""},
		{"30-Apr-2022", "2022-04-30", ""},
		{"30-Apr-22", "2022-04-30", ""},
		{"Apr 30, 2022", "2022-04-30", ""},
		{"April 30th, 2022", "2022-04-30", ""},
		{"Saturday, 30 April 2022", "2022-04-30", ""},
		{"30 APRIL 2022", "2022-04-30", ""},
		{"2022 Apr 30", "2022-04-30", ""},
		{"30 mars 2021", "2021-03-30", ""},
		{"1er février 2021", "2021-02-01", ""},
		{"1er fevrier 2021", "2021-02-01", ""},
		{"3 févr. 2021", "2021-02-03", ""},
		{"15 août 2020", "2020-08-15", ""},
		{"15 aout 2020", "2020-08-15", ""},
		{"le 2 décembre 2019", "2019-12-02", ""},
		{"Mardi 2 juillet 2019", "2019-07-02", ""},
		{"12 sept. 2023", "2023-09-12", ""},
		{"12 de marzo de 2023", "2023-03-12", ""},
		{"5 Sep 2023", "2023-09-05", ""},
		// months as periods
		{"janvier 2023", "2023-01-01", "2023-01-31"},
		{"Feb 2024", "2024-02-01", "2024-02-29"},
		{"2021-03", "2021-03-01", "2021-03-31"},
		{"03/2021", "2021-03-01", "2021-03-31"},
		// Excel serials
		{"44592", "2022-01-31", ""},
		{"44592.0", "2022-01-31", ""},
		{"44592.75", "2022-01-31", ""},
		{"45365.9999999998", "2024-03-15", ""}, // floating-point noise: the date Excel shows
		{"45365.99999999", "2024-03-14", ""},   // 23:59:59.999: not yet midnight at the millisecond
		{"1", "1900-01-01", ""},
		{"59", "1900-02-28", ""},
		{"61", "1900-03-01", ""},
		{"36526", "2000-01-01", ""},
		{"73050", "2099-12-31", ""},
		// ranges
		{"16 - 23 Jan 2023", "2023-01-16", "2023-01-23"},
		{"16-23 Jan 2023", "2023-01-16", "2023-01-23"},
		{"16 – 23 January 2023", "2023-01-16", "2023-01-23"},
		{"16 Jan - 23 Feb 2023", "2023-01-16", "2023-02-23"},
		{"2023-01-16 to 2023-01-23", "2023-01-16", "2023-01-23"},
		{"16/01/2023 - 23/01/2023", "2023-01-16", "2023-01-23"},
		{"16/01/2023-23/01/2023", "2023-01-16", "2023-01-23"},
		{"du 16 au 23 janvier 2023", "2023-01-16", "2023-01-23"},
		{"from 16 Jan to 23 Jan 2023", "2023-01-16", "2023-01-23"},
		{"28 Dec - 3 Jan 2023", "2022-12-28", "2023-01-03"},
		{"Jan - Mar 2023", "2023-01-01", "2023-03-31"},
		{"2023-01 - 2023-03", "2023-01-01", "2023-03-31"},
		{"16/01 - 23/01/2023", "2023-01-16", "2023-01-23"},
		{"16 Jan 2023 - 16 Jan 2023", "2023-01-16", "2023-01-16"},
	}
	for _, c := range cases {
		if c.start == "" {
			continue
		}
		start, end, missing, err := ParseDate(c.in)
		wantEnd := c.end
		if wantEnd == "" {
			wantEnd = c.start
		}
		if err != nil || missing || !start.Equal(day(c.start)) || !end.Equal(day(wantEnd)) {
			t.Errorf("ParseDate(%q) = %s, %s, %v, %v; want %s, %s", c.in,
				start.Format(time.DateOnly), end.Format(time.DateOnly), missing, err, c.start, wantEnd)
			continue
		}
		if start.Location() != time.UTC || start.Hour() != 0 || end.Location() != time.UTC {
			t.Errorf("ParseDate(%q) not UTC midnight: %v", c.in, start)
		}
	}
}

func TestParseDateMissing(t *testing.T) {
	for _, s := range []string{"", " ", "NaT", "nat", "n/a", "NULL", "-", "Not available", "nan"} {
		start, end, missing, err := ParseDate(s)
		if !missing || err != nil || !start.IsZero() || !end.IsZero() {
			t.Errorf("ParseDate(%q) = %v, %v, %v, %v; want missing", s, start, end, missing, err)
		}
	}
}

func TestParseDateErrors(t *testing.T) {
	cases := []struct{ in, code, msg string }{
		{"31/02/2021", schemas.CodeTypeError, "day 31 does not exist in February 2021"},
		{"2021-02-29", schemas.CodeTypeError, "does not exist"},
		{"2021-13-01", schemas.CodeTypeError, "month 13"},
		{"32/01/2021", schemas.CodeTypeError, "day 32"},
		{"13/13/2021", schemas.CodeTypeError, ""},
		{"00/01/2021", schemas.CodeTypeError, ""},
		{"30/03/9999", schemas.CodeConstraintError, "year 9999 is out of range 1900-2100"},
		{"9999-12-31", schemas.CodeConstraintError, "year 9999 is out of range 1900-2100"},
		{"0202-03-30", schemas.CodeConstraintError, "year 202 is out of range"},
		{"1899-12-31", schemas.CodeConstraintError, "year 1899"},
		{"2958465", schemas.CodeConstraintError, "year 9999"},
		{"2958466", schemas.CodeTypeError, "Excel serial"},
		{"60", schemas.CodeTypeError, "1900-02-29"},
		{"0", schemas.CodeTypeError, "not a date"},
		{"-5", schemas.CodeTypeError, ""},
		{"12345678901", schemas.CodeTypeError, "not a date"},
		{"23 - 16 Jan 2023", schemas.CodeConstraintError, "before it starts"},
		{"2023-01-23 to 2023-01-16", schemas.CodeConstraintError, "before it starts"},
		{"16/01/2023 - 23/01/9999", schemas.CodeConstraintError, "year 9999"},
		{"hello", schemas.CodeTypeError, `"hello" is not a date`},
		{"30 Foo 2022", schemas.CodeTypeError, "not a date"},
		{"30 April", schemas.CodeTypeError, "not a complete date"},
		{"2023-01-16/2023-01-23", schemas.CodeTypeError, "not a date"},
		{"30/03/2021/5", schemas.CodeTypeError, "not a date"},
		{"30/03-2021", schemas.CodeTypeError, "not a date"},
		{"1.5e3", schemas.CodeTypeError, "not a date"},
		{"Mar 2023 Apr", schemas.CodeTypeError, "not a date"},
	}
	for _, c := range cases {
		start, end, missing, err := ParseDate(c.in)
		if err == nil || missing || !start.IsZero() || !end.IsZero() {
			t.Errorf("ParseDate(%q) = %v, %v, %v, %v; want error", c.in, start, end, missing, err)
			continue
		}
		var coded interface{ Code() string }
		if !errors.As(err, &coded) || coded.Code() != c.code {
			t.Errorf("ParseDate(%q) error %v: want code %s", c.in, err, c.code)
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParseDate(%q) error %q, want it to contain %q", c.in, err, c.msg)
		}
	}
}

func TestParseDateFastPathNoAlloc(t *testing.T) {
	for _, s := range []string{"2021-03-30", "2017-09-30T00:00:00", "2021-11-26T10:42:54.685+02:00", "30/03/2021", "44592"} {
		if n := testing.AllocsPerRun(100, func() { _, _, _, _ = ParseDate(s) }); n != 0 {
			t.Errorf("ParseDate(%q) allocates %v times", s, n)
		}
	}
}

func TestExcelSerialAgreesWithExcel(t *testing.T) {
	// Spot values from Excel's 1900 date system.
	for serial, want := range map[int]string{1: "1900-01-01", 31: "1900-01-31", 59: "1900-02-28",
		61: "1900-03-01", 25569: "1970-01-01", 43831: "2020-01-01", 44592: "2022-01-31", 73415: "2100-12-31"} {
		if got := excelSerial(serial).Format(time.DateOnly); got != want {
			t.Errorf("serial %d = %s, want %s", serial, got, want)
		}
	}
}

func TestCastCivilMatchesTimeDate(t *testing.T) {
	for d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= 2100; d = d.AddDate(0, 0, 1) {
		got := civil(d.Year(), int(d.Month()), d.Day())
		if !got.Equal(d) || got.Location() != time.UTC {
			t.Fatalf("civil(%s) = %v", d.Format(time.DateOnly), got)
		}
	}
	if got := excelSerial(excelLastSerial).Format(time.DateOnly); got != "2100-12-31" {
		t.Fatalf("excelLastSerial is %s", got)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2021-03-30", "2017-09-30T00:00:00", "2021-11-26T10:42:54.685+02:00",
		"30/03/2021", "03/30/2021", "30-03-2021", "30.03.2021", "April-30-2022", "30 April 2022",
		"30-Apr-2022", "Apr 30, 2022", "30 mars 2021", "janvier 2023", "1er févr. 2021", "44592",
		"44592.5", "60", "16 - 23 Jan 2023", "16 Jan - 23 Feb 2023", "2023-01-16 to 2023-01-23",
		"16/01/2023 - 23/01/2023", "28 Dec - 3 Jan 2023", "31/02/2021", "9999-12-31", "NaT", "",
		"du 16 au 23 janvier 2023", "20210330", "-", "1-2-3-4-5-6-7-8-9-10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, end, missing, err := ParseDate(s)
		if missing || err != nil {
			if !start.IsZero() || !end.IsZero() {
				t.Fatalf("ParseDate(%q): missing=%v err=%v with dates %v %v", s, missing, err, start, end)
			}
			if missing && err != nil {
				t.Fatalf("ParseDate(%q): both missing and error %v", s, err)
			}
			return
		}
		// A date written back in ISO form reads as itself.
		for _, d := range []time.Time{start, end} {
			iso := d.Format(time.DateOnly)
			if a, b, _, err := ParseDate(iso); err != nil || !a.Equal(d) || !b.Equal(d) {
				t.Fatalf("ParseDate(%q) gave %s, which reads back as %v %v %v", s, iso, a, b, err)
			}
		}
		if end.Before(start) {
			t.Fatalf("ParseDate(%q): end %v before start %v", s, end, start)
		}
		for _, d := range []time.Time{start, end} {
			if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
				t.Fatalf("ParseDate(%q): %v is not UTC midnight", s, d)
			}
			if d.Year() < MinYear || d.Year() > MaxYear {
				t.Fatalf("ParseDate(%q): year %d out of range", s, d.Year())
			}
		}
	})
}

func BenchmarkParseDate(b *testing.B) {
	inputs := []string{"2021-03-30", "2017-09-30T00:00:00", "30/03/2021", "44592"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _, _, _ = ParseDate(inputs[i%len(inputs)])
	}
}

func BenchmarkParseDateSlowForms(b *testing.B) {
	inputs := []string{"30 April 2022", "16 - 23 Jan 2023", "30 mars 2021"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _, _, _ = ParseDate(inputs[i%len(inputs)])
	}
}
