package cast

import (
	"strings"
	"time"
)

// englishMonths are the month names and abbreviations English writes,
// folded. Only after one of these may a number be the day ("Jan 23" is 23
// January); French, Spanish and Portuguese write the day first, so a number
// after their month names is the year ("mars 23", "janv. 23"). Read-only.
var englishMonths = map[string]bool{
	"january": true, "jan": true, "february": true, "feb": true, "march": true, "mar": true,
	"april": true, "apr": true, "may": true, "june": true, "jun": true, "july": true, "jul": true,
	"august": true, "aug": true, "september": true, "sep": true, "sept": true, "october": true,
	"oct": true, "november": true, "nov": true, "december": true, "dec": true,
}

func englishMonth(w string) bool {
	return englishMonths[w] || englishMonths[Fold(w)]
}

// monthYear reports whether a month name followed by a two-digit number,
// and nothing else, writes a month and its year (Excel's "mmm-yy" format):
//   - joined by '-', '/', '.', an apostrophe or nothing: "janv-23",
//     "Jan-23", "fev/23", "juil.-23", "Jan '23", "JAN23" (the year: a day
//     would be written "23 Jan" or "Jan 23, 2023");
//   - joined by a space after a French, Spanish or Portuguese month name,
//     which never precedes its day: "mars 23", "janv. 23".
//
// "Jan 23" (English, a space) stays 23 January: a range's start ("Jan 23 -
// Feb 5, 2023") or, alone, an incomplete date.
func monthYear(toks []dateToken, seps []byte, monthAt int) bool {
	if len(toks) != 2 || monthAt != 0 || toks[1].digits != 2 {
		return false
	}
	switch seps[1] {
	case '-', '/', '.', '\'', 0: // 0: no separator ("JAN23", "janv23")
		return true
	case ' ':
		return !toks[0].english
	}
	return false
}

// ParseMonthPeriod casts a cell of a column that holds months (a column
// named "Mois", "Month", "Mes", "Période": DTM's monthly series): it
// returns the month's first and last day. It reads everything ParseDate
// reads (a date gives that day, a period its first and last day), and a
// month name with a two-digit year in either order and with any
// separator: "Jan 23" is January 2023 here, not 23 January, and "23-Jan"
// is what Excel shows of a cell typed "Jan-23" (it stored 23 January of
// the year of typing and formats it "d-mmm"): the month of January 2023.
// A month with a four-digit year ("dic-2023", "2023 janv.") is read by
// ParseDate already.
//
// Errors are ParseDate's; a month name alone ("janvier") is not a
// complete date.
func ParseMonthPeriod(s string) (start, end time.Time, missing bool, err error) {
	start, end, missing, err = ParseDate(s)
	if err == nil || missing {
		return start, end, missing, err
	}
	var dt dateTokens
	if !tokenizeDate(strings.ToLower(Trim(s)), &dt) || dt.n != 2 {
		return start, end, missing, err
	}
	month, yy := dt.toks[0], dt.toks[1]
	if month.month == 0 {
		month, yy = yy, month
	}
	if month.month == 0 || yy.month != 0 || yy.digits != 2 {
		return start, end, missing, err
	}
	y := 2000 + yy.n
	if yy.n >= 50 {
		y = 1900 + yy.n
	}
	start, end, perr := period(dateParts{y: y, m: month.month, hasY: true, hasM: true})
	if perr != nil {
		return time.Time{}, time.Time{}, false, perr
	}
	return start, end, false, nil
}

// MonthNumber reads a cell that names a month alone ("janvier", "Janv.",
// "February", "ene", "Set."), in English, French, Spanish or Portuguese,
// any case, with or without accents and a final dot: 1-12, or 0 when the
// cell is not a month name.
func MonthNumber(s string) int {
	w := strings.ToLower(Trim(s))
	w = strings.TrimSuffix(w, ".")
	if w == "" {
		return 0
	}
	return monthNumber(w)
}
