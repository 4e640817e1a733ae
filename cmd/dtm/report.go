package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/report"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
)

// reportFlags are the flags of `dtm report`.
type reportFlags struct {
	country string
	round   int64
	minCell int
	out     string
	config  string
}

// reportCmd is `dtm report [--country ISO3] [--round N] [--min-cell K] --out FILE`.
func (a *app) reportCmd() *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report [--country ISO3] [--round N] [--min-cell K] [--out FILE]",
		Short: "Write one self-contained HTML report of the figures: charts with their numbers, offline",
		Long: `Write the warehouse's figures as one HTML file that opens offline (no
network at view time): headline numbers, IDPs over rounds, IDPs by admin 1
and 2, population pyramids (SADD bands as published), displacement reasons,
sites on a longitude/latitude plot, flow monitoring by direction and top
routes, the flow survey profile (small-cell suppressed, --min-cell) and the
data-quality panel. Every chart has its numbers in a table beside it and a
CSV download of the same numbers.

Exit codes: 0 written; 1 failure (nothing written); 2 bad usage.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := a.readSettings(cmd, f.config)
			if err != nil {
				return err
			}
			f.minCell = set.MinCell // --min-cell, else the job's, else 0: report's default
			return a.runReport(cmd.Context(), f)
		},
	}
	cmd.Flags().StringVar(&f.country, "country", "", "ISO3 code of one country (default: every country)")
	cmd.Flags().Int64Var(&f.round, "round", 0, "one round number (default: each country's latest round)")
	cmd.Flags().IntVar(&f.minCell, "min-cell", query.DefaultMinCell, "small-cell threshold of survey-derived charts: counts below it are suppressed (default: the job's privacy.min_cell, else this)")
	configFlag(cmd, &f.config)
	cmd.Flags().StringVar(&f.out, "out", "report.html", "file to write (replaced atomically); - for stdout")
	return cmd
}

// runReport renders the report of the committed warehouse to f.out.
func (a *app) runReport(ctx context.Context, f reportFlags) error {
	if f.round < 0 {
		return usagef("--round must be a round number (1 or more), got %d", f.round)
	}
	start := time.Now()
	db, err := a.openWarehouse(ctx) // a directory, or the pinned view of an s3:// warehouse
	if err != nil {
		return err
	}
	defer db.Close()
	w, done, err := openOut(f.out, a.stdout)
	if err != nil {
		return err
	}
	cw := &countingWriter{w: w}
	rerr := report.Render(ctx, db, report.Options{Country: f.country, Round: f.round, MinCell: f.minCell, GeneratedAt: start}, cw)
	if err := done(rerr == nil); rerr == nil {
		rerr = err
	}
	if errors.Is(rerr, report.ErrBadOptions) {
		return usageError{rerr}
	}
	if rerr != nil {
		return fmt.Errorf("report: %w", rerr)
	}
	if f.out != "" && f.out != "-" {
		a.log.Info("report written", zap.String("stage", "report"), zap.String("file", f.out),
			zap.Int64("bytes", cw.n), zap.Int64("generation", db.Manifest().Generation), zap.Duration("duration", time.Since(start)))
	}
	return nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
