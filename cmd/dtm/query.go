package main

import (
	"fmt"
	"strings"

	"github.com/iom-dtm/dtm/query"
	"github.com/spf13/cobra"
)

func (a *app) queryCmd() *cobra.Command {
	var format, out string
	var explain bool
	cmd := &cobra.Command{
		Use:   "query [--format table|csv|json|jsonl|parquet] [--out FILE] SQL",
		Short: "Run SQL over the warehouse views (datasets, rejects, runs)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := query.Open(cmd.Context(), a.warehouse, a.registry)
			if err != nil {
				return err
			}
			defer db.Close()
			stmt := strings.TrimRight(strings.TrimSpace(args[0]), ";")
			if explain {
				stmt = "EXPLAIN " + stmt
			}
			if format == "parquet" {
				if out == "" || out == "-" {
					return usagef("--format parquet needs --out FILE")
				}
				return db.CopyToParquet(cmd.Context(), stmt, out)
			}
			res, err := db.Query(cmd.Context(), stmt)
			if err != nil {
				return err
			}
			w, done, err := openOut(out, a.stdout)
			if err != nil {
				return err
			}
			werr := writeTable(w, toTable(res), format)
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
	cmd.Flags().StringVar(&out, "out", "", "write to FILE instead of stdout")
	cmd.Flags().BoolVar(&explain, "explain", false, "show DuckDB's query plan instead of running the query")
	return cmd
}
