package cast

import "strings"

// DateOrder is the order of day and month in numeric dates ("04/03/2024").
type DateOrder int

const (
	// DateOrderAuto reads day-first, unless only month-first makes a date.
	DateOrderAuto DateOrder = iota
	// DateOrderDMY reads day-first (4 March 2024).
	DateOrderDMY
	// DateOrderMDY reads month-first (3 April 2024).
	DateOrderMDY
)

func (o DateOrder) String() string {
	switch o {
	case DateOrderDMY:
		return "day-first"
	case DateOrderMDY:
		return "month-first"
	}
	return "auto"
}

// NumericDayMonth splits a numeric date "a/b/yyyy" (also "-" or "." as
// separator, a two-digit year, a time after it) into its first two numbers;
// ok is false for any other form (ISO "2024-03-04", serials, month names,
// ranges), whose order is not in doubt.
func NumericDayMonth(s string) (a, b int, ok bool) {
	s = Trim(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		if rest := s[i+1:]; !strings.Contains(rest, ":") || strings.Contains(rest, "/") {
			return 0, 0, false // not a time of day after the date (a range...)
		}
		s = s[:i]
	}
	var nums [3]string
	var sep byte
	k, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			continue
		}
		if k == 3 {
			return 0, 0, false
		}
		nums[k], k = s[start:i], k+1
		if i < len(s) {
			c := s[i]
			if c != '/' && c != '-' && c != '.' || sep != 0 && c != sep {
				return 0, 0, false
			}
			sep = c
		}
		start = i + 1
	}
	if k != 3 || len(nums[0]) < 1 || len(nums[0]) > 2 || len(nums[1]) < 1 || len(nums[1]) > 2 ||
		(len(nums[2]) != 2 && len(nums[2]) != 4) {
		return 0, 0, false
	}
	a, _ = Digits(nums[0])
	b, _ = Digits(nums[1])
	return a, b, true
}
