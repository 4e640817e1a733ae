package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/iom-dtm/dtm/internal/gazetteer"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
	"github.com/spf13/cobra"
)

func (a *app) validateCmd() *cobra.Command {
	ff := fileFlags{kinds: a.registry}
	var format, gazetteerCSV string
	cmd := &cobra.Command{
		Use:   "validate --kind KIND [--column 'Header=field']... [--config JOB --source NAME] [--gazetteer CSV] [--format text|json] FILE...",
		Short: "Dry run: the mapping and validation report of files; writes nothing",
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, files []string) error {
			if format != "text" && format != "json" {
				return usagef("--format %q is not text or json", format)
			}
			inputs, err := ff.inputs(files)
			if err != nil {
				return err
			}
			cfg := pipeline.Config{Warehouse: a.warehouse, Registry: a.registry, Logger: a.log, RunID: "validate",
				Command: cmd.CommandPath(), Version: version, DryRun: true, MaxRejectRatio: 1}
			if gazetteerCSV != "" {
				gz, err := gazetteer.Load(gazetteerCSV)
				if err != nil {
					return usageError{err}
				}
				cfg.Gazetteer = gz
			}
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
			if res.ExitCode == pipeline.ExitFailure { // no file could be read: as `dtm ingest` would exit
				return exitError{code: pipeline.ExitFailure, err: fmt.Errorf("no file could be validated (%d of %d failed)", report.Invalid, len(report.Files))}
			}
			if !report.Valid {
				return exitError{code: pipeline.ExitPartial, err: fmt.Errorf("%d of %d files are not valid", report.Invalid, len(report.Files))}
			}
			return nil
		},
	}
	ff.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "report format: text or json")
	cmd.Flags().StringVar(&gazetteerCSV, "gazetteer", "", "CSV of official p-codes (admin_level, pcode, name): codes not in it are reported as unknown-pcode")
	return cmd
}

// Report is the validation report, in the manner of Frictionless: per file,
// valid or not, counts by error code and the first rows of each code.
type Report struct {
	Valid   bool         `json:"valid"`
	Invalid int          `json:"invalid"`
	Files   []FileReport `json:"files"`
}

// FileReport is the validation of one file (or sheet).
type FileReport struct {
	File   string `json:"file"`
	Sheet  string `json:"sheet,omitempty"`
	Kind   string `json:"kind"`
	Status string `json:"status"`
	// Valid is true when the file could be read and no row would be
	// dropped; warnings do not make a file invalid.
	Valid bool      `json:"valid"`
	Stats FileStats `json:"stats"`
	// Codes counts the problems by error code (errors and warnings).
	Codes map[string]int `json:"codes"`
	// Errors are the first problems of each code, with file, sheet, row,
	// column and value; a whole-file problem has row 0.
	Errors []schemas.Reject `json:"errors"`
	Notes  []string         `json:"notes,omitempty"`
	// Reconciliation accounts for the headline figures: in the file,
	// would be written, and where the difference goes.
	Reconciliation []transform.Reconciliation `json:"reconciliation,omitempty"`
}

// FileStats counts the rows of a file.
type FileStats struct {
	Rows     int64 `json:"rows"`
	Written  int64 `json:"would_write"`
	Rejected int64 `json:"rejected"`
	Warnings int64 `json:"warnings"`
}

func validationReport(res *pipeline.RunResult) Report {
	r := Report{Valid: true, Files: []FileReport{}}
	for _, s := range res.Sources {
		fr := FileReport{File: s.File, Sheet: s.Sheet, Kind: s.Kind, Status: s.Status,
			Valid: s.Status != pipeline.StatusFailed && s.RowsRejected == 0,
			Stats: FileStats{Rows: s.RowsIn, Written: s.RowsIn - s.RowsRejected, Rejected: s.RowsRejected, Warnings: s.Warnings},
			Codes: map[string]int{}, Errors: []schemas.Reject{}, Notes: s.Notes, Reconciliation: s.Reconciliation}
		if s.Status == pipeline.StatusFailed {
			fr.Stats.Written = 0
		}
		for c, n := range s.RejectCodes {
			fr.Codes[c] += n
		}
		for c, n := range s.WarningCodes {
			fr.Codes[c] += n
		}
		fr.Errors = append(fr.Errors, s.RejectSamples...)
		// A file that could not be read (or failed as a whole) is a
		// source-error naming the file and sheet, like any other reject.
		for _, e := range s.Errors {
			fr.Codes[schemas.CodeSourceError]++
			fr.Errors = append(fr.Errors, schemas.Reject{File: s.File, Sheet: s.Sheet, Code: schemas.CodeSourceError,
				Severity: schemas.SeverityError, Message: e})
		}
		sort.SliceStable(fr.Errors, func(i, j int) bool {
			if fr.Errors[i].Code != fr.Errors[j].Code {
				return fr.Errors[i].Code < fr.Errors[j].Code
			}
			return fr.Errors[i].Row < fr.Errors[j].Row
		})
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
		verdict := validVerdict(f)
		name := f.File
		if f.Sheet != "" {
			name += fmt.Sprintf(" [sheet %q]", f.Sheet)
		}
		fmt.Fprintf(w, "%s: %s — %d rows, %d would be written, %d rejected, %d warnings\n",
			name, verdict, f.Stats.Rows, f.Stats.Written, f.Stats.Rejected, f.Stats.Warnings)
		for _, n := range f.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
		for _, l := range reconciliationLines(f.Reconciliation) {
			fmt.Fprintf(w, "  %s\n", l)
		}
		var codes []string
		for c := range f.Codes {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			fmt.Fprintf(w, "  %s: %d\n", c, f.Codes[c])
			for _, s := range f.Errors {
				if s.Code != c {
					continue
				}
				loc := "whole file"
				if s.Row > 0 {
					loc = fmt.Sprintf("row %d", s.Row)
				}
				if s.Sheet != "" {
					loc = fmt.Sprintf("sheet %q, %s", s.Sheet, loc)
				}
				if s.Column != "" {
					loc += fmt.Sprintf(", column %q", s.Column)
				}
				if s.Value != "" {
					loc += fmt.Sprintf(", value %q", s.Value)
				}
				fmt.Fprintf(w, "    %s (%s): %s\n", loc, s.Severity, s.Message)
			}
		}
	}
	if len(r.Files) > 1 {
		withWarnings := 0
		for _, f := range r.Files {
			if f.Valid && f.Stats.Warnings > 0 {
				withWarnings++
			}
		}
		fmt.Fprintf(w, "%d of %d files valid", len(r.Files)-r.Invalid, len(r.Files))
		if withWarnings > 0 {
			fmt.Fprintf(w, " (%d with warnings)", withWarnings)
		}
		fmt.Fprintln(w)
	}
}

// validVerdict is a file's verdict: "valid" only when it has no warning,
// else "valid with N warnings" (a warning keeps its row but must be read);
// "NOT valid" when rows would be dropped or the file cannot be read.
func validVerdict(f FileReport) string {
	switch {
	case !f.Valid:
		return "NOT valid"
	case f.Stats.Warnings == 1:
		return "valid with 1 warning"
	case f.Stats.Warnings > 1:
		return fmt.Sprintf("valid with %d warnings", f.Stats.Warnings)
	}
	return "valid"
}
