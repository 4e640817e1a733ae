package report

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/query"
)

// builder computes one report. It lives for one Build call; its caches
// are not shared between reports.
type builder struct {
	ctx     context.Context
	db      *query.DB
	opt     Options
	sources map[string][]string      // by sourcesIn key
	figures map[string]*query.Result // by figure name and parameters
	// siteFileList is site_assessment's (country, round, file) list, read
	// once (sources.go).
	siteFileList *[]siteFile
}

// sectionBuilders are the report's sections, in page order.
var sectionBuilders = []func(*builder) (Section, error){
	(*builder).headlineSection,
	(*builder).trendSection,
	(*builder).areasSection,
	(*builder).saddSection,
	(*builder).reasonsSection,
	(*builder).sitesSection,
	(*builder).flowSection,
	(*builder).surveySection,
	(*builder).qualitySection,
}

// Build computes a report from the committed state db shows. It reads the
// warehouse through figures and SQL over db's views only. Errors wrap
// ErrBadOptions for bad options, and otherwise name the section whose
// query failed.
func Build(ctx context.Context, db *query.DB, opts Options) (*Report, error) {
	opt, err := opts.normalise()
	if err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, db: db, opt: opt, sources: map[string][]string{}, figures: map[string]*query.Result{}}
	m := db.Manifest()
	r := &Report{
		Scope:       Scope{Country: opt.Country, Round: opt.Round},
		Generation:  Generation{Number: m.Generation, CommittedAt: m.CommittedAt, RunID: m.RunID},
		GeneratedAt: opt.GeneratedAt,
		MinCell:     opt.MinCell,
	}
	for _, sb := range sectionBuilders {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s, err := sb(b)
		if err != nil {
			return nil, err
		}
		r.Sections = append(r.Sections, s)
	}
	return r, nil
}

// runFigure runs a named figure with the report's country and round (for
// the figures that take them) plus extra parameters. A figure run twice
// with the same parameters (idp-trend for the headline and the trend) is
// run once; callers must not modify the result.
func (b *builder) runFigure(name string, extra map[string]string) (*query.Result, error) {
	fig, err := query.LookupFigure(name)
	if err != nil {
		return nil, err
	}
	params := map[string]string{}
	for _, p := range fig.Params {
		switch {
		case p.Name == "country" && b.opt.Country != "":
			params["country"] = b.opt.Country
		case p.Name == "round" && b.opt.Round > 0:
			params["round"] = strconv.FormatInt(b.opt.Round, 10)
		}
	}
	for k, v := range extra {
		params[k] = v
	}
	keys := make([]string, 0, len(params))
	for k, v := range params {
		keys = append(keys, k+"="+v)
	}
	sort.Strings(keys)
	key := name + "?" + strings.Join(keys, "&")
	if res, ok := b.figures[key]; ok {
		return res, nil
	}
	res, err := b.db.Run(b.ctx, fig, params, query.RunOptions{MinCell: b.opt.MinCell})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	b.figures[key] = res
	return res, nil
}

// countryArg and roundArg are the report's scope as SQL arguments (NULL:
// every country, each country's latest round).
func (b *builder) countryArg() any {
	if b.opt.Country == "" {
		return nil
	}
	return b.opt.Country
}

func (b *builder) roundArg() any {
	if b.opt.Round == 0 {
		return nil
	}
	return b.opt.Round
}

// multiCountry reports whether the report covers every country (labels
// then carry the country code).
func (b *builder) multiCountry() bool { return b.opt.Country == "" }
