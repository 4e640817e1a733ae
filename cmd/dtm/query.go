package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/spf13/cobra"
)

func (a *app) queryCmd() *cobra.Command {
	var format, out string
	var explain, allowFiles bool
	cmd := &cobra.Command{
		Use:   "query [--format table|csv|json|jsonl|parquet] [--out FILE] [--explain] SQL",
		Short: "Run SQL over the warehouse views (datasets, rejects, runs)",
		Long: `Run one SQL statement (DuckDB dialect) over the warehouse views: one per
dataset (site_assessment, flow_registry, flow_survey, displacement_admin),
rejects and runs. Output: an aligned table (default), csv, json (array),
jsonl (one object per line) or parquet (needs --out). --explain shows
DuckDB's query plan instead of running the query. A statement DuckDB
cannot parse or bind exits with code 2 and DuckDB's message.

DuckDB is locked to the warehouse: the statement reads the views (and
files under the warehouse directory) and nothing else: no other file, no
network, no extension loading, no SET that lifts the lock. --allow-files
lifts it for analysts who need read_csv or COPY elsewhere.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "table", "csv", "json", "jsonl", "ndjson", "parquet":
			default:
				return usagef("unknown --format %q (want table, csv, json, jsonl or parquet)", format)
			}
			stmt := strings.TrimRight(strings.TrimSpace(args[0]), "; \t\r\n")
			if stmt == "" {
				return usagef("no SQL given")
			}
			if explain {
				if format == "parquet" {
					return usagef("--explain prints the plan: use --format table, csv or json")
				}
				stmt = "EXPLAIN " + stmt
			}
			if format == "parquet" && (out == "" || out == "-") {
				return usagef("--format parquet needs --out FILE")
			}
			lock := query.Lockdown{AllowFiles: allowFiles}
			if format == "parquet" {
				target, err := query.CopyTarget(out)
				if err != nil {
					return usagef("--out %q: %v", out, err)
				}
				lock.ExtraPaths = []string{target}
			}
			root, err := a.readRoot(cmd.Context())
			if err != nil {
				return err
			}
			db, err := query.OpenLocked(cmd.Context(), root, a.registry, lock)
			if err != nil {
				return err
			}
			defer db.Close()
			if format == "parquet" {
				return sqlError(db.CopyToParquet(cmd.Context(), stmt, out))
			}
			res, err := db.Query(cmd.Context(), stmt)
			if err != nil {
				return sqlError(err)
			}
			w, done, err := openOut(out, a.stdout)
			if err != nil {
				return err
			}
			t := toTable(res)
			var werr error
			if explain && format == "table" {
				werr = printPlan(w, t)
			} else {
				werr = writeTable(w, t, format)
			}
			if err := done(werr == nil); err != nil && werr == nil {
				werr = err
			}
			if werr != nil {
				return fmt.Errorf("writing result: %w", werr)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table, csv, json, jsonl, parquet")
	cmd.Flags().StringVar(&out, "out", "", "write to FILE instead of stdout (replaced atomically)")
	cmd.Flags().BoolVar(&explain, "explain", false, "show DuckDB's query plan instead of running the query")
	cmd.Flags().BoolVar(&allowFiles, "allow-files", false, "lift the lock-down: let the SQL read and write files outside the warehouse")
	return cmd
}

// printPlan prints EXPLAIN output as DuckDB draws it (the plan is a
// multi-line drawing that an aligned table would flatten).
func printPlan(w io.Writer, t *sinks.Table) error {
	for _, r := range t.Rows {
		if len(r) == 0 {
			continue
		}
		plan := sinks.FormatValue(r[len(r)-1])
		if len(r) > 1 {
			if _, err := fmt.Fprintf(w, "%s:\n", sinks.FormatValue(r[0])); err != nil {
				return err
			}
		}
		if _, err := io.WriteString(w, strings.TrimRight(plan, "\n")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// sqlErrorKinds are the DuckDB error classes caused by the statement itself
// (bad usage, exit code 2) rather than by the warehouse or the machine.
var sqlErrorKinds = []string{"Parser Error", "Binder Error", "Catalog Error", "Conversion Error", "Invalid Input Error", "Not implemented Error", "Permission Error"}

// sqlError marks errors in the user's SQL as usage errors; the message is
// DuckDB's own.
func sqlError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, k := range sqlErrorKinds {
		if strings.Contains(msg, k+":") {
			return usageError{err}
		}
	}
	return err
}
