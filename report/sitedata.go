package report

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/iom-dtm/dtm/query"
)

// The site assessment charts read the dataset through two aggregates
// materialised once per report on the report's connection (temporary
// tables), and three pruned scans of the report round's rows, instead of
// one or two full scans per chart (the figures' site_rounds macro scans
// the dataset twice). On a 10 M-row warehouse that is the difference
// between seconds and tens of seconds (internal/bench times it).
//
//   - report_site_rounds: every row of the report's country, grouped by
//     country, round and source file (and admin 1 for a one-country
//     report, whose trend has one line per admin 1 area): sites, IDP
//     households and individuals. The trend, the headline, each country's
//     latest round and the source file lists come from it.
//   - report_site_areas: the rows of the report's round (roundFilter)
//     grouped by country, admin 1, admin 2 and round, with the rows that
//     have usable coordinates counted: the admin 1 and 2 bars and the site
//     counts come from it.
//     Its groups are also split by list of displacement reasons, so the
//     reasons chart comes from it too, and it keeps each group's largest
//     IDP counts of located sites, from which the site plot's threshold is
//     taken.
//   - the SADD figure is run over the round's rows as its own SQL (the
//     figure text, with its site_rounds call replaced by the round's
//     rows), and the site plot's top sites are read with the same filter
//     and the threshold (only the rows that can be plotted).
//
// The round's rows are chosen by a filter of constants (each country's
// latest round, read from report_site_rounds, or Options.Round), which
// DuckDB pushes into the Parquet scan: files and row groups of other
// countries and rounds are skipped by their statistics.
//
// Every number is the figure's: the aggregates sum partial counts and sums
// (exact for integers; NULL stays NULL), and TestReportEqualsFigures checks
// each chart against the named figures in several scopes.

// siteRoundsTable and siteAreasTable are the temporary tables.
const (
	siteRoundsTable = "report_site_rounds"
	siteAreasTable  = "report_site_areas"
)

// siteRoundsSQL builds report_site_rounds; %s is the admin 1 columns
// (real or NULL) and %s the country condition.
const siteRoundsSQL = `CREATE OR REPLACE TEMP TABLE ` + siteRoundsTable + ` AS
SELECT country_iso3, %s round, source_file,
       count(*) AS sites,
       sum(idp_households) AS idp_households,
       sum(idp_individuals) AS idp_individuals
FROM site_assessment %s
GROUP BY ALL`

// siteAreasSQL builds report_site_areas: %[1]s is the round filter,
// %[2]d the cap of the site plot. The rows are grouped by area and by
// their list of displacement reasons (few distinct lists), so that the
// reasons chart reads the same table; top_idps is each group's largest
// IDP counts of located sites, from which the site plot's threshold comes.
const siteAreasSQL = `CREATE OR REPLACE TEMP TABLE ` + siteAreasTable + ` AS
SELECT country_iso3, admin1_pcode, admin1_name, admin2_pcode, admin2_name, round,
       displacement_reasons,
       count(*) AS sites,
       sum(idp_households) AS idp_households,
       sum(idp_individuals) AS idp_individuals,
       count(*) FILTER (WHERE latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180) AS located,
       max(idp_individuals, %[2]d) FILTER (WHERE latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
                                           AND idp_individuals IS NOT NULL) AS top_idps
FROM site_assessment
WHERE %[1]s
GROUP BY ALL`

// reasonsSQL is figure reasons (no date bounds) over report_site_areas:
// the figure's per-site rule (each distinct reason of a site counts the
// site once; a site giving none is under NULL) applied to each group of
// sites sharing one list of reasons.
const reasonsSQL = `WITH f AS (
    SELECT country_iso3, round, sites, idp_households, idp_individuals,
           list_distinct(displacement_reasons) AS reasons
    FROM ` + siteAreasTable + `
),
per_reason AS (
    SELECT country_iso3, round, sites, idp_households, idp_individuals,
           unnest(CASE WHEN len(coalesce(reasons, [])) = 0 THEN [NULL::VARCHAR] ELSE reasons END) AS displacement_reason
    FROM f
)
SELECT country_iso3, round, displacement_reason,
       CAST(sum(sites) AS BIGINT) AS sites,
       sum(idp_households) AS idp_households,
       sum(idp_individuals) AS idp_individuals
FROM per_reason
GROUP BY ALL
ORDER BY country_iso3, round, idp_individuals DESC NULLS LAST, displacement_reason NULLS LAST`

// siteThresholdSQL is how many of the site plot's cap (?) located sites
// have an IDP count, and the smallest of the largest that many counts:
// when the cap is reached, every plotted site has at least that many IDPs,
// and the plot's query reads only those rows.
const siteThresholdSQL = `SELECT count(*) AS n, min(v) AS threshold FROM (
    SELECT unnest(top_idps) AS v FROM ` + siteAreasTable + ` ORDER BY v DESC LIMIT ?)`

// latestRoundsSQL is each country's latest round (NULL when its rows have
// no round number), as the site_rounds macro picks it; rows without a
// country are in no country's round (the macro's join drops them).
const latestRoundsSQL = `SELECT country_iso3, max(round) AS latest_round FROM ` + siteRoundsTable + `
WHERE country_iso3 IS NOT NULL GROUP BY 1 ORDER BY 1`

// trendSQL is figure idp-trend (country or admin 1 level, no date bounds)
// over report_site_rounds: %s is 1 for admin 1, 0 for country level.
const trendSQL = `WITH agg AS (
    SELECT country_iso3,
           CASE WHEN %[1]d >= 1 THEN admin1_pcode END AS admin1_pcode,
           CASE WHEN %[1]d >= 1 THEN admin1_name END AS admin1_name,
           round,
           CAST(sum(sites) AS BIGINT) AS sites,
           sum(idp_households) AS idp_households,
           sum(idp_individuals) AS idp_individuals
    FROM ` + siteRoundsTable + `
    WHERE round IS NOT NULL
    GROUP BY ALL
),
rounds AS (
    SELECT country_iso3, round,
           lag(round) OVER (PARTITION BY country_iso3 ORDER BY round) AS previous_round
    FROM (SELECT DISTINCT country_iso3, round FROM agg)
)
SELECT a.country_iso3, a.admin1_pcode, a.admin1_name, a.round,
       a.sites, a.idp_households, a.idp_individuals,
       r.previous_round,
       b.idp_individuals AS previous_idp_individuals,
       a.idp_individuals - b.idp_individuals AS change_individuals,
       CASE WHEN b.idp_individuals > 0
            THEN round(100.0 * (a.idp_individuals - b.idp_individuals) / b.idp_individuals, 1)
       END AS change_pct
FROM agg a
JOIN rounds r ON r.country_iso3 = a.country_iso3 AND r.round = a.round
LEFT JOIN agg b
       ON b.country_iso3 = a.country_iso3
      AND b.round = r.previous_round
      AND b.admin1_pcode IS NOT DISTINCT FROM a.admin1_pcode
      AND b.admin1_name IS NOT DISTINCT FROM a.admin1_name
ORDER BY 1, 2 NULLS LAST, 3 NULLS LAST, 4`

// areasSQL is figure idps (admin level 1 or 2, no date bounds) over
// report_site_areas: %d is the level.
const areasSQL = `SELECT country_iso3, admin1_pcode, admin1_name,
       CASE WHEN %[1]d >= 2 THEN admin2_pcode END AS admin2_pcode,
       CASE WHEN %[1]d >= 2 THEN admin2_name END AS admin2_name,
       round,
       CAST(sum(sites) AS BIGINT) AS sites,
       sum(idp_households) AS idp_households,
       sum(idp_individuals) AS idp_individuals
FROM ` + siteAreasTable + `
GROUP BY ALL
ORDER BY 1, 2 NULLS LAST, 3 NULLS LAST, 4 NULLS LAST, 5 NULLS LAST, 6 NULLS LAST`

// siteCountSQL counts the round's rows, and those with usable coordinates.
const siteCountSQL = `SELECT CAST(coalesce(sum(sites), 0) AS BIGINT) AS rows_in_round,
       CAST(coalesce(sum(located), 0) AS BIGINT) AS located
FROM ` + siteAreasTable

// siteRoundsCall is how the site figures (sadd, reasons) read the rows of
// their round; roundFigure replaces it with the report round's rows.
const siteRoundsCall = "site_rounds(CAST($country AS VARCHAR), CAST($round AS BIGINT), CAST($from AS DATE), CAST($to AS DATE))"

// siteData is what the report knows of its site assessment rows once the
// aggregates are built.
type siteData struct {
	// latest is each country's latest round (nil: its rows have no round).
	latest map[string]*int64
	// countries are latest's keys, sorted.
	countries []string
	// filter selects the report round's rows (SQL over site_assessment,
	// with args); "false" when there are none.
	filter string
	args   []any
}

// sites builds the aggregates on the first call; later calls return them.
func (b *builder) sites() (*siteData, error) {
	if b.site != nil {
		return b.site, nil
	}
	a1 := "CAST(NULL AS VARCHAR) AS admin1_pcode, CAST(NULL AS VARCHAR) AS admin1_name,"
	where := ""
	var args []any
	if !b.multiCountry() {
		a1 = "admin1_pcode, admin1_name,"
		where = "WHERE country_iso3 = ?"
		args = append(args, b.opt.Country)
	}
	b.temps = append(b.temps, siteRoundsTable)
	if err := b.q.Exec(b.ctx, fmt.Sprintf(siteRoundsSQL, a1, where), args...); err != nil {
		return nil, fmt.Errorf("report: aggregating site assessment rounds: %w", err)
	}
	res, err := b.q.Query(b.ctx, latestRoundsSQL)
	if err != nil {
		return nil, fmt.Errorf("report: latest rounds: %w", err)
	}
	sd := &siteData{latest: map[string]*int64{}}
	for _, r := range res.Rows {
		c, ok := r[0].(string)
		if !ok {
			continue
		}
		sd.countries = append(sd.countries, c)
		if n, ok := toInt(r[1]); ok {
			sd.latest[c] = &n
		} else {
			sd.latest[c] = nil
		}
	}
	sd.filter, sd.args = roundFilter(sd, b.opt)
	b.temps = append(b.temps, siteAreasTable)
	if err := b.q.Exec(b.ctx, fmt.Sprintf(siteAreasSQL, sd.filter, b.opt.MaxSites), sd.args...); err != nil {
		return nil, fmt.Errorf("report: aggregating the round's site rows by area: %w", err)
	}
	b.site = sd
	return sd, nil
}

// roundFilter is the SQL condition (and its arguments) selecting the rows
// of the report's round, as site_rounds(country, round) selects them: with
// Options.Round, the rows of that round (of the report's country);
// otherwise each country's rows of its latest round, or its rows without a
// round when it has none. Only constants: DuckDB prunes Parquet files and
// row groups of other countries and rounds by their statistics.
func roundFilter(sd *siteData, opt Options) (string, []any) {
	if opt.Round > 0 {
		if opt.Country != "" {
			return "(country_iso3 = ? AND round = ?)", []any{opt.Country, opt.Round}
		}
		return "(country_iso3 IS NOT NULL AND round = ?)", []any{opt.Round}
	}
	var parts []string
	var args []any
	for _, c := range sd.countries {
		if l := sd.latest[c]; l != nil {
			parts = append(parts, "(country_iso3 = ? AND round = ?)")
			args = append(args, c, *l)
		} else {
			parts = append(parts, "(country_iso3 = ? AND round IS NULL)")
			args = append(args, c)
		}
	}
	if len(parts) == 0 {
		return "false", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// trendRows is figure idp-trend at country (0) or admin 1 (1) level for
// the report's country, every round; cached for the report.
func (b *builder) trendRows(level int) (*query.Result, error) {
	key := fmt.Sprintf("idp-trend?admin_level=%d", level)
	if res, ok := b.figures[key]; ok {
		return res, nil
	}
	if _, err := b.sites(); err != nil {
		return nil, err
	}
	res, err := b.q.Query(b.ctx, fmt.Sprintf(trendSQL, level))
	if err != nil {
		return nil, fmt.Errorf("report: IDPs over rounds: %w", err)
	}
	b.figures[key] = res
	return res, nil
}

// areaRows is figure idps at admin level 1 or 2 in the report's round.
func (b *builder) areaRows(level int) (*query.Result, error) {
	if _, err := b.sites(); err != nil {
		return nil, err
	}
	res, err := b.q.Query(b.ctx, fmt.Sprintf(areasSQL, level))
	if err != nil {
		return nil, fmt.Errorf("report: IDPs by admin %d: %w", level, err)
	}
	return res, nil
}

// reasonRows is figure reasons in the report's round.
func (b *builder) reasonRows() (*query.Result, error) {
	if _, err := b.sites(); err != nil {
		return nil, err
	}
	res, err := b.q.Query(b.ctx, reasonsSQL)
	if err != nil {
		return nil, fmt.Errorf("report: IDPs by displacement reason: %w", err)
	}
	return res, nil
}

// roundFigure runs a site figure that reads its rows through site_rounds
// (sadd, reasons) over the report round's rows: the figure's own SQL, with
// the macro call replaced by those rows. A figure that no longer reads
// site_rounds so (or that suppresses) is an error, not a silent change.
func (b *builder) roundFigure(name string) (*query.Result, error) {
	sd, err := b.sites()
	if err != nil {
		return nil, err
	}
	fig, err := query.LookupFigure(name)
	if err != nil {
		return nil, err
	}
	if strings.Count(fig.SQL, siteRoundsCall) != 1 || fig.Suppress != "" {
		return nil, fmt.Errorf("report: figure %s does not read its rows through %s once (the report runs it over the round's rows)", name, siteRoundsCall)
	}
	stmt := strings.Replace(fig.SQL, siteRoundsCall, "(SELECT * FROM site_assessment WHERE "+sd.filter+")", 1)
	res, err := b.q.Query(b.ctx, stmt, sd.args...)
	if err != nil {
		return nil, fmt.Errorf("report: figure %s: %w", name, err)
	}
	return res, nil
}

// dropTemps drops the report's temporary tables, which would otherwise
// live as long as the pooled connection. It runs even when the report's
// context is done.
func (b *builder) dropTemps() {
	ctx := context.WithoutCancel(b.ctx)
	sort.Strings(b.temps)
	for i, t := range b.temps {
		if i > 0 && b.temps[i-1] == t {
			continue
		}
		_ = b.q.Exec(ctx, "DROP TABLE IF EXISTS temp."+t) // best effort: CREATE OR REPLACE next time
	}
	b.temps = nil
}
