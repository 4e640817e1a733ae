package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/config"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
)

type runOptions struct {
	dryRun      bool
	json        bool
	showFigures bool
}

// newRunID returns a sortable, path-safe run id: UTC time and 4 random bytes.
func newRunID() string {
	var b [4]byte
	rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// runPipeline runs inputs into the warehouse and reports the result.
func (a *app) runPipeline(cmd *cobra.Command, job *config.Job, inputs []pipeline.Input, opts runOptions) error {
	cfg := pipeline.Config{
		Warehouse: a.warehouse, Registry: a.registry, Logger: a.log, RunID: newRunID(),
		Command: cmd.CommandPath(), Version: version, DryRun: opts.dryRun,
		Hook: crashHook(),
	}
	if job != nil {
		cfg.MaxRejectRatio = job.Quality.MaxRejectRatio
		cfg.Limits = ingest.Limits{MaxFileBytes: job.Limits.MaxFileBytes, MaxDecompressedBytes: job.Limits.MaxDecompressedBytes,
			MaxColumns: job.Limits.MaxColumns, MaxCellBytes: job.Limits.MaxCellBytes, MaxRowBytes: job.Limits.MaxRowBytes}
		keyEnv := job.Privacy.PseudonymKeyEnv
		if keyEnv == "" {
			keyEnv = "DTM_PSEUDONYM_KEY"
		}
		cfg.PseudonymKey = os.Getenv(keyEnv)
		prune := map[string]bool{}
		for _, s := range job.Sources {
			if s.Prune {
				prune[s.Name] = true
			}
		}
		cfg.PruneSources = prune
		if job.Gazetteer != "" {
			gz, err := loadGazetteer(job.Resolve(job.Gazetteer))
			if err != nil {
				return usageError{err}
			}
			cfg.Gazetteer = gz
		}
	} else {
		cfg.PseudonymKey = os.Getenv("DTM_PSEUDONYM_KEY")
	}
	if cfg.PseudonymKey == "" {
		for _, in := range inputs {
			if in.Kind == "flow_survey" {
				a.log.Warn("DTM_PSEUDONYM_KEY is not set: respondent ids are dropped instead of pseudonymised")
				break
			}
		}
	}
	if !a.quiet && isTerminal(a.stderr) {
		cfg.Progress = newProgress(a.stderr)
	}
	if err := os.MkdirAll(a.warehouse, 0o755); err != nil {
		return fmt.Errorf("creating warehouse %s: %w", a.warehouse, err)
	}
	res, err := pipeline.Run(cmd.Context(), cfg, inputs)
	if opts.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res)
	} else {
		printRunSummary(a.stdout, res)
	}
	a.log.Info("run finished", zap.String("run_id", res.RunID), zap.String("stage", "run"), zap.String("status", res.Status),
		zap.Int64("rows_in", res.RowsIn), zap.Int64("rows_out", res.RowsWritten), zap.Int64("rows_rejected", res.RowsRejected),
		zap.Duration("duration", res.EndedAt.Sub(res.StartedAt)))
	if err != nil {
		return exitError{code: res.ExitCode, err: err}
	}
	if opts.showFigures && !opts.json && !opts.dryRun {
		if ferr := a.printHeadline(cmd); ferr != nil {
			return ferr
		}
	}
	if res.ExitCode != 0 {
		return exitError{code: res.ExitCode, err: fmt.Errorf("run %s: %s (exit %s)", res.RunID, res.Status, strconv.Itoa(res.ExitCode))}
	}
	return nil
}

// crashHook kills the process at the point named by DTM_CRASH_AT (used by
// the crash-safety tests; unset in normal use).
func crashHook() func(string) {
	at := os.Getenv("DTM_CRASH_AT")
	if at == "" {
		return nil
	}
	return func(point string) {
		if point == at {
			p, _ := os.FindProcess(os.Getpid())
			p.Signal(os.Kill)
			time.Sleep(time.Minute)
		}
	}
}
