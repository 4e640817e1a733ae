package report

import (
	"fmt"
	"sort"

	"github.com/iom-dtm/dtm/sinks"
)

// rowScope names the rows a chart's numbers come from, for its list of
// source files.
type rowScope string

const (
	// siteRound: site_assessment rows of the report's round (each
	// country's latest round, or Options.Round), as the site figures pick
	// them (the site_rounds macro: a country whose rows have no round
	// number has NULL as its latest round).
	siteRound rowScope = "site-round"
	// siteRounds: site_assessment rows with a round, every round up to the
	// report's.
	siteRounds rowScope = "site-rounds"
	// flowRegistry, flowSurvey: the flow dataset's rows of the country.
	flowRegistry rowScope = "flow_registry"
	flowSurvey   rowScope = "flow_survey"
)

// siteFilesSQL lists the site assessment files of the report's country by
// country and round, from the report's aggregate (sitedata.go); both site
// scopes are derived from it.
const siteFilesSQL = `SELECT country_iso3, round, source_file FROM ` + siteRoundsTable + `
WHERE source_file IS NOT NULL
GROUP BY ALL`

// flowFilesSQL lists the distinct source files of a flow dataset in one
// country ($1, NULL: every country).
var flowFilesSQL = map[rowScope]string{
	flowRegistry: `SELECT DISTINCT source_file FROM flow_registry
		WHERE (CAST($1 AS VARCHAR) IS NULL OR country_iso3 = upper(CAST($1 AS VARCHAR))) AND source_file IS NOT NULL ORDER BY 1`,
	flowSurvey: `SELECT DISTINCT source_file FROM flow_survey
		WHERE (CAST($1 AS VARCHAR) IS NULL OR country_iso3 = upper(CAST($1 AS VARCHAR))) AND source_file IS NOT NULL ORDER BY 1`,
}

// siteFile is one (country, round, file) of site_assessment.
type siteFile struct {
	country, file string
	round         int64
	hasRound      bool
}

// sourcesOf returns the source files of a row scope in the report's
// country (every country when none), sorted.
func (b *builder) sourcesOf(s rowScope) ([]string, error) { return b.sourcesIn(s, b.opt.Country) }

// sourcesIn returns the source files of a row scope in one country ("":
// every country), sorted; cached for the report.
func (b *builder) sourcesIn(s rowScope, country string) ([]string, error) {
	key := string(s) + "/" + country
	if files, ok := b.sources[key]; ok {
		return files, nil
	}
	var files []string
	if s == siteRound || s == siteRounds {
		all, err := b.siteFiles()
		if err != nil {
			return nil, err
		}
		files = pickSiteFiles(all, s, country, b.opt.Round)
	} else {
		var c any
		if country != "" {
			c = country
		}
		res, err := b.q.Query(b.ctx, flowFilesSQL[s], c)
		if err != nil {
			return nil, fmt.Errorf("report: source files of %s: %w", s, err)
		}
		files = make([]string, 0, len(res.Rows))
		for _, r := range res.Rows {
			files = append(files, sinks.FormatValue(r[0]))
		}
	}
	b.sources[key] = files
	return files, nil
}

// siteFiles reads the site assessment files of the report's country by
// round, once per report.
func (b *builder) siteFiles() ([]siteFile, error) {
	if b.siteFileList != nil {
		return *b.siteFileList, nil
	}
	if _, err := b.sites(); err != nil {
		return nil, err
	}
	res, err := b.q.Query(b.ctx, siteFilesSQL)
	if err != nil {
		return nil, fmt.Errorf("report: site assessment source files: %w", err)
	}
	f, err := newFrame("site files", res, "country_iso3", "round", "source_file")
	if err != nil {
		return nil, err
	}
	out := make([]siteFile, f.len())
	for i := range out {
		out[i] = siteFile{country: f.str(i, "country_iso3"), file: f.str(i, "source_file")}
		out[i].round, out[i].hasRound = f.int(i, "round")
	}
	b.siteFileList = &out
	return out, nil
}

// pickSiteFiles selects the files of a site scope in one country ("":
// every country): siteRounds, the files of rounds up to round (every round
// when 0); siteRound, the files of round, or of each country's latest round
// (NULL when the country's rows have no round, as site_rounds does).
func pickSiteFiles(all []siteFile, s rowScope, country string, round int64) []string {
	latest := map[string]*int64{}
	for _, sf := range all {
		if _, ok := latest[sf.country]; !ok {
			latest[sf.country] = nil
		}
		if sf.hasRound && (latest[sf.country] == nil || sf.round > *latest[sf.country]) {
			r := sf.round
			latest[sf.country] = &r
		}
	}
	set := map[string]bool{}
	for _, sf := range all {
		if country != "" && sf.country != country {
			continue
		}
		var in bool
		switch {
		case s == siteRounds:
			in = sf.hasRound && (round == 0 || sf.round <= round)
		case round > 0:
			in = sf.hasRound && sf.round == round
		default:
			l := latest[sf.country]
			in = (l == nil && !sf.hasRound) || (l != nil && sf.hasRound && sf.round == *l)
		}
		if in {
			set[sf.file] = true
		}
	}
	files := make([]string, 0, len(set))
	for f := range set {
		files = append(files, f)
	}
	sort.Strings(files)
	return files
}
