package query

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// A site-round is one site's assessment in one round: the same
// (country, assessment type, round, site) in two inputs is the same
// observation published twice. The site is its id when the row has one,
// else its admin p-codes and its name (lower-cased, outer spaces trimmed).
// SiteRoundKey (Go, for rows being converted) and siteRoundKeySQL (DuckDB,
// for committed rows) give the same text for the same row: "" (NULL) for a
// row without a round or without both site id and site name, else
//
//	COUNTRY|TYPE|ROUND|id:SITE_ID
//	COUNTRY|TYPE|ROUND|name:A1/A2/A3/A4/site name

// siteRoundDataset is the dataset whose rows are site-rounds.
const siteRoundDataset = "site_assessment"

// SiteRoundKey is the site-round key of a row ("" when it has none).
func SiteRoundKey(country, assessmentType string, round int64, siteID string, pcodes [4]string, siteName string) string {
	return string(AppendSiteRoundKey(nil, country, assessmentType, round, siteID, pcodes, siteName))
}

// AppendSiteRoundKey appends the site-round key of a row to dst (nothing
// when it has none), so that a caller keying many rows reuses one buffer.
// The key is country|type|round|id:SITE_ID, or, without a site id,
// country|type|round|name:P1/P2/P3/P4/lower-cased trimmed site name; the
// SQL of siteRoundKeyTemplate gives the same bytes.
func AppendSiteRoundKey(dst []byte, country, assessmentType string, round int64, siteID string, pcodes [4]string, siteName string) []byte {
	name := ""
	if siteID == "" {
		if name = strings.Trim(siteName, " "); name == "" {
			return dst
		}
	}
	dst = append(dst, country...)
	dst = append(dst, '|')
	dst = append(dst, assessmentType...)
	dst = append(dst, '|')
	dst = strconv.AppendInt(dst, round, 10)
	dst = append(dst, '|')
	if siteID != "" {
		dst = append(dst, "id:"...)
		return append(dst, siteID...)
	}
	dst = append(dst, "name:"...)
	for _, p := range pcodes {
		dst = append(dst, p...)
		dst = append(dst, '/')
	}
	return append(dst, strings.ToLower(name)...)
}

// siteRoundKeyTemplate is SiteRoundKey over the columns of
// site_assessment, each column prefixed by {t} (a table alias and a dot,
// or nothing): see siteRoundKeyOf.
const siteRoundKeyTemplate = `CASE
    WHEN {t}"round" IS NULL THEN NULL
    WHEN coalesce({t}site_id, '') <> '' THEN
        coalesce({t}country_iso3, '') || '|' || coalesce({t}assessment_type, '') || '|' || CAST({t}"round" AS VARCHAR) || '|id:' || {t}site_id
    WHEN coalesce(trim({t}site_name), '') <> '' THEN
        coalesce({t}country_iso3, '') || '|' || coalesce({t}assessment_type, '') || '|' || CAST({t}"round" AS VARCHAR) || '|name:' ||
        coalesce({t}admin1_pcode, '') || '/' || coalesce({t}admin2_pcode, '') || '/' || coalesce({t}admin3_pcode, '') || '/' ||
        coalesce({t}admin4_pcode, '') || '/' || lower(trim({t}site_name))
END`

// siteRoundKeyOf is the SQL of SiteRoundKey over the columns of table
// alias ("" for unqualified columns).
func siteRoundKeyOf(alias string) string {
	if alias != "" {
		alias += "."
	}
	return strings.ReplaceAll(siteRoundKeyTemplate, "{t}", alias)
}

// siteRoundKeySQL is SiteRoundKey over unqualified columns.
var siteRoundKeySQL = siteRoundKeyOf("")

// SiteRound is a site-round of committed rows: its key, the source file
// and the first source row holding it.
type SiteRound struct {
	Key, File, Sheet string
	Row              int64
}

// SiteRounds calls fn with each distinct (site-round, source file) of the
// committed site_assessment rows of the given source files whose country
// and round are among those given (nil: any) and, when only is not nil,
// whose key is one of only, in key order. With only, DuckDB holds only
// those keys (a table of them, joined to the rows), not every committed
// site-round: at 10 M committed rows, grouping them all took it past
// 2 GB.
func (d *DB) SiteRounds(ctx context.Context, files, countries []string, rounds []int64, only []string, fn func(SiteRound) error) error {
	if len(files) == 0 || (only != nil && len(only) == 0) {
		return nil
	}
	keyFilter := ""
	if only != nil {
		if err := d.loadSiteRoundKeys(ctx, only); err != nil {
			return err
		}
		defer d.sql.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+onlyKeysTable)
		keyFilter = " AND k IN (SELECT k FROM " + onlyKeysTable + ")"
	}
	var args []any
	in := func(n int) string {
		return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
	}
	where := "source_file IN (" + in(len(files)) + ")"
	for _, f := range files {
		args = append(args, f)
	}
	if countries != nil {
		where += " AND country_iso3 IN (" + in(max(1, len(countries))) + ")"
		if len(countries) == 0 {
			args = append(args, "")
		}
		for _, c := range countries {
			args = append(args, c)
		}
	}
	if rounds != nil {
		where += ` AND "round" IN (` + in(max(1, len(rounds))) + ")"
		if len(rounds) == 0 {
			args = append(args, int64(-1<<62))
		}
		for _, r := range rounds {
			args = append(args, r)
		}
	}
	stmt := fmt.Sprintf(`SELECT k, source_file, arg_min(coalesce(source_sheet, ''), source_row), min(source_row)
FROM (SELECT %s AS k, source_file, source_sheet, source_row FROM site_assessment WHERE %s)
WHERE k IS NOT NULL%s GROUP BY k, source_file ORDER BY k, source_file`, siteRoundKeySQL, where, keyFilter)
	rows, err := d.sql.QueryContext(ctx, stmt, args...)
	if err != nil {
		return fmt.Errorf("reading the committed site-rounds: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sr SiteRound
		if err := rows.Scan(&sr.Key, &sr.File, &sr.Sheet, &sr.Row); err != nil {
			return fmt.Errorf("reading the committed site-rounds: %w", err)
		}
		if err := fn(sr); err != nil {
			return err
		}
	}
	return rows.Err()
}

// onlyKeysTable holds the keys of SiteRounds' only argument.
const onlyKeysTable = "dtm_only_site_rounds"

// loadSiteRoundKeys fills onlyKeysTable with keys, in statements of at
// most 1000 values.
func (d *DB) loadSiteRoundKeys(ctx context.Context, keys []string) error {
	if _, err := d.sql.ExecContext(ctx, "CREATE OR REPLACE TABLE "+onlyKeysTable+" (k VARCHAR)"); err != nil {
		return fmt.Errorf("reading the committed site-rounds: %w", err)
	}
	const batch = 1000
	args := make([]any, 0, batch)
	for start := 0; start < len(keys); start += batch {
		part := keys[start:min(start+batch, len(keys))]
		args = args[:0]
		for _, k := range part {
			args = append(args, k)
		}
		stmt := "INSERT INTO " + onlyKeysTable + " VALUES " + strings.TrimSuffix(strings.Repeat("(?), ", len(part)), ", ")
		if _, err := d.sql.ExecContext(ctx, stmt, args...); err != nil {
			return fmt.Errorf("reading the committed site-rounds: %w", err)
		}
	}
	return nil
}

// replacingView is the site_assessment view when some committed inputs
// declare `replaces: round` (replacing maps their source file to the run
// that committed it): of a site-round that a replacing input holds, only
// the rows of the newest input holding it are kept, so figures count each
// site-round once. "Newer" (per site-round): the later reporting date
// (else assessment date) of the input's rows of it, then the later commit
// (run id; a replacing input before a non-replacing one), then the later
// file name. Rows without a site-round key, and site-rounds that no
// replacing input holds, are all kept (cross-source-duplicate warnings
// tell of the latter).
func (d *DB) replacingView(name string, files []string, replacing map[string]string) string {
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = quoteLiteral(d.filePath(f))
	}
	srcs := make([]string, 0, len(replacing))
	for f := range replacing {
		srcs = append(srcs, f)
	}
	sort.Strings(srcs)
	var runCase strings.Builder
	runCase.WriteString("CASE source_file")
	lits := make([]string, len(srcs))
	for i, f := range srcs {
		fmt.Fprintf(&runCase, " WHEN %s THEN %s", quoteLiteral(f), quoteLiteral(replacing[f]))
		lits[i] = quoteLiteral(f)
	}
	runCase.WriteString(" ELSE '' END")
	// A non-replacing input's commit order is not known here: '' sorts
	// first, so on a date tie the replacing input is the newer one.
	// best holds, per site-round held by several inputs of which one
	// replaces, the newest input's file; its key columns are read apart
	// (a second, narrow scan) and the rows of the other inputs of those
	// site-rounds are left out by an anti-join: a window over every row
	// was 3 times slower on 600 k rows.
	return fmt.Sprintf(`CREATE OR REPLACE VIEW %[1]s AS
WITH best AS (
    SELECT _dtm_k, arg_max(source_file, struct_pack(d := d, r := r, f := source_file)) AS keep
    FROM (SELECT _dtm_k, source_file,
                 coalesce(max(coalesce(reporting_date, assessment_date)), DATE '0001-01-01') AS d,
                 %[3]s AS r,
                 source_file IN (%[4]s) AS repl
          FROM (SELECT %[5]s AS _dtm_k, source_file, reporting_date, assessment_date
                FROM read_parquet([%[2]s], union_by_name = true, hive_partitioning = false))
          WHERE _dtm_k IS NOT NULL
          GROUP BY _dtm_k, source_file)
    GROUP BY _dtm_k
    HAVING count(*) > 1 AND bool_or(repl)
)
SELECT s.* FROM read_parquet([%[2]s], union_by_name = true, hive_partitioning = false) s
ANTI JOIN best b ON b._dtm_k = (%[6]s) AND s.source_file <> b.keep`,
		quoteIdent(name), strings.Join(paths, ", "), runCase.String(), strings.Join(lits, ", "), siteRoundKeySQL, siteRoundKeyOf("s"))
}
