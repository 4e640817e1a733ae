package xlsx

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Excel stores a date as a serial number of days (the fraction is the time
// of day) counted from an epoch that depends on the workbook's date system:
//
//   - 1900 system (the default): serial 1 is 1900-01-01 and serial 60 is
//     1900-02-29, a day that never was (Lotus 1-2-3's leap-year bug, kept
//     by Excel), so from serial 61 (1900-03-01) on the epoch is 1899-12-30;
//   - 1904 system (workbookPr date1904="1", older Mac workbooks): serial 0
//     is 1904-01-01.
//
// Source: ECMA-376 Part 1, §18.17.4 "Dates and Times".
var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

const msPerDay = 86_400_000

// serialToISO converts the stored value of a date-formatted numeric cell
// to ISO 8601 text in the workbook's date system: "2024-03-15", or
// "2024-03-15T10:30:00" when the time of day is not midnight. Like Excel,
// the serial is first rounded to the nearest millisecond (so that floating
// point noise such as 45365.9999999998 is the date Excel shows, 2024-03-15)
// and the time of day then to the nearest second.
//
// ok is false, and the caller keeps the stored text, when v is not a
// number, is negative, is a day Excel shows as 1900-01-00 or 1900-02-29
// (serials 0 to below 1, and 60, in the 1900 system), or lies after
// 9999-12-31.
func serialToISO(v string, date1904 bool) (string, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || f < 0 || f >= 3e6 {
		return "", false
	}
	ms := int64(math.Round(f * msPerDay))
	days, rem := ms/msPerDay, ms%msPerDay
	var d time.Time
	switch {
	case date1904:
		d = epoch1904.AddDate(0, 0, int(days))
	case days < 1 || days == 60:
		return "", false
	case days < 60:
		d = epoch1900.AddDate(0, 0, int(days)+1)
	default:
		d = epoch1900.AddDate(0, 0, int(days))
	}
	secs := (rem + 500) / 1000
	if secs == 86400 { // 23:59:59.5 and later shows as the next midnight
		d, secs = d.AddDate(0, 0, 1), 0
	}
	if d.Year() > 9999 {
		return "", false
	}
	if secs == 0 {
		return d.Format(time.DateOnly), true
	}
	return d.Add(time.Duration(secs) * time.Second).Format("2006-01-02T15:04:05"), true
}
