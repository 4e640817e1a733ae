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
	ctx context.Context
	db  *query.DB
	// q is the report's own connection: every statement runs on it, so
	// that the temporary tables of sitedata.go are seen by every chart.
	q       *query.Conn
	opt     Options
	sources map[string][]string      // by sourcesIn key
	figures map[string]*query.Result // by figure name and parameters
	// siteFileList is site_assessment's (country, round, file) list, read
	// once (sources.go).
	siteFileList *[]siteFile
	// site is the site assessment aggregates (sitedata.go), built on first
	// use; temps the temporary tables to drop when the report is built.
	site  *siteData
	temps []string
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
	q, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	defer q.Close()
	b := &builder{ctx: ctx, db: db, q: q, opt: opt, sources: map[string][]string{}, figures: map[string]*query.Result{}}
	defer b.dropTemps()
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
	res, err := b.q.Run(b.ctx, fig, params, query.RunOptions{MinCell: b.opt.MinCell})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	b.figures[key] = res
	return res, nil
}

// multiCountry reports whether the report covers every country (labels
// then carry the country code).
func (b *builder) multiCountry() bool { return b.opt.Country == "" }
