package dtmapi

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Query selects DTM API displacement records. At least one of Operation,
// CountryName or Admin0Pcode is required (the API refuses queries without).
// Zero values mean "not set"; in particular FromRound/ToRound 0 are not sent
// (a lower bound of 0 is no bound; an upper bound of round 0 cannot be
// asked for, filter such records after reading).
type Query struct {
	// AdminLevel is 0, 1 or 2: the endpoint /v3/displacement/admin{level}.
	AdminLevel int
	// CountryName is the country as the API names it ("South Sudan").
	CountryName string
	// Admin0Pcode is the country's ISO3 code ("SSD").
	Admin0Pcode string
	// Admin1Pcode and Admin2Pcode narrow to one area (optional).
	Admin1Pcode string
	Admin2Pcode string
	// Operation is the DTM operation name.
	Operation string
	// FromReportingDate and ToReportingDate bound the reporting date,
	// inclusive, as YYYY-MM-DD.
	FromReportingDate string
	ToReportingDate   string
	// FromRound and ToRound bound the round number, inclusive (0 = unset).
	FromRound int
	ToRound   int
}

// Validate checks the query before anything is sent.
func (q Query) Validate() error {
	if q.AdminLevel < 0 || q.AdminLevel > 2 {
		return fmt.Errorf("%w: admin level %d, want 0, 1 or 2", ErrQuery, q.AdminLevel)
	}
	if strings.TrimSpace(q.Operation+q.CountryName+q.Admin0Pcode) == "" {
		return fmt.Errorf("%w: set an operation, a country name or an admin0 p-code (ISO3)", ErrQuery)
	}
	for _, d := range []struct{ name, v string }{{"from reporting date", q.FromReportingDate}, {"to reporting date", q.ToReportingDate}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			return fmt.Errorf("%w: %s %q, want YYYY-MM-DD", ErrQuery, d.name, d.v)
		}
	}
	if q.FromReportingDate != "" && q.ToReportingDate != "" && q.FromReportingDate > q.ToReportingDate {
		return fmt.Errorf("%w: reporting dates %s > %s", ErrQuery, q.FromReportingDate, q.ToReportingDate)
	}
	if q.FromRound < 0 || q.ToRound < 0 {
		return fmt.Errorf("%w: negative round", ErrQuery)
	}
	if q.FromRound > 0 && q.ToRound > 0 && q.FromRound > q.ToRound {
		return fmt.Errorf("%w: rounds %d > %d", ErrQuery, q.FromRound, q.ToRound)
	}
	return nil
}

// Path returns the endpoint path of the query: /v3/displacement/admin{level}.
func (q Query) Path() string {
	return "/v3/displacement/admin" + strconv.Itoa(q.AdminLevel)
}

// Values returns the URL query parameters, named as the API names them
// (Operation, CountryName, Admin0Pcode, Admin1Pcode, Admin2Pcode,
// FromReportingDate, ToReportingDate, FromRoundNumber, ToRoundNumber); unset
// fields are left out.
func (q Query) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s = strings.TrimSpace(s); s != "" {
			v.Set(k, s)
		}
	}
	set("Operation", q.Operation)
	set("CountryName", q.CountryName)
	set("Admin0Pcode", q.Admin0Pcode)
	set("Admin1Pcode", q.Admin1Pcode)
	set("Admin2Pcode", q.Admin2Pcode)
	set("FromReportingDate", q.FromReportingDate)
	set("ToReportingDate", q.ToReportingDate)
	if q.FromRound > 0 {
		v.Set("FromRoundNumber", strconv.Itoa(q.FromRound))
	}
	if q.ToRound > 0 {
		v.Set("ToRoundNumber", strconv.Itoa(q.ToRound))
	}
	return v
}
