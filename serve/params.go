package serve

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// parseQuery parses the query string strictly (a bad escape is an error).
func parseQuery(r *http.Request) (url.Values, error) { return url.ParseQuery(r.URL.RawQuery) }

// params is a request's validated query parameters: each name at most
// once, each value short, valid UTF-8 without control characters. Checks
// specific to a parameter (type, range, allowed names) follow in the
// handlers; every problem found is collected for one 400.
type params struct {
	q    url.Values
	errs []paramProblem
}

// readParams parses and checks the query; known lists the names the
// endpoint takes (besides "format"). A non-nil problem is the 400 to send.
func readParams(r *http.Request, known []string) (*params, *problem) {
	q, err := parseQuery(r)
	if err != nil {
		p := badParams(paramProblem{Parameter: "(query)", Detail: "the query string is not valid URL encoding"})
		return nil, &p
	}
	if len(q) > maxParams {
		p := badParams(paramProblem{Parameter: "(query)", Detail: "more than " + strconv.Itoa(maxParams) + " parameters"})
		return nil, &p
	}
	ps := &params{q: q}
	allowed := map[string]bool{"format": true}
	for _, k := range known {
		allowed[k] = true
	}
	for k, vs := range q {
		name := clip(k, 40)
		switch {
		case !allowed[k]:
			ps.fail(name, "unknown parameter; this endpoint takes "+strings.Join(append([]string{"format"}, known...), ", "))
		case len(vs) > 1:
			ps.fail(name, "given more than once")
		case len(vs[0]) > maxParamBytes:
			ps.fail(name, "longer than "+strconv.Itoa(maxParamBytes)+" bytes")
		case !utf8.ValidString(vs[0]):
			ps.fail(name, "not valid UTF-8")
		case strings.IndexFunc(vs[0], unicode.IsControl) >= 0:
			ps.fail(name, "contains control characters")
		}
	}
	if len(ps.errs) > 0 {
		p := badParams(ps.errs...)
		return nil, &p
	}
	return ps, nil
}

func (p *params) fail(name, detail string) {
	p.errs = append(p.errs, paramProblem{Parameter: name, Detail: detail})
}

// get returns a parameter's value ("" when absent).
func (p *params) get(name string) string { return p.q.Get(name) }

// problem is the 400 for the failures collected so far, or nil.
func (p *params) problem() *problem {
	if len(p.errs) == 0 {
		return nil
	}
	b := badParams(p.errs...)
	return &b
}

var iso3 = regexp.MustCompile(`^[A-Za-z]{3}$`)

// checkCountry requires an ISO 3166-1 alpha-3 code (any case).
func (p *params) checkCountry(name string) {
	if v := p.get(name); v != "" && !iso3.MatchString(v) {
		p.fail(name, "must be an ISO3 country code such as SSD, got "+strconv.Quote(clip(v, 40)))
	}
}

// intParam reads a whole number in [lo, hi]; def when absent.
func (p *params) intParam(name string, lo, hi, def int64) int64 {
	v := p.get(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		p.fail(name, "must be a whole number from "+strconv.FormatInt(lo, 10)+" to "+strconv.FormatInt(hi, 10)+", got "+strconv.Quote(clip(v, 40)))
		return def
	}
	return n
}

// checkDate requires YYYY-MM-DD.
func (p *params) checkDate(name string) {
	if v := p.get(name); v != "" {
		if _, err := time.Parse("2006-01-02", v); err != nil {
			p.fail(name, "must be a date YYYY-MM-DD, got "+strconv.Quote(clip(v, 40)))
		}
	}
}

// checkCode requires a p-code-like value: letters, digits, '-', '_', '.'.
var pcodeLike = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,40}$`)

func (p *params) checkCode(name string) {
	if v := p.get(name); v != "" && !pcodeLike.MatchString(v) {
		p.fail(name, "must be a code of letters, digits, '-', '_' or '.', got "+strconv.Quote(clip(v, 40)))
	}
}
