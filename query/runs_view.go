package query

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// runsColumns are the columns of the `runs` view, one row per run-results
// document in <warehouse>/_dtm/runs/ (`dtm schema runs` documents them).
// A document that lacks a column (written by an older dtm) gives NULL.
var runsColumns = [][2]string{
	{"run_id", "VARCHAR"}, {"command", "VARCHAR"}, {"dtm_version", "VARCHAR"},
	{"started_at", "TIMESTAMPTZ"}, {"ended_at", "TIMESTAMPTZ"}, {"status", "VARCHAR"},
	{"exit_code", "INTEGER"}, {"dry_run", "BOOLEAN"}, {"committed", "BOOLEAN"},
	{"generation", "BIGINT"}, {"warehouse", "VARCHAR"}, {"concurrency", "INTEGER"},
	{"rows_in", "BIGINT"}, {"rows_written", "BIGINT"}, {"rows_rejected", "BIGINT"},
	{"rows_skipped", "BIGINT"}, {"by_source", "JSON"}, {"sources", "JSON"},
	{"pruned", "JSON"}, {"notes", "JSON"}, {"removed", "JSON"}, {"error", "VARCHAR"},
}

func (d *DB) runsView() string {
	files, _ := filepath.Glob(filepath.Join(d.root, "_dtm", "runs", "*.json"))
	sort.Strings(files)
	if len(files) == 0 {
		cols := make([]string, len(runsColumns))
		for i, c := range runsColumns {
			cols[i] = fmt.Sprintf("CAST(NULL AS %s) AS %s", c[1], c[0])
		}
		return "CREATE OR REPLACE VIEW runs AS SELECT " + strings.Join(cols, ", ") + " WHERE false"
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = quoteLiteral(f)
	}
	cols := make([]string, len(runsColumns))
	for i, c := range runsColumns {
		cols[i] = fmt.Sprintf("%s: '%s'", c[0], c[1])
	}
	return fmt.Sprintf("CREATE OR REPLACE VIEW runs AS SELECT * FROM read_json([%s], format = 'auto', columns = {%s}, ignore_errors = true) ORDER BY started_at, run_id",
		strings.Join(paths, ", "), strings.Join(cols, ", "))
}
