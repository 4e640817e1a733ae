package query

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// The figure summary of a site_assessment source is a small Parquet file
// written next to the source's data files in the same commit (see
// internal/pipeline/summary.go) and named by its manifest entry
// (sinks.Source.Summary). It holds the source's rows pre-aggregated along
// the dimensions the site figures group by, so that a figure reads a few
// thousand summary rows instead of every site row:
//
//	part       'area':      country_iso3, round, admin1-3 p-code and name,
//	                        origin admin 1 p-code and name (idps, idp-trend, origins)
//	           'site_type': country_iso3, round, site_type (sites)
//	           'reasons':   country_iso3, round, displacement_reasons as
//	                        stored (reasons: the figure takes list_distinct
//	                        and unnests, as over the rows)
//	           'sadd':      country_iso3, round, one SADD cell's group, sex,
//	                        age_min, age_max (sadd)
//	sites                   rows (cells for 'sadd') of the group
//	idp_households, idp_individuals   sums of the group's rows (NULL when
//	                        all are NULL, as sum() over the rows)
//	sadd_count              sum of the cells' count ('sadd')
//
// Every row of the source is in exactly one 'area', one 'site_type' and
// one 'reasons' group, so sums of the summaries of every source equal the
// sums over the rows, and count(*) the sum of sites. Assessment dates are
// not a dimension (they would make the summary nearly as long as the
// data): a figure given from/to reads the rows.

// SummaryVersion is the layout version of the figure summaries this
// build writes and reads; a source whose summary has another version (or
// none: warehouses written before summaries existed) makes the figures
// read the rows.
const SummaryVersion = 1

// summaryMemory is DuckDB's memory limit while it writes a summary.
const summaryMemory = "64MB"

// summaryView is the view over every committed summary.
const summaryView = "_dtm_site_summary"

// summarySelect is the summary of the rows of relation {rel} (every
// stored site_assessment column present).
const summarySelect = `SELECT CASE WHEN grouping(admin1_pcode) = 0 THEN 'area'
            WHEN grouping(site_type) = 0 THEN 'site_type' ELSE 'reasons' END AS part,
       country_iso3, "round",
       admin1_pcode, admin1_name, admin2_pcode, admin2_name, admin3_pcode, admin3_name,
       origin_admin1_pcode, origin_admin1_name, site_type, displacement_reasons,
       CAST(NULL AS VARCHAR) AS sadd_group, CAST(NULL AS VARCHAR) AS sex,
       CAST(NULL AS INTEGER) AS age_min, CAST(NULL AS INTEGER) AS age_max,
       count(*) AS sites,
       CAST(sum(idp_households) AS BIGINT) AS idp_households,
       CAST(sum(idp_individuals) AS BIGINT) AS idp_individuals,
       CAST(NULL AS BIGINT) AS sadd_count
FROM {rel}
GROUP BY GROUPING SETS (
    (country_iso3, "round", admin1_pcode, admin1_name, admin2_pcode, admin2_name, admin3_pcode, admin3_name,
     origin_admin1_pcode, origin_admin1_name),
    (country_iso3, "round", site_type),
    (country_iso3, "round", displacement_reasons))
UNION ALL
SELECT 'sadd', country_iso3, "round", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       c."group", c.sex, c.age_min, c.age_max,
       count(*), NULL, NULL, CAST(sum(c.count) AS BIGINT)
FROM (SELECT country_iso3, "round", unnest(sadd) AS c FROM {rel} WHERE len(sadd) > 0)
GROUP BY ALL`

// SummaryWriter writes figure summaries (SummaryVersion) in its own
// in-memory DuckDB, opened once for every summary of a commit. Not safe
// for concurrent use; Close it.
type SummaryWriter struct {
	db    *sql.DB
	empty string // a typed, empty relation with every stored column
}

// NewSummaryWriter opens the DuckDB that writes summaries of reg's
// site_assessment rows.
func NewSummaryWriter(ctx context.Context, reg *schemas.Registry) (*SummaryWriter, error) {
	ds, err := reg.Lookup(siteRoundDataset)
	if err != nil {
		return nil, fmt.Errorf("figure summary: %w", err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("figure summary: opening duckdb: %w", err)
	}
	db.SetMaxOpenConns(1)
	// The summary runs inside an ingest, whose memory bound it shares: a
	// few thousand groups need little, and DuckDB spills past the limit.
	if _, err := db.ExecContext(ctx, "SET memory_limit = '"+summaryMemory+"'"); err != nil {
		db.Close()
		return nil, fmt.Errorf("figure summary: %w", err)
	}
	return &SummaryWriter{db: db, empty: emptyRelation(ds)}, nil
}

// emptyRelation is a typed, empty relation with every stored column of ds.
func emptyRelation(ds *schemas.Dataset) string {
	fields := ds.StoredFields()
	cols := make([]string, len(fields))
	for i, f := range fields {
		cols[i] = fmt.Sprintf("CAST(NULL AS %s) AS %s", f.Kind.DuckDBType(), quoteIdent(f.Name))
	}
	return "SELECT " + strings.Join(cols, ", ") + " WHERE false"
}

// Close closes the writer's DuckDB.
func (w *SummaryWriter) Close() error { return w.db.Close() }

// Write writes the figure summary of the site_assessment rows held by the
// Parquet files at paths to the new Parquet file out, its rows sorted by
// their group (the same rows give the same file). A column that the files
// lack reads as NULL, as in the views.
func (w *SummaryWriter) Write(ctx context.Context, paths []string, out string) error {
	if len(paths) == 0 {
		return fmt.Errorf("figure summary: no files")
	}
	lits := make([]string, len(paths))
	for i, p := range paths {
		lits[i] = quoteLiteral(p)
	}
	files := fmt.Sprintf("read_parquet([%s], union_by_name = true, hive_partitioning = false)", strings.Join(lits, ", "))
	// The group columns identify a row: sorting by them (not ORDER BY
	// ALL, several times slower on small inputs) fixes the order.
	copyTo := func(rel string) error {
		_, err := w.db.ExecContext(ctx, fmt.Sprintf(`COPY (SELECT * FROM (%s) ORDER BY part, country_iso3, "round", admin1_pcode, admin1_name,
    admin2_pcode, admin2_name, admin3_pcode, admin3_name, origin_admin1_pcode, origin_admin1_name, site_type,
    displacement_reasons, sadd_group, sex, age_min, age_max) TO %s (FORMAT parquet, COMPRESSION zstd)`,
			strings.ReplaceAll(summarySelect, "{rel}", rel), quoteLiteral(out)))
		return err
	}
	// Files written by this dtm have every column; older ones may lack
	// some, which the union with a typed empty relation (slower to plan)
	// then reads as NULL.
	if err := copyTo(files); err == nil {
		return nil
	}
	if err := copyTo(fmt.Sprintf("(SELECT * FROM %s UNION ALL BY NAME %s)", files, w.empty)); err != nil {
		return fmt.Errorf("figure summary of %d files: %w", len(paths), err)
	}
	return nil
}

// WriteSiteSummary is SummaryWriter.Write in a DuckDB of its own.
func WriteSiteSummary(ctx context.Context, reg *schemas.Registry, paths []string, out string) error {
	w, err := NewSummaryWriter(ctx, reg)
	if err != nil {
		return err
	}
	defer w.Close()
	return w.Write(ctx, paths, out)
}

// summaryFiles splits the site_assessment sources of m for the
// figures: the summary files of those that have one of SummaryVersion,
// and the data files of the others (small sources: see
// SummaryMinRows), whose rows the summary view aggregates when read. ok
// is false, and the figures read the rows, when no source has a summary
// (a warehouse written before summaries existed, or of small sources
// only) or when a source replaces site-rounds of others (the view then
// drops rows by comparing sources, which per-source sums cannot follow).
func summaryFiles(m *sinks.Manifest) (summaries, rows []string, ok bool) {
	for _, s := range m.Sources {
		if s.Dataset != siteRoundDataset {
			continue
		}
		if s.Replaces != "" {
			return nil, nil, false
		}
		if s.Summary != "" && s.SummaryVersion == SummaryVersion {
			summaries = append(summaries, s.Summary)
		} else {
			rows = append(rows, s.Files...)
		}
	}
	sort.Strings(summaries)
	sort.Strings(rows)
	return summaries, rows, len(summaries) > 0
}

// SummaryMinRows is the default least number of rows of a source that
// gets a figure summary at its commit: a smaller source's rows are
// aggregated when the figures read them (a few milliseconds), which is
// cheaper than a summary's fixed cost at every commit.
const SummaryMinRows = 50_000

// createSummaryView creates the view over the committed summaries (and
// the rows of the sources without one, aggregated alike) and the macro
// the summary figures select with, when the figures can read summaries
// (summaryFiles).
func (d *DB) createSummaryView(ctx context.Context, reg *schemas.Registry) error {
	files, rows, ok := summaryFiles(d.manifest)
	if !ok {
		return nil
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = quoteLiteral(d.filePath(f))
	}
	view := fmt.Sprintf("SELECT * FROM read_parquet([%s], union_by_name = true, hive_partitioning = false)", strings.Join(paths, ", "))
	if len(rows) > 0 {
		ds, err := reg.Lookup(siteRoundDataset)
		if err != nil {
			return fmt.Errorf("creating the figure summary view: %w", err)
		}
		lits := make([]string, len(rows))
		for i, f := range rows {
			lits[i] = quoteLiteral(d.filePath(f))
		}
		rel := fmt.Sprintf("(SELECT * FROM read_parquet([%s], union_by_name = true, hive_partitioning = false) UNION ALL BY NAME %s)",
			strings.Join(lits, ", "), emptyRelation(ds))
		view += " UNION ALL BY NAME SELECT * FROM (" + strings.ReplaceAll(summarySelect, "{rel}", rel) + ")"
	}
	stmts := []string{
		fmt.Sprintf("CREATE OR REPLACE VIEW %s AS %s", summaryView, view),
		// site_summary is site_rounds (macros.go) over the summary rows of
		// one part: the rows' latest round per country is the largest
		// round of the country's 'area' rows, which hold every row once.
		`CREATE OR REPLACE MACRO site_summary(prt, country, rnd) AS TABLE
	SELECT s.*
	FROM ` + summaryView + ` s
	JOIN (SELECT country_iso3, max("round") AS latest_round
	      FROM ` + summaryView + `
	      WHERE part = 'area' AND (country IS NULL OR country_iso3 = upper(country))
	      GROUP BY country_iso3) l USING (country_iso3)
	WHERE s.part = prt
	  AND (country IS NULL OR s.country_iso3 = upper(country))
	  AND CASE WHEN rnd IS NULL THEN s."round" IS NOT DISTINCT FROM l.latest_round ELSE s."round" = rnd END`,
	}
	for _, st := range stmts {
		if _, err := d.sql.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("creating the figure summary view: %w", err)
		}
	}
	d.summary = true
	return nil
}

// HasFigureSummary reports whether the warehouse's figure summaries are
// read by the site figures (see summaryFiles), and not turned off with
// UseFigureSummary.
func (d *DB) HasFigureSummary() bool { return d.summary && !d.noSummary }

// UseFigureSummary turns the reading of figure summaries on (the
// default) or off: off, every figure reads the rows, as on a warehouse
// without summaries (the bench and the tests compare both ways).
func (d *DB) UseFigureSummary(on bool) { d.noSummary = !on }

// figureFor is the SQL that runs figure f with params: its summary
// variant when the DB reads summaries, f has one, and neither from nor
// to is given; else f.SQL.
func (d *DB) figureFor(f Figure, params map[string]string) Figure {
	if !d.HasFigureSummary() || f.SummarySQL == "" || params["from"] != "" || params["to"] != "" {
		return f
	}
	f.SQL = f.SummarySQL
	return f
}
