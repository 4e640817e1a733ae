package cast

import (
	"errors"
	"math"
	"strconv"
	"unicode/utf8"
)

// ParseInt casts a cell to a whole number.
//
// Accepted: plain digits with an optional leading + or -; thousands
// separators "1,234", "1 234" (also with no-break or narrow no-break
// spaces), "1'234", "1.234" and "1.234.567" (French files), Indian grouping
// "12,34,567"; Excel's float rendering of integers "12.0", "12,0",
// "1,234.00". A single '.' or ',' followed by exactly three digits after one
// to three leading digits ("1,234", "1.234", "12.000") is a thousands
// separator; otherwise it is a decimal separator, and a non-zero fraction
// ("12.5", "1,5") is an error. Negative numbers parse, in every form files
// write them: "-3", "- 3", the minus sign "−3" (U+2212), the en dash "–3"
// (Windows-1252 files), accounting parentheses "(3)", "(1,234)"; ranges (a
// count is never negative) are checked by validation, not here. Digits of
// other scripts read as their ASCII digits: Arabic-Indic "١٢٣", Persian
// "۱۲۳" (with the Arabic separators "١٬٢٣٤", "١٢٫٥"), Devanagari, Bengali,
// Thai, Myanmar, Khmer and full-width "１２" (number_fold.go).
//
// Rejected with a short message (a *codedError, code type-error): fractions,
// values beyond int64, infinities, scientific notation ("1e5", "1e308"),
// percentages ("12%": the message says so), two signs ("(-3)"), unit words
// ("12 HH": see ParseCount) and anything else that is not a number. Missing-value tokens (see IsMissing,
// which includes "NaN") give missing=true, v=0, err=nil.
//
// Plain digits take an allocation-free fast path.
func ParseInt(s string) (v int64, missing bool, err error) {
	s = Trim(s)
	if v, ok := fastInt(s); ok {
		return v, false, nil
	}
	if v, ok := fastThousands(s); ok {
		return v, false, nil
	}
	return parseIntSlow(s)
}

// parseIntSlow is ParseInt of trimmed text without the fast paths.
func parseIntSlow(s string) (v int64, missing bool, err error) {
	if IsMissing(s) {
		return 0, true, nil
	}
	var arr [64]byte
	num, err := normalizeNumber(s, arr[:0], true)
	if err != nil {
		return 0, false, err
	}
	neg := false
	if num[0] == '-' {
		neg, num = true, num[1:]
	}
	intPart, frac := num, []byte(nil)
	for i, c := range num {
		if c == '.' {
			intPart, frac = num[:i], num[i+1:]
			break
		}
	}
	for _, c := range frac {
		if c != '0' {
			return 0, false, quotedTypeError(s, " is not a whole number")
		}
	}
	var u uint64
	for _, c := range intPart {
		d := uint64(c - '0')
		if u > (math.MaxUint64-d)/10 {
			return 0, false, quotedTypeError(s, " is too large")
		}
		u = u*10 + d
	}
	if neg {
		if u > 1<<63 {
			return 0, false, quotedTypeError(s, " is too large")
		}
		return -int64(u), false, nil // -(1<<63) wraps to itself: MinInt64
	}
	if u > math.MaxInt64 {
		return 0, false, quotedTypeError(s, " is too large")
	}
	return int64(u), false, nil
}

// fastInt parses an optional '-' and up to 18 ASCII digits.
func fastInt(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 19 {
		return 0, false
	}
	neg := s[0] == '-'
	d := s
	if neg {
		d = s[1:]
	}
	if len(d) == 0 || len(d) > 18 {
		return 0, false
	}
	var v int64
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// fastThousands parses a whole number written with comma thousands
// separators, "1,234" or "12,345,678": a first group of one to three
// digits not starting with 0, then groups of a comma and three digits, at
// most 18 digits in all. It reads what normalizeNumber reads in int mode
// (tested against it: TestFastThousandsMatchesNormalize), without the
// copy; ok is false for any other text.
func fastThousands(s string) (int64, bool) {
	if len(s) < 5 || len(s) > 23 || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	first := (len(s) - 1) % 4 // digits before the first comma, less one
	if first == 3 {
		return 0, false // the string's length cannot be 1-3 digits then ,ddd groups
	}
	var v int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i > first && (i-first-1)%4 == 0 {
			if c != ',' {
				return 0, false
			}
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// ParseFloat casts a cell to a float.
//
// Accepted: "12.5", "-4.123456", "12,5" (decimal comma), "1,234.5",
// "1.234,5", "1 234,5", "1'234.5", exponent forms "1.5e3", "1,5E-2", and
// the sign, parenthesis and digit forms ParseInt reads ("−4,5", "۱۲٫۵"). When a
// number has both '.' and ',', the last one is the decimal separator; a
// single ',' alone is a decimal comma ("1,234" is 1.234: float fields are
// coordinates and rates, and French files write decimals that way); several
// of the same ("1.234.567") are thousands separators.
//
// Rejected (code type-error): infinities, values whose magnitude overflows
// float64, misplaced separators, anything else. Missing-value tokens (see
// IsMissing, which includes "NaN") give missing=true. Underflow rounds to
// zero.
func ParseFloat(s string) (v float64, missing bool, err error) {
	s = Trim(s)
	if v, ok := fastDecimal(s); ok {
		return v, false, nil
	}
	if plainFloat(s) {
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			return v, false, nil
		}
	}
	if IsMissing(s) {
		return 0, true, nil
	}
	var arr [64]byte
	num, err := normalizeNumber(s, arr[:0], false)
	if err != nil {
		return 0, false, err
	}
	v, err = strconv.ParseFloat(string(num), 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) && !math.IsInf(v, 0) {
			return v, false, nil // underflow: rounds to zero
		}
		if errors.Is(err, strconv.ErrRange) {
			return 0, false, quotedTypeError(s, " is too large")
		}
		return 0, false, quotedTypeError(s, " is not a number")
	}
	return v, false, nil
}

// fastDecimal reads "[-]digits[.digits]" of at most 15 digits in all
// (coordinates: "10.61002", "-4.5"), as strconv.ParseFloat does: the
// digits make an integer m < 10^15, exact in a float64, and m / 10^k with
// k <= 15 is one correctly rounded division of two exact values, so the
// result is the float64 nearest the decimal, which is what ParseFloat
// returns (the same exact fast path as its own). ok is false for any
// other text. Tested against strconv.ParseFloat: TestFastDecimal.
func fastDecimal(s string) (float64, bool) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 16 {
		return 0, false
	}
	var m uint64
	digits, frac, dot := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 || dot && frac == 0 || s[0] == '.' {
		return 0, false // "", ".", "5." and ".5" take strconv's path
	}
	v := float64(m) / float64pow10[frac]
	if neg {
		v = -v
	}
	return v, true
}

// float64pow10 are the powers of ten fastDecimal divides by (all exact).
var float64pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// plainFloat reports text strconv.ParseFloat reads exactly as meant:
// digits, at most one '.', signs and exponent letters, no words (so no NaN,
// Inf or hex).
func plainFloat(s string) bool {
	if s == "" {
		return false
	}
	dots := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '+', c == '-', c == 'e', c == 'E':
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return dots <= 1
}

// Separator kinds in a written number.
const (
	sepSpace = 's' // space, no-break space, thin space
	sepQuote = 'q' // apostrophe (Swiss)
	sepDot   = '.'
	sepComma = ','
)

// normalizeNumber rewrites a written number as ASCII
// "[-]digits[.digits][e[+-]digits]" appended to buf. intMode selects the
// reading of a lone '.' or ',' (see ParseInt and ParseFloat) and forbids an
// exponent.
func normalizeNumber(s string, buf []byte, intMode bool) ([]byte, error) {
	raw := s
	notNumber := func() ([]byte, error) {
		return nil, quotedTypeError(raw, " is not a number")
	}
	if s == "" {
		return notNumber()
	}
	// Sign, and the real-world forms of numbers (number_fold.go).
	neg, decimalKnown := false, false
	if needsFold(s) {
		f, ok := foldNumber(s)
		switch {
		case !ok:
			return notNumber()
		case f.percent:
			return nil, quotedTypeError(raw, " is a percentage (it ends with %), not a number this field takes: write the number itself")
		}
		s, neg, decimalKnown = f.text, f.neg, f.decimalKnown
		if s == "" {
			return notNumber()
		}
	}
	switch {
	case s[0] == '+' && !neg:
		s = s[1:]
	case s[0] == '-' && !neg:
		neg, s = true, s[1:]
	}
	// Exponent.
	exp := ""
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == 'e' || s[i] == 'E' {
			if i == 0 || !exponentOK(s[i+1:]) || s[i-1] < '0' || s[i-1] > '9' {
				return notNumber()
			}
			if intMode {
				return nil, quotedTypeError(raw, " is not a whole number")
			}
			exp, s = s[i+1:], s[:i]
			break
		}
	}
	// Mantissa: digit runs separated by single separators.
	const maxSegs = 32
	var (
		segs   [maxSegs]string // digit runs
		seps   [maxSegs]byte   // seps[i] precedes segs[i]; seps[0] unused
		n      int
		start  = 0
		dots   int
		commas int
		others int
	)
	i := 0
	for i <= len(s) {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			continue
		}
		if n == maxSegs {
			return notNumber()
		}
		segs[n] = s[start:i]
		n++
		if i == len(s) {
			break
		}
		if n == maxSegs {
			return notNumber()
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		var k byte
		switch {
		case r == '.':
			k, dots = sepDot, dots+1
		case r == ',':
			k, commas = sepComma, commas+1
		case r == '\'' || r == '\u2019':
			k, others = sepQuote, others+1
		case isGroupSpace(r):
			k, others = sepSpace, others+1
		default:
			return notNumber()
		}
		seps[n] = k
		i += size
		start = i
	}
	// Decide the decimal separator (index into segs of the fraction).
	fracAt := -1
	last := seps[n-1]
	switch {
	case n == 1:
	case dots > 0 && commas > 0:
		if last != sepDot && last != sepComma {
			return notNumber()
		}
		if (last == sepDot && dots > 1) || (last == sepComma && commas > 1) {
			return notNumber()
		}
		fracAt = n - 1
	case dots == 1 || commas == 1:
		if last != sepDot && last != sepComma {
			break // "1.234 567": a group separator; mixed kinds fail below
		}
		fracAt = n - 1
		if intMode && !decimalKnown && others == 0 && n == 2 && len(segs[1]) == 3 &&
			len(segs[0]) >= 1 && len(segs[0]) <= 3 && segs[0][0] != '0' {
			fracAt = -1 // "1,234", "1.234", "12.000"
		}
	}
	intSegs := n
	if fracAt >= 0 {
		intSegs = fracAt
		if segs[fracAt] == "" && segs[0] == "" {
			return notNumber() // "." ("12." is 12, as strconv reads it)
		}
	}
	// Group separators must be of one kind and group digits properly.
	if intSegs > 1 {
		kind := seps[1]
		for j := 2; j < intSegs; j++ {
			if seps[j] != kind {
				return notNumber()
			}
		}
		if !groupsOK(segs[:intSegs], kind) {
			return notNumber()
		}
	}
	if segs[0] == "" && (intMode || intSegs > 1 || fracAt < 0) {
		return notNumber() // ".5" is a float; "" and ",234" are not numbers
	}
	if neg {
		buf = append(buf, '-')
	}
	for j := 0; j < intSegs; j++ {
		buf = append(buf, segs[j]...)
	}
	if len(buf) == 0 || buf[len(buf)-1] == '-' {
		buf = append(buf, '0')
	}
	if fracAt >= 0 {
		buf = append(buf, '.')
		buf = append(buf, segs[fracAt]...)
	}
	if exp != "" {
		buf = append(buf, 'e')
		buf = append(buf, exp...)
	}
	return buf, nil
}

// groupsOK checks thousands grouping: a first group of 1-3 digits, then
// groups of exactly 3, or (Indian grouping, with commas) groups of 2 ending
// with a group of 3.
func groupsOK(segs []string, kind byte) bool {
	if len(segs[0]) < 1 || len(segs[0]) > 3 {
		return false
	}
	if len(segs[len(segs)-1]) != 3 {
		return false
	}
	threes, twos := true, kind == sepComma && len(segs[0]) <= 2
	for _, g := range segs[1 : len(segs)-1] {
		threes = threes && len(g) == 3
		twos = twos && len(g) == 2
	}
	return threes || twos
}

// exponentOK checks "[+-]digits" (at most 4 digits).
func exponentOK(e string) bool {
	if e != "" && (e[0] == '+' || e[0] == '-') {
		e = e[1:]
	}
	if e == "" || len(e) > 4 {
		return false
	}
	for i := 0; i < len(e); i++ {
		if e[i] < '0' || e[i] > '9' {
			return false
		}
	}
	return true
}
