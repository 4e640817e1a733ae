package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/query/export"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
)

// exportRequest is one `dtm export` invocation.
type exportRequest struct {
	name, format, out string
	minCell           int
	config            string
	ff                figureFlags
}

// exportCmd is `dtm export NAME --format ... --out FILE [--min-cell K]`.
//
// NAME is a figure (`dtm figures list`) or a dataset (its view, every
// stored column). HXL tags: a dataset's come from its schema; a figure's
// columns take the tag of the field of the figure's dataset with the same
// name (country_iso3 -> #country+code, idp_individuals -> #affected+idps+ind)
// and computed columns (sites, change_pct) have none.
//
// The policy (disclosure control, the SQL of a dataset and its filters
// --country, --round, --from/--to, the writers) is package query/export's;
// this command turns flags into an export.Request.
func (a *app) exportCmd() *cobra.Command {
	var r exportRequest
	cmd := &cobra.Command{
		Use:   "export NAME --format csv|hxl|json|jsonl|geojson|parquet --out FILE [--min-cell K] [figure parameters | --country C --round N --from D --to D]",
		Short: "Export a figure or a dataset for portals (CSV, CSV+HXL, JSON, GeoJSON, GeoParquet)",
		Long: `Export a figure (see "dtm figures list") or a dataset view to a file.

Formats: csv; hxl (CSV with the HXL tag row under the header); json (array);
jsonl (one object per line); geojson (one Point feature per row, [lon, lat],
other columns as properties; needs latitude and longitude columns); parquet
(zstd; with a WKB "geometry" column and GeoParquet metadata when the rows
have latitude and longitude). Text cells that spreadsheets would run as
formulas are prefixed with ' in CSV exports; numbers are untouched.

A dataset is exported whole, or filtered with --country, --round and
--from/--to (its date field, both days included) where it has those
fields (another figure parameter is a usage error).

Figures derived from flow_survey are small-cell suppressed (--min-cell,
else the privacy.min_cell of the job file given with --config, else 5);
the raw flow_survey dataset is not exported.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r.name = args[0]
			return a.export(cmd, &r)
		},
	}
	r.ff.register(cmd)
	cmd.Flags().StringVar(&r.format, "format", "csv", "output: "+strings.Join(export.Formats, ", "))
	cmd.Flags().StringVar(&r.out, "out", "", "file to write (replaced atomically); stdout when empty or - (not for parquet)")
	cmd.Flags().IntVar(&r.minCell, "min-cell", 0, fmt.Sprintf("small-cell threshold for suppressed figures: counts below it are suppressed (default: the job's privacy.min_cell, else %d)", query.DefaultMinCell))
	configFlag(cmd, &r.config)
	return cmd
}

// export runs `dtm export`: the settings (config.Resolve, with --config),
// the flags as an export.Request, the plan checked before the warehouse is
// opened, then the export and its log line.
func (a *app) export(cmd *cobra.Command, r *exportRequest) error {
	set, err := a.readSettings(cmd, r.config)
	if err != nil {
		return err
	}
	params, err := r.ff.given(cmd)
	if err != nil {
		return err
	}
	// Everything the user gave is checked before the warehouse is opened.
	plan, err := export.NewPlan(a.registry, export.Request{Name: r.name, Format: r.format, Out: r.out, Params: params, MinCell: set.MinCell})
	if err != nil {
		return exportError(err)
	}
	if cmd.Flags().Changed("min-cell") && !plan.Suppressed() {
		a.log.Warn("--min-cell ignored: the export is not small-cell suppressed", zap.String("stage", "export"))
	}
	db, err := a.openWarehouse(cmd.Context())
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := plan.Run(cmd.Context(), db, a.stdout, export.Options{})
	if err != nil {
		return exportError(err)
	}
	if r.out != "" && r.out != "-" {
		fields := []zap.Field{zap.String("stage", "export"), zap.String("file", r.out)}
		if res.Rows >= 0 {
			fields = append(fields, zap.Int64("rows_out", res.Rows))
		}
		a.log.Info("export written", fields...)
	}
	return nil
}

// exportError makes errors of the request usage errors (exit 2).
func exportError(err error) error {
	if errors.Is(err, export.ErrUsage) || isBadParam(err) {
		return usageError{err}
	}
	return err
}
