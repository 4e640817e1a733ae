package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
)

// exportFormats are the formats of `dtm export`.
var exportFormats = []string{"csv", "hxl", "json", "jsonl", "geojson", "parquet"}

// exportRequest is one `dtm export` invocation.
type exportRequest struct {
	name, format, out string
	minCell           int
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
// Disclosure control: a dataset with sensitive fields (flow_survey, one row
// per respondent) is never exported raw (exit 2); a figure of such a dataset
// is exported only if it declares small-cell suppression, which is applied
// with --min-cell (default query.DefaultMinCell).
func (a *app) exportCmd() *cobra.Command {
	var r exportRequest
	cmd := &cobra.Command{
		Use:   "export NAME --format csv|hxl|json|jsonl|geojson|parquet --out FILE [--min-cell K] [figure parameters]",
		Short: "Export a figure or a dataset for portals (CSV, CSV+HXL, JSON, GeoJSON, GeoParquet)",
		Long: `Export a figure (see "dtm figures list") or a dataset view to a file.

Formats: csv; hxl (CSV with the HXL tag row under the header); json (array);
jsonl (one object per line); geojson (one Point feature per row, [lon, lat],
other columns as properties; needs latitude and longitude columns); parquet
(zstd; with a WKB "geometry" column and GeoParquet metadata when the rows
have latitude and longitude). Text cells that spreadsheets would run as
formulas are prefixed with ' in CSV exports; numbers are untouched.

Figures derived from flow_survey are small-cell suppressed (--min-cell);
the raw flow_survey dataset is not exported.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r.name = args[0]
			return a.export(cmd, &r)
		},
	}
	r.ff.register(cmd)
	cmd.Flags().StringVar(&r.format, "format", "csv", "output: "+strings.Join(exportFormats, ", "))
	cmd.Flags().StringVar(&r.out, "out", "", "file to write (replaced atomically); stdout when empty or - (not for parquet)")
	cmd.Flags().IntVar(&r.minCell, "min-cell", 0, fmt.Sprintf("small-cell threshold for suppressed figures: counts below it are suppressed (default %d)", query.DefaultMinCell))
	return cmd
}

func (a *app) export(cmd *cobra.Command, r *exportRequest) error {
	if !contains(exportFormats, r.format) {
		return usagef("unknown --format %q (want one of %s)", r.format, strings.Join(exportFormats, ", "))
	}
	toStdout := r.out == "" || r.out == "-"
	if r.format == "parquet" && toStdout {
		return usagef("--format parquet needs --out FILE")
	}
	if cmd.Flags().Changed("min-cell") && r.minCell < 1 {
		return usagef("--min-cell must be at least 1, got %d", r.minCell)
	}
	if r.name == rejectsView {
		return a.exportRejects(cmd, r)
	}
	fig, figErr := query.LookupFigure(r.name)
	var ds *schemas.Dataset
	if figErr != nil {
		if !errors.Is(figErr, query.ErrUnknownFigure) {
			return figErr
		}
		d, err := a.registry.Lookup(r.name)
		if err != nil {
			return usagef("%q is neither a figure nor a dataset: %v; %v", r.name, figErr, err)
		}
		ds = d
	}
	// Check everything the user gave before opening the warehouse.
	var params map[string]string
	if ds != nil {
		if err := refuseRawMicrodata(ds); err != nil {
			return err
		}
		if n := figureParamsGiven(cmd); n != "" {
			return usagef("--%s applies to figures; %s is a dataset and is exported whole", n, ds.Name)
		}
	} else {
		if fig.Suppress == "" && a.hasSensitiveFields(fig.Dataset) {
			return usagef("figure %s is derived from %s, which holds sensitive data, but declares no small-cell suppression: refusing to export it", fig.Name, fig.Dataset)
		}
		p, err := r.ff.params(cmd, fig)
		if err != nil {
			return err
		}
		params = p
	}
	if cmd.Flags().Changed("min-cell") && (ds != nil || fig.Suppress == "") {
		a.log.Warn("--min-cell ignored: the export is not small-cell suppressed", zap.String("stage", "export"))
	}

	db, err := a.openWarehouse(cmd.Context())
	if err != nil {
		return err
	}
	defer db.Close()
	if ds != nil {
		return a.exportDataset(cmd.Context(), db, ds, r)
	}
	res, err := db.Run(cmd.Context(), fig, params, query.RunOptions{MinCell: r.minCell})
	if err != nil {
		if isBadParam(err) {
			return usageError{err}
		}
		return err
	}
	t := toTable(res)
	t.HXL = query.ColumnHXL(fig, t.Columns, a.datasetOrNil(fig.Dataset))
	return a.writeExport(t, r)
}

// exportDataset exports a dataset view; Parquet goes through DuckDB's writer
// (exact column types), with the GeoParquet point column added when the
// dataset has coordinates.
func (a *app) exportDataset(ctx context.Context, db *query.DB, ds *schemas.Dataset, r *exportRequest) error {
	fields := ds.StoredFields()
	cols := make([]string, len(fields))
	names := make([]string, len(fields))
	for i, f := range fields {
		cols[i] = sqlIdent(f.Name)
		names[i] = f.Name
	}
	stmt := fmt.Sprintf("SELECT %s FROM %s", strings.Join(cols, ", "), sqlIdent(ds.Name))
	if r.format == "parquet" {
		_, _, geo := sinks.DefaultGeoColumns.Find(&sinks.Table{Columns: names})
		if !geo {
			return db.CopyToParquet(ctx, stmt, r.out)
		}
		f, err := sinks.CreateTemp(filepath.Dir(r.out), ".dtm-export-plain-*.parquet")
		if err != nil {
			return fmt.Errorf("creating %s: %w", r.out, err)
		}
		tmp := f.Name()
		f.Close()
		defer os.Remove(tmp)
		if err := db.CopyToParquet(ctx, stmt, tmp); err != nil {
			return err
		}
		if err := sinks.AddGeoPoints(ctx, tmp, r.out, sinks.DefaultGeoColumns, nil); err != nil {
			return err
		}
		a.log.Info("export written", zap.String("stage", "export"), zap.String("file", r.out))
		return nil
	}
	return a.streamDataset(ctx, db, ds, stmt, r)
}

// writeExport writes a table in the requested format.
func (a *app) writeExport(t *sinks.Table, r *exportRequest) error {
	if r.format == "parquet" {
		var geo *sinks.GeoColumns
		if _, _, ok := sinks.DefaultGeoColumns.Find(t); ok {
			geo = &sinks.DefaultGeoColumns
		}
		if err := sinks.WriteParquetTable(r.out, t, geo, nil); err != nil {
			return err
		}
	} else {
		if r.format == "geojson" {
			if _, _, ok := sinks.DefaultGeoColumns.Find(t); !ok {
				return usagef("%s has no latitude and longitude columns: GeoJSON needs site coordinates (try `dtm export site_assessment --format geojson`)", r.name)
			}
		}
		w, done, err := openOut(r.out, a.stdout)
		if err != nil {
			return err
		}
		var werr error
		switch r.format {
		case "geojson":
			werr = sinks.WriteGeoJSON(w, t, sinks.DefaultGeoColumns)
		default:
			werr = writeTable(w, t, r.format)
		}
		if err := done(werr == nil); werr == nil {
			werr = err
		}
		if werr != nil {
			return fmt.Errorf("exporting %s: %w", r.name, werr)
		}
	}
	if r.out != "" && r.out != "-" {
		a.log.Info("export written", zap.String("stage", "export"), zap.String("file", r.out), zap.Int("rows_out", len(t.Rows)))
	}
	return nil
}

// refuseRawMicrodata refuses the raw export of a dataset with sensitive
// fields (quasi-identifiers of individuals, as in flow_survey).
func refuseRawMicrodata(ds *schemas.Dataset) error {
	for _, f := range ds.StoredFields() {
		if f.Sensitivity == schemas.Sensitive {
			return usagef("%s holds one row per individual with sensitive fields (%s): it is not exported raw; export a figure derived from it instead (see `dtm figures list`), which applies small-cell suppression", ds.Name, f.Name)
		}
	}
	return nil
}

func (a *app) hasSensitiveFields(dataset string) bool {
	ds := a.datasetOrNil(dataset)
	return ds != nil && refuseRawMicrodata(ds) != nil
}

func (a *app) datasetOrNil(name string) *schemas.Dataset {
	ds, err := a.registry.Lookup(name)
	if err != nil {
		return nil
	}
	return ds
}

// figureParamsGiven names a figure parameter flag that was set, if any.
func figureParamsGiven(cmd *cobra.Command) string {
	for _, n := range []string{"country", "admin-level", "round", "from", "to", "param"} {
		if cmd.Flags().Changed(n) {
			return n
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sqlIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
