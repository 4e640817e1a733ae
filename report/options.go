package report

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/iom-dtm/dtm/query"
)

// Options choose what a report covers.
type Options struct {
	// Country is an ISO3 code ("SSD"); "" covers every country.
	Country string
	// Round is one round number; 0 means each country's latest round.
	// Charts over rounds show the rounds up to it.
	Round int64
	// MinCell is the small-cell threshold of survey-derived charts
	// (0: query.DefaultMinCell), as `dtm export --min-cell`.
	MinCell int
	// GeneratedAt is printed as the report's build time; zero prints none,
	// so that the same generation and options give the same bytes (for
	// ETags).
	GeneratedAt time.Time
	// MaxBars caps the bars of an area chart; the rest is summed into one
	// "other areas" bar (0: 25).
	MaxBars int
	// MaxSites caps the points of the site plot, largest IDP counts first
	// (0: 1000).
	MaxSites int
}

var iso3 = regexp.MustCompile(`^[A-Z]{3}$`)

// normalise checks the options and fills the defaults. Errors wrap
// ErrBadOptions.
func (o Options) normalise() (Options, error) {
	raw := o.Country
	o.Country = strings.ToUpper(strings.TrimSpace(o.Country))
	if o.Country != "" && !iso3.MatchString(o.Country) {
		return o, fmt.Errorf("%w: country %q is not an ISO3 code (three letters, e.g. SSD)", ErrBadOptions, raw)
	}
	if o.Round < 0 {
		return o, fmt.Errorf("%w: round %d is negative", ErrBadOptions, o.Round)
	}
	if o.MinCell < 0 {
		return o, fmt.Errorf("%w: min-cell %d is negative", ErrBadOptions, o.MinCell)
	}
	if o.MinCell == 0 {
		o.MinCell = query.DefaultMinCell
	}
	if o.MaxBars <= 0 {
		o.MaxBars = 25
	}
	if o.MaxSites <= 0 {
		o.MaxSites = 1000
	}
	return o, nil
}
