package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/spf13/cobra"
)

// warehouseRmCmd is `dtm warehouse rm SOURCE|FILE...`: one commit that
// removes exactly the rows (and rejects) of the named inputs.
func (a *app) warehouseRmCmd() *cobra.Command {
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use: "rm [--dry-run] SOURCE|FILE...",
		Short: "Remove the rows and rejects of a job source or an input file in one commit; " +
			"a later run reads the file again if its job still lists it",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, targets []string) error {
			if err := sinks.Exists(a.warehouse); err != nil {
				return err
			}
			cfg := pipeline.Config{Warehouse: a.warehouse, Registry: a.registry, Logger: a.log, RunID: newRunID(),
				Command: cmd.CommandPath(), Version: version, DryRun: dryRun, Hook: crashHook(a.env)}
			res, err := pipeline.Remove(cmd.Context(), cfg, targets)
			switch {
			case asJSON:
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if jerr := enc.Encode(res); jerr != nil && err == nil {
					err = jerr
				}
			case err == nil && !a.quiet:
				printRemoval(a.stdout, res)
			}
			if errors.Is(err, pipeline.ErrNothingToRemove) {
				return usageError{err}
			}
			if err != nil {
				return exitError{code: res.ExitCode, err: err}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "show what would be removed; write nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the run results as JSON (their removed[] lists the inputs)")
	return cmd
}

// printRemoval prints what `dtm warehouse rm` removed, one line per input.
func printRemoval(w io.Writer, res *pipeline.RunResult) {
	what := fmt.Sprintf("removed, committed (generation %d)", res.Generation)
	if res.DryRun {
		what = "dry run, would remove (nothing written)"
	}
	fmt.Fprintf(w, "run %s: %s:\n", res.RunID, what)
	var rows, files int64
	for _, r := range res.Removed {
		name := r.File
		if r.Sheet != "" {
			name += " [" + r.Sheet + "]"
		}
		kind := fmt.Sprintf("%d rows in %d files, rejects of %d rows", r.RowsWritten, r.Files, r.RowsRejected)
		if r.FailedInput {
			kind = fmt.Sprintf("rejects of a failed input (%d rows)", r.RowsRejected)
		}
		src := r.Source
		if src == "" {
			src = "-"
		}
		fmt.Fprintf(w, "  %s  source %s  %s: %s\n", r.Dataset, src, name, kind)
		rows += r.RowsWritten
		files += int64(r.Files)
	}
	fmt.Fprintf(w, "%d inputs, %d rows, %d data files\n", len(res.Removed), rows, files)
	if !res.DryRun {
		fmt.Fprintln(w, "a later run reads these inputs again if its job still lists them")
	}
}
