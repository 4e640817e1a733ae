package report

import (
	"fmt"
	"strconv"
)

// groupInt formats a count with thousands separators ("12,345").
func groupInt(n int64) string { return groupDigits(strconv.FormatInt(n, 10)) }

// signedInt formats a change with its sign ("+1,234", "-56", "0").
func signedInt(n int64) string {
	if n > 0 {
		return "+" + groupInt(n)
	}
	return groupInt(n)
}

// signedPct formats a percent change with one decimal ("+12.5%").
func signedPct(p float64) string {
	if p > 0 {
		return fmt.Sprintf("+%.1f%%", p)
	}
	return fmt.Sprintf("%.1f%%", p)
}

// areaLabel names an admin area: "Name (PCODE)", or the code or name
// alone, or "not reported"; prefixed with the country code when the
// report covers several countries.
func areaLabel(country, name, pcode string, withCountry bool) string {
	var s string
	switch {
	case name != "" && pcode != "":
		s = name + " (" + pcode + ")"
	case name != "":
		s = name
	case pcode != "":
		s = pcode
	default:
		s = "not reported"
	}
	if withCountry {
		return country + " · " + s
	}
	return s
}

// orNot is s, or "not reported" when empty.
func orNot(s string) string {
	if s == "" {
		return "not reported"
	}
	return s
}
