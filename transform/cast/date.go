package cast

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Years outside this range are errors of code constraint-error: DTM data
// has none, and Excel or typing slips produce them (9999, 0202, 2202).
const (
	MinYear = 1900
	MaxYear = 2100
)

// Excel 1900 date system: serial 1 is 1900-01-01, 60 is the 1900-02-29
// that never was (Lotus's leap-year bug), 2958465 is 9999-12-31.
const (
	excelMinSerial = 1
	excelMaxSerial = 2958465
	excelBugSerial = 60
	// excelLastSerial is 2100-12-31, the last day of MaxYear.
	excelLastSerial = 73415
)

// ParseDate casts a cell to a date or a period. It returns UTC midnight
// dates; end equals start for a single date, and a period (a range written
// as text, or a month "April 2022") gives its first and last day.
//
// Accepted forms:
//   - ISO 8601: "2021-03-30", "2017-09-30T00:00:00",
//     "2021-11-26T10:42:54.685+02:00" (the calendar date as written; the
//     time and zone are dropped, not converted), "2021-03";
//   - numeric day-first: "30/03/2021", "30-03-2021", "30.03.2021",
//     "30/03/21" (two-digit years: 00-49 are 20xx, 50-99 are 19xx); when the
//     second number cannot be a month and the first can ("03/30/2021"), it
//     is read month-first; "2021/03/30" is year-first;
//   - month names in English, French, Spanish or Portuguese, full or
//     abbreviated, with or without accents and dots: "April-30-2022",
//     "30 April 2022", "30-Apr-2022", "30-Apr-22", "Apr 30, 2022",
//     "30 mars 2021", "1er févr. 2021", "Monday, 30 April 2022",
//     "janvier 2023" (the month); a month with a two-digit year joined by
//     '-', '/', '.' or an apostrophe ("janv-23", "juil.-23", "Jan-23",
//     "fev/23", "Jan '23"), or by a space after a French, Spanish or
//     Portuguese month name ("mars 23"), is the month (date_month.go;
//     "Jan 23" stays 23 January, incomplete alone);
//   - Excel serials, integer or fractional ("44592", "44592.5"), in
//     [1, 2958465] of the 1900 date system (serial 60 does not exist);
//   - any of these in Arabic-Indic, Persian or full-width digits
//     ("١٥/٠٣/٢٠٢٣": Gregorian dates only; a Solar Hijri year is out of range);
//   - ranges: "16 - 23 Jan 2023", "16 Jan - 23 Feb 2023", "28 Dec - 3 Jan
//     2023" (the start falls in the previous year), "2023-01-16 to
//     2023-01-23", "16/01/2023 - 23/01/2023", "du 16 au 23 janvier 2023".
//
// Errors (*codedError): text that is not a date and impossible dates
// ("31/02/2021") have code type-error; a year outside 1900-2100 ("year 9999
// is out of range 1900-2100") and a range that ends before it starts have
// code constraint-error. Missing-value tokens give missing=true and zero
// times.
//
// ISO dates, day-first numeric dates and integer serials take an
// allocation-free fast path.
func ParseDate(s string) (start, end time.Time, missing bool, err error) {
	return ParseDateOrder(s, DateOrderAuto)
}

// ParseDateOrder is ParseDate with the order of numeric day and month
// ("04/03/2024") decided for the column: DateOrderDMY reads it 4 March,
// DateOrderMDY 3 April, DateOrderAuto day-first. In every order, a value
// that only one reading makes a date ("13/03/2024", "03/13/2024") is read
// that way (cast_date_order.go reports the contradiction).
func ParseDateOrder(s string, ord DateOrder) (start, end time.Time, missing bool, err error) {
	s = Trim(s)
	if d, ok := fastDate(s, ord); ok {
		return d, d, false, nil
	}
	if IsMissing(s) {
		return time.Time{}, time.Time{}, true, nil
	}
	start, end, err = parseDateSlow(s, ord)
	if err != nil {
		return time.Time{}, time.Time{}, false, err
	}
	return start, end, false, nil
}

// fastDate handles the common valid forms without allocating; anything
// else, and every error, goes to the slow path.
func fastDate(s string, ord DateOrder) (time.Time, bool) {
	switch {
	case len(s) >= 10 && s[4] == '-' && s[7] == '-':
		y, ok1 := Digits(s[0:4])
		m, ok2 := Digits(s[5:7])
		d, ok3 := Digits(s[8:10])
		if !ok1 || !ok2 || !ok3 || (len(s) > 10 && !isoTime(s[10:])) {
			return time.Time{}, false
		}
		return dateOK(y, m, d)
	case len(s) == 10 && (s[2] == '/' || s[2] == '-' || s[2] == '.') && s[5] == s[2]:
		a, ok1 := Digits(s[0:2])
		b, ok2 := Digits(s[3:5])
		y, ok3 := Digits(s[6:10])
		if !ok1 || !ok2 || !ok3 {
			return time.Time{}, false
		}
		d, m := dayFirst(a, b, ord)
		return dateOK(y, m, d)
	case len(s) >= 1 && len(s) <= 7 && s[0] >= '1' && s[0] <= '9':
		n, ok := Digits(s)
		if !ok || n < excelMinSerial || n == excelBugSerial || n > excelMaxSerial {
			return time.Time{}, false
		}
		if n > excelLastSerial {
			return time.Time{}, false // after 2100: the slow path says why
		}
		return excelSerial(n), true
	}
	return time.Time{}, false
}

// isoTime checks the time part after an ISO date: "T10:42",
// "T10:42:54.685+02:00", " 00:00:00", "Z".
func isoTime(t string) bool {
	if t[0] != 'T' && t[0] != ' ' {
		return false
	}
	t = t[1:]
	if len(t) < 5 || t[2] != ':' {
		return false
	}
	if _, ok := Digits(t[0:2]); !ok {
		return false
	}
	if _, ok := Digits(t[3:5]); !ok {
		return false
	}
	for i := 5; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9', c == ':', c == '.', c == '+', c == '-', c == 'Z', c == 'z':
		default:
			return false
		}
	}
	return true
}

// Digits parses 1-9 ASCII digits.
func Digits(s string) (int, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// dayFirst reads "a/b" in the column's order (day-first for
// DateOrderAuto and DateOrderDMY), unless only the other order makes a
// date (a month above 12).
func dayFirst(a, b int, ord DateOrder) (day, month int) {
	if ord == DateOrderMDY {
		if a > 12 && b >= 1 && b <= 12 {
			return a, b
		}
		return b, a
	}
	if b > 12 && a >= 1 && a <= 12 {
		return b, a
	}
	return a, b
}

// dateOK builds a valid date in range, without allocating.
func dateOK(y, m, d int) (time.Time, bool) {
	if y < MinYear || y > MaxYear || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return time.Time{}, false
	}
	return civil(y, m, d), true
}

// civil returns UTC midnight of a valid proleptic Gregorian date (year
// >= 1), faster than time.Date (H. Hinnant's days-from-civil).
func civil(y, m, d int) time.Time {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	days := era*146097 + doe - 719468
	return time.Unix(int64(days)*86400, 0).UTC()
}

// makeDate builds a date or says why it cannot.
func makeDate(y, m, d int) (time.Time, error) {
	if y < MinYear || y > MaxYear {
		return time.Time{}, constraintErrorf("year %d is out of range %d-%d", y, MinYear, MaxYear)
	}
	if m < 1 || m > 12 {
		return time.Time{}, TypeErrorf("month %d does not exist", m)
	}
	if n := daysIn(y, m); d < 1 || d > n {
		return time.Time{}, TypeErrorf("day %d does not exist in %s %d (it has %d days)", d, time.Month(m), y, n)
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// excelSerial converts a serial of the 1900 date system (not 60).
func excelSerial(n int) time.Time {
	const unixEpoch = 25569 // serial of 1970-01-01
	if n < excelBugSerial {
		n++ // before the phantom 1900-02-29
	}
	return time.Unix(int64(n-unixEpoch)*86400, 0).UTC()
}

// dateParts is a date as written, possibly partial (a range's start
// "16" or "16 Jan" borrows the rest from its end).
type dateParts struct {
	y, m, d          int
	hasY, hasM, hasD bool
}

// parseDateSlow handles every form and produces the errors.
func parseDateSlow(s string, ord DateOrder) (time.Time, time.Time, error) {
	raw := s
	if a, ok := foldDigits(s); ok {
		s = a // "١٥/٠٣/٢٠٢٣", "１５/３/２０２３": the digits of other scripts
	}
	if start, end, ok, err := serialText(s); ok {
		return start, end, err
	}
	low := strings.ToLower(s)
	p, perr := parseParts(low, ord)
	if perr == nil {
		if !p.hasY || !p.hasM {
			return time.Time{}, time.Time{}, quotedTypeError(raw, " is not a complete date (day, month and year)")
		}
		return period(p)
	}
	if start, end, ok, err := parseRange(low, ord); ok {
		return start, end, err
	}
	return time.Time{}, time.Time{}, quotedTypeError(raw, " is not a date")
}

// serialText reads an Excel serial written as an integer or a float.
// ok is false when s is not a number at all.
func serialText(s string) (start, end time.Time, ok bool, err error) {
	intPart, frac, _ := strings.Cut(s, ".")
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return start, end, false, nil
		}
	}
	if len(intPart) > 9 {
		for i := 0; i < len(intPart); i++ {
			if intPart[i] < '0' || intPart[i] > '9' {
				return start, end, false, nil
			}
		}
		return start, end, true, TypeErrorf("%s is not a date (Excel serials end at %d)", Quote(s), excelMaxSerial)
	}
	n, isNum := Digits(intPart)
	if !isNum {
		return start, end, false, nil
	}
	if serialRoundsUp(frac) {
		n++ // 45365.9999999998 is 45366, as Excel shows it
	}
	if len(intPart) == 8 && frac == "" && n > excelMaxSerial {
		// Compact ISO 8601 "20210330".
		d, err := makeDate(n/10000, n/100%100, n%100)
		return d, d, true, err
	}
	switch {
	case n < excelMinSerial || n > excelMaxSerial:
		return start, end, true, TypeErrorf("%s is not a date (Excel serials run from %d to %d)", Quote(s), excelMinSerial, excelMaxSerial)
	case n == excelBugSerial:
		return start, end, true, typeError("Excel serial 60 is 1900-02-29, a day that does not exist")
	}
	d := excelSerial(n)
	if d.Year() < MinYear || d.Year() > MaxYear {
		return start, end, true, constraintErrorf("year %d is out of range %d-%d", d.Year(), MinYear, MaxYear)
	}
	return d, d, true, nil
}

// serialRoundsUp reports whether the fraction of a serial (its digits
// after the point) reaches the next day once rounded to the millisecond,
// as Excel rounds before showing a date: floating-point noise such as
// .9999999998 is the next midnight.
func serialRoundsUp(frac string) bool {
	if frac == "" {
		return false
	}
	f, err := strconv.ParseFloat("0."+frac, 64)
	return err == nil && math.Round(f*86_400_000) >= 86_400_000
}

// period turns complete parts (year and month; day optional) into the
// first and last day they denote.
func period(p dateParts) (time.Time, time.Time, error) {
	if !p.hasD {
		start, err := makeDate(p.y, p.m, 1)
		if err != nil {
			return start, start, err
		}
		return start, time.Date(p.y, time.Month(p.m), daysIn(p.y, p.m), 0, 0, 0, 0, time.UTC), nil
	}
	d, err := makeDate(p.y, p.m, p.d)
	return d, d, err
}

// Range separators, tried in order (on lower-cased text).
var rangeSeps = []string{" to ", " au ", " till ", " until ", " through ", " al ", " à ", " a ", " - ", " – ", " — ", "–", "—", " / "}

// Words that may open a range ("du 16 au 23 janvier 2023").
var rangeOpeners = []string{"from ", "du ", "del ", "de ", "between ", "entre "}

// parseRange reads "A sep B". ok is false when no split gives two date
// shapes; otherwise err says what is wrong with the range.
func parseRange(low string, ord DateOrder) (start, end time.Time, ok bool, err error) {
	for _, o := range rangeOpeners {
		if strings.HasPrefix(low, o) {
			low = strings.TrimSpace(low[len(o):])
			break
		}
	}
	try := func(left, right string) bool {
		lp, lerr := parseParts(strings.TrimSpace(left), ord)
		rp, rerr := parseParts(strings.TrimSpace(right), ord)
		if lerr != nil || rerr != nil || !rp.hasY || !rp.hasM {
			return false
		}
		start, end, err = combineRange(lp, rp)
		return true
	}
	for _, sep := range rangeSeps {
		if i := strings.Index(low, sep); i > 0 && try(low[:i], low[i+len(sep):]) {
			return start, end, true, err
		}
	}
	// "16-23 Jan 2023", "2023-01-16-2023-01-23": try each hyphen (a few).
	for i, tries := 0, 0; i < len(low) && tries < 8; i++ {
		if low[i] == '-' {
			tries++
			if i > 0 && try(low[:i], low[i+1:]) {
				return start, end, true, err
			}
		}
	}
	return start, end, false, nil
}

// combineRange completes the start from the end and checks the order.
func combineRange(lp, rp dateParts) (time.Time, time.Time, error) {
	_, end, err := period(rp)
	if err != nil {
		return end, end, err
	}
	// Only a start with its own month may fall in the previous year.
	mayRollBack := !lp.hasY && lp.hasM
	if !lp.hasY {
		lp.y, lp.hasY = rp.y, true
	}
	if !lp.hasM {
		if !lp.hasD {
			return end, end, typeError("the start of the range has no day or month")
		}
		lp.m, lp.hasM = rp.m, true
	}
	start, _, err := period(lp)
	if err == nil && start.After(end) && mayRollBack {
		// "28 Dec - 3 Jan 2023": the start is in the previous year.
		lp.y--
		start, _, err = period(lp)
	}
	if err != nil {
		return end, end, err
	}
	if start.After(end) {
		return start, end, constraintErrorf("the range ends (%s) before it starts (%s)",
			end.Format(time.DateOnly), start.Format(time.DateOnly))
	}
	return start, end, nil
}

// dateToken is a number (with its digit count) or a month.
type dateToken struct {
	n      int
	digits int
	month  int // 1-12 for a month name, 0 for a number
	// english is set for a month name English writes ("jan", "march"),
	// which may be followed by the day ("Jan 23").
	english bool
}

// parseParts reads one date, complete or partial, from lower-cased
// text. It checks the shape only; period checks the calendar.
func parseParts(s string, ord DateOrder) (dateParts, error) {
	var dt dateTokens
	if !tokenizeDate(s, &dt) {
		return dateParts{}, typeError("not a date")
	}
	return interpret(dt.toks[:dt.n], dt.seps[:dt.n], ord)
}

// dateTokens are the numbers and month names of one date, in order.
type dateTokens struct {
	toks [6]dateToken
	seps [6]byte // separator before each token (' ' for runs of spaces)
	n    int
}

// tokenizeDate splits lower-cased text into dt; false when it holds
// anything but numbers of 1-4 digits, month names, ordinal suffixes,
// weekday names and small words, and the separators / - . , ' and space.
func tokenizeDate(s string, dt *dateTokens) bool {
	fail := func() bool { return false }
	s = cutTime(s)
	toks, seps := &dt.toks, &dt.seps
	n := 0
	defer func() { dt.n = n }()
	prevDigit := false
	var sep byte
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			v, ok := Digits(s[i:j])
			if !ok || j-i > 4 || n == len(toks) {
				return fail()
			}
			toks[n], seps[n] = dateToken{n: v, digits: j - i}, sep
			n++
			i, prevDigit, sep = j, true, 0
			continue
		case unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += sz
			}
			w := s[i:j]
			if j < len(s) && s[j] == '.' {
				j++ // "févr.", "sept."
			}
			switch {
			case prevDigit && ordinalSuffix(w):
			case ignoredDateWord(w):
			default:
				m := monthNumber(w)
				if m == 0 || n == len(toks) {
					return fail()
				}
				toks[n], seps[n] = dateToken{month: m, english: englishMonth(w)}, sep
				n++
			}
			i, prevDigit, sep = j, false, 0
			continue
		case r == '/' || r == '-' || r == '.' || r == ',' || r == ' ':
			if sep == 0 || sep == ' ' {
				sep = byte(r)
			}
		case r == '\'' || r == '’': // "Jan '23"
			sep = '\''
		default:
			return fail()
		}
		i += size
		prevDigit = false
	}
	return true
}

// interpret assigns day, month and year to the tokens of one date.
func interpret(toks []dateToken, seps []byte, ord DateOrder) (dateParts, error) {
	fail := func() (dateParts, error) { return dateParts{}, typeError("not a date") }
	monthAt := -1
	for i, t := range toks {
		if t.month != 0 {
			if monthAt >= 0 {
				return fail()
			}
			monthAt = i
		}
	}
	year := func(t dateToken) (int, bool) {
		switch t.digits {
		case 4:
			return t.n, true
		case 2:
			if t.n < 50 {
				return 2000 + t.n, true
			}
			return 1900 + t.n, true
		}
		return 0, false
	}
	day := func(t dateToken) (int, bool) { return t.n, t.digits <= 2 }
	set := func(y, m, d int, hy, hm, hd bool) (dateParts, error) {
		return dateParts{y: y, m: m, d: d, hasY: hy, hasM: hm, hasD: hd}, nil
	}
	if monthAt < 0 {
		switch len(toks) {
		case 3:
			a, b, c := toks[0], toks[1], toks[2]
			if seps[1] != seps[2] {
				return fail()
			}
			if a.digits == 4 {
				if b.digits > 2 || c.digits > 2 {
					return fail()
				}
				return set(a.n, b.n, c.n, true, true, true)
			}
			y, ok := year(c)
			if !ok || a.digits > 2 || b.digits > 2 {
				return fail()
			}
			d, m := dayFirst(a.n, b.n, ord)
			return set(y, m, d, true, true, true)
		case 2:
			a, b := toks[0], toks[1]
			switch {
			case a.digits == 4 && b.digits <= 2:
				return set(a.n, b.n, 0, true, true, false) // 2021-03
			case b.digits == 4 && a.digits <= 2:
				return set(b.n, a.n, 0, true, true, false) // 03/2021
			case a.digits <= 2 && b.digits <= 2:
				d, m := dayFirst(a.n, b.n, ord)
				return set(0, m, d, false, true, true) // 16/01 (range start)
			}
		case 1:
			if d, ok := day(toks[0]); ok {
				return set(0, 0, d, false, false, true) // 16 (range start)
			}
		}
		return fail()
	}
	m := toks[monthAt].month
	nums := make([]dateToken, 0, 2)
	for i, t := range toks {
		if i != monthAt {
			nums = append(nums, t)
		}
	}
	switch len(nums) {
	case 0:
		return set(0, m, 0, false, true, false) // "Jan" (range start)
	case 1:
		t := nums[0]
		if t.digits == 4 {
			return set(t.n, m, 0, true, true, false) // "janvier 2023"
		}
		if monthYear(toks, seps, monthAt) {
			y, _ := year(t)
			return set(y, m, 0, true, true, false) // "janv-23", "Jan-23", "mars 23", "Jan '23"
		}
		if d, ok := day(t); ok {
			return set(0, m, d, false, true, true) // "16 Jan", "Jan 23" (range start)
		}
	case 2:
		a, b := nums[0], nums[1]
		switch {
		case a.digits == 4 && b.digits <= 2:
			return set(a.n, m, b.n, true, true, true) // 2022 Apr 30
		case b.digits == 4 && a.digits <= 2, monthAt < 2 && b.digits == 2 && a.digits <= 2:
			y, _ := year(b)
			return set(y, m, a.n, true, true, true) // 30 Apr 2022, Apr 30 2022, 30-Apr-22
		}
	}
	return fail()
}

// cutTime drops a time of day ("10:42", "T10:42:54.685+02:00",
// " 3:04 PM") from the end of a date.
func cutTime(s string) string {
	i := strings.IndexByte(s, ':')
	if i < 0 {
		return s
	}
	j := i
	for j > 0 && s[j-1] >= '0' && s[j-1] <= '9' {
		j--
	}
	if j == i || j == 0 {
		return s
	}
	if s[j-1] != ' ' && s[j-1] != 't' {
		return s
	}
	return strings.TrimRight(s[:j-1], " ,")
}

func ordinalSuffix(w string) bool {
	switch w {
	case "st", "nd", "rd", "th", "er", "re", "e", "eme", "ème", "o", "º":
		return true
	}
	return false
}

// ignoredDateWord reports weekday names and small words around dates.
func ignoredDateWord(w string) bool {
	switch w {
	case "le", "the", "of", "de", "del", "on",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
		"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche":
		return true
	}
	return false
}

// monthNames maps folded month names and abbreviations (English,
// French, Spanish, Portuguese) to month numbers. Read-only.
var monthNames = map[string]int{
	"january": 1, "jan": 1, "janvier": 1, "janv": 1, "enero": 1, "ene": 1, "janeiro": 1,
	"february": 2, "feb": 2, "fevrier": 2, "fevr": 2, "fev": 2, "febrero": 2, "fevereiro": 2,
	"march": 3, "mar": 3, "mars": 3, "marzo": 3, "marco": 3,
	"april": 4, "apr": 4, "avril": 4, "avr": 4, "abril": 4, "abr": 4,
	"may": 5, "mai": 5, "mayo": 5, "maio": 5,
	"june": 6, "jun": 6, "juin": 6, "junio": 6, "junho": 6,
	"july": 7, "jul": 7, "juillet": 7, "juil": 7, "julio": 7, "julho": 7,
	"august": 8, "aug": 8, "aout": 8, "agosto": 8, "ago": 8,
	"september": 9, "sep": 9, "sept": 9, "septembre": 9, "septiembre": 9, "setiembre": 9, "setembro": 9, "set": 9,
	"october": 10, "oct": 10, "octobre": 10, "octubre": 10, "outubro": 10, "out": 10,
	"november": 11, "nov": 11, "novembre": 11, "noviembre": 11, "novembro": 11,
	"december": 12, "dec": 12, "decembre": 12, "diciembre": 12, "dic": 12, "dezembro": 12, "dez": 12,
}

// monthNumber returns 1-12 for a month name (any case or accents), or 0.
func monthNumber(w string) int {
	if m, ok := monthNames[w]; ok {
		return m
	}
	return monthNames[Fold(w)]
}

// SerialDate1904 reads s as an Excel serial of the 1904 date system (serial
// 0 is 1904-01-01; a fraction is the time of day, dropped), the system of
// every date in a workbook saved with workbookPr date1904. ok is false when
// s is not a plain number or the date falls outside MinYear-MaxYear (the
// caller then reads s as any other text).
func SerialDate1904(s string) (d time.Time, ok bool) {
	s = Trim(s)
	intPart, frac, _ := strings.Cut(s, ".")
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return d, false
		}
	}
	n, isNum := Digits(intPart)
	if !isNum || len(intPart) > 7 {
		return d, false
	}
	if serialRoundsUp(frac) {
		n++
	}
	d = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)
	if d.Year() > MaxYear {
		return time.Time{}, false
	}
	return d, true
}
