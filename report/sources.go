package report

import (
	"fmt"

	"github.com/iom-dtm/dtm/sinks"
)

// rowScope names the rows a chart's numbers come from, for its list of
// source files.
type rowScope string

const (
	// siteRound: site_assessment rows of the report's round (each
	// country's latest round, or Options.Round), as the site figures pick
	// them (the site_rounds macro).
	siteRound rowScope = "site-round"
	// siteRounds: site_assessment rows of every round up to the report's.
	siteRounds rowScope = "site-rounds"
	// flowRegistry, flowSurvey: the flow dataset's rows of the country.
	flowRegistry rowScope = "flow_registry"
	flowSurvey   rowScope = "flow_survey"
)

// sourceSQL lists the distinct source files of a row scope; $1 is the
// country (NULL: every country), $2, in the site scopes, the round (NULL:
// latest/every).
var sourceSQL = map[rowScope]string{
	siteRound: `SELECT DISTINCT source_file FROM site_rounds(CAST($1 AS VARCHAR), CAST($2 AS BIGINT), NULL, NULL)
		WHERE source_file IS NOT NULL ORDER BY 1`,
	siteRounds: `SELECT DISTINCT source_file FROM site_assessment
		WHERE round IS NOT NULL AND (CAST($1 AS VARCHAR) IS NULL OR country_iso3 = upper(CAST($1 AS VARCHAR)))
		  AND (CAST($2 AS BIGINT) IS NULL OR round <= CAST($2 AS BIGINT)) AND source_file IS NOT NULL ORDER BY 1`,
	flowRegistry: `SELECT DISTINCT source_file FROM flow_registry
		WHERE (CAST($1 AS VARCHAR) IS NULL OR country_iso3 = upper(CAST($1 AS VARCHAR)))
		  AND source_file IS NOT NULL ORDER BY 1`,
	flowSurvey: `SELECT DISTINCT source_file FROM flow_survey
		WHERE (CAST($1 AS VARCHAR) IS NULL OR country_iso3 = upper(CAST($1 AS VARCHAR)))
		  AND source_file IS NOT NULL ORDER BY 1`,
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
	var c any
	if country != "" {
		c = country
	}
	args := []any{c}
	if s == siteRound || s == siteRounds {
		args = append(args, b.roundArg())
	}
	res, err := b.db.Query(b.ctx, sourceSQL[s], args...)
	if err != nil {
		return nil, fmt.Errorf("report: source files of %s: %w", s, err)
	}
	files := make([]string, 0, len(res.Rows))
	for _, r := range res.Rows {
		files = append(files, sinks.FormatValue(r[0]))
	}
	b.sources[key] = files
	return files, nil
}
