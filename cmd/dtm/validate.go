package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/spf13/cobra"
)

func (a *app) validateCmd() *cobra.Command {
	var ff fileFlags
	var format string
	cmd := &cobra.Command{
		Use:   "validate --kind KIND [--format text|json] FILE...",
		Short: "Dry run: the mapping and validation report of files; writes nothing",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			inputs, err := ff.inputs(files)
			if err != nil {
				return err
			}
			cfg := pipeline.Config{Warehouse: a.warehouse, Registry: a.registry, Logger: a.log, RunID: "validate",
				Command: cmd.CommandPath(), Version: version, DryRun: true, MaxRejectRatio: 1}
			res, err := pipeline.Run(cmd.Context(), cfg, inputs)
			if err != nil {
				return err
			}
			report := validationReport(res)
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(report); err != nil {
					return err
				}
			} else {
				printValidation(a.stdout, report)
			}
			if !report.Valid {
				return exitError{code: pipeline.ExitPartial, err: fmt.Errorf("%d of %d files are not valid", report.Invalid, len(report.Files))}
			}
			return nil
		},
	}
	ff.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "report format: text or json")
	return cmd
}

// Report is the validation report, in the manner of Frictionless: per file,
// valid or not, counts by error code and the first rows of each code.
type Report struct {
	Valid   bool         `json:"valid"`
	Invalid int          `json:"invalid"`
	Files   []FileReport `json:"files"`
}

// FileReport is the validation of one file.
type FileReport struct {
	pipeline.SourceResult
	Valid bool `json:"valid"`
}

func validationReport(res *pipeline.RunResult) Report {
	r := Report{Valid: true}
	for _, s := range res.Sources {
		fr := FileReport{SourceResult: s, Valid: s.Status != pipeline.StatusFailed && s.RowsRejected == 0}
		if !fr.Valid {
			r.Valid = false
			r.Invalid++
		}
		r.Files = append(r.Files, fr)
	}
	return r
}

func printValidation(w io.Writer, r Report) {
	for _, f := range r.Files {
		verdict := "valid"
		if !f.Valid {
			verdict = "NOT valid"
		}
		fmt.Fprintf(w, "%s: %s — %d rows, %d would be written, %d rejected, %d warnings\n",
			f.File, verdict, f.RowsIn, f.RowsIn-f.RowsRejected, f.RowsRejected, f.Warnings)
		for _, e := range f.Errors {
			fmt.Fprintf(w, "  error: %s\n", e)
		}
		for _, n := range f.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
		var codes []string
		for c := range f.RejectCodes {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			fmt.Fprintf(w, "  %s: %d\n", c, f.RejectCodes[c])
			for _, s := range f.RejectSamples {
				if s.Code != c {
					continue
				}
				loc := fmt.Sprintf("row %d", s.Row)
				if s.Sheet != "" {
					loc = fmt.Sprintf("sheet %q %s", s.Sheet, loc)
				}
				if s.Column != "" {
					loc += fmt.Sprintf(", column %q", s.Column)
				}
				fmt.Fprintf(w, "    %s, value %q (%s): %s\n", loc, s.Value, s.Severity, s.Message)
			}
		}
	}
}
