package transform

import (
	"fmt"
	"time"
)

// Field names of the published year and month of a reporting date (DTM
// API yearReportingDate / monthReportingDate; national series published
// as Year and Month columns).
const (
	fieldReportingDate  = "reporting_date"
	fieldReportingYear  = "year_reporting_date"
	fieldReportingMonth = "month_reporting_date"
)

// dateFromYearMonth completes a row's reporting date and its year and
// month from each other. A row with no reporting date but a year (1900 to
// 2100) and a month (1 to 12) is dated the first day of that month, the
// convention of DTM's monthly series, and the file gets one note saying
// so; a row with a reporting date and no year or month gets them from the
// date. A year without a month leaves the date empty (the required-field
// check then says so).
func (c *Converter) dateFromYearMonth() {
	date, year, month := c.get(fieldReportingDate), c.get(fieldReportingYear), c.get(fieldReportingMonth)
	if date == nil || year == nil || month == nil {
		return
	}
	if date.set {
		if !year.set {
			*year = intValue(int64(date.d.Year()))
		}
		if !month.set {
			*month = intValue(int64(date.d.Month()))
		}
		return
	}
	if !year.set || !month.set || year.i < 1900 || year.i > 2100 || month.i < 1 || month.i > 12 {
		return
	}
	date.set, date.d = true, time.Date(int(year.i), time.Month(month.i), 1, 0, 0, 0, 0, time.UTC)
	if !c.ext.datedFromYearMonth {
		c.ext.datedFromYearMonth = true
		c.notes = append(c.notes, fmt.Sprintf("%s built from %s and %s (the first day of the month) where the file gives no date", fieldReportingDate, fieldReportingYear, fieldReportingMonth))
	}
}
