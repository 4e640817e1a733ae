package main

import (
	"github.com/spf13/cobra"
)

// rejectsView is the view of every reject; `dtm export rejects` writes it.
const rejectsView = "rejects"

// exportRejects is `dtm export rejects`: every reject (file, sheet, row,
// column, value, code, severity, message, failed_input), those of failed
// inputs included, ordered by file, sheet and row, for the field teams
// who correct the files. Figure parameters do not apply.
func (a *app) exportRejects(cmd *cobra.Command, r *exportRequest) error {
	if !contains(exportFormats, r.format) {
		return usagef("unknown --format %q", r.format)
	}
	if r.format == "parquet" && (r.out == "" || r.out == "-") {
		return usagef("--format parquet needs --out FILE")
	}
	if r.format == "geojson" {
		return usagef("rejects have no coordinates: use csv, json, jsonl or parquet")
	}
	if n := figureParamsGiven(cmd); n != "" {
		return usagef("--%s applies to figures and datasets; rejects are exported whole (filter with dtm query)", n)
	}
	db, err := a.openWarehouse(cmd.Context())
	if err != nil {
		return err
	}
	defer db.Close()
	const stmt = `SELECT * FROM rejects ORDER BY failed_input, file, sheet, "row", "column", code, message`
	if r.format == "parquet" {
		return db.CopyToParquet(cmd.Context(), stmt, r.out)
	}
	res, err := db.Query(cmd.Context(), stmt)
	if err != nil {
		return err
	}
	t := toTable(res)
	t.HXL = make([]string, len(t.Columns))
	return a.writeExport(t, r)
}
