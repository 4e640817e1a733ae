package geo

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownCountry is returned by Resolve for a value that is neither an
// ISO 3166-1 code nor a country name it knows.
var ErrUnknownCountry = errors.New("unknown country")

// Resolve turns what a user gives for a country (a flag such as --country,
// a job's `country:`) into the alpha-3 code stored in country_iso3: an
// alpha-3 or alpha-2 code in any case, or a name Lookup knows ("South
// Sudan", "Tchad"). "" stays "". The alpha-3 ranges ISO 3166-1 leaves to
// users (AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ) are accepted as given, for
// invented test data and local codes; the "unknown country" label (OOO) is
// not a country to filter or default to and is refused.
func (c *Countries) Resolve(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	up := strings.ToUpper(s)
	if len(up) == 3 && userAssigned(up) {
		return up, nil
	}
	if iso3, ok := c.Lookup(s); ok && iso3 != Unknown {
		return iso3, nil
	}
	return "", fmt.Errorf("%w %q: give an ISO 3166-1 alpha-3 code (SSD, TCD, COD, ...) or a country name (South Sudan, Tchad)", ErrUnknownCountry, s)
}

// userAssigned reports the alpha-3 codes ISO 3166-1 reserves for users.
func userAssigned(c string) bool {
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return strings.HasPrefix(c, "AA") || c[0] == 'X' || strings.HasPrefix(c, "ZZ") || (c[0] == 'Q' && c[1] >= 'M')
}
