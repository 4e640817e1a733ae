package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/transform"
	"go.uber.org/zap"
)

// Run ingests the inputs into the warehouse as one transaction and returns
// the run results (also written to <warehouse>/_dtm/runs/<run_id>.json
// unless DryRun). The error is non-nil only when nothing could be committed
// at all (lock, I/O or interruption); per-input failures are in the result.
func Run(ctx context.Context, cfg Config, inputs []Input) (*RunResult, error) {
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.MaxRejectRatio <= 0 {
		cfg.MaxRejectRatio = DefaultMaxRejectRatio
	}
	cfg.Limits = cfg.Limits.WithDefaults()
	res := &RunResult{
		RunID: cfg.RunID, Command: cfg.Command, DtmVersion: cfg.Version,
		StartedAt: time.Now().UTC(), DryRun: cfg.DryRun, Warehouse: cfg.Warehouse,
	}
	finish := func(err error) (*RunResult, error) {
		res.EndedAt = time.Now().UTC()
		res.ExitCode, res.Status = exitStatus(res, err, ctx)
		if err != nil {
			res.Error = err.Error()
		}
		if !cfg.DryRun {
			if werr := writeRunResult(cfg.Warehouse, res); werr != nil && err == nil {
				err = werr
			}
		}
		return res, err
	}

	if !cfg.DryRun {
		unlock, err := sinks.Lock(cfg.Warehouse)
		if err != nil {
			return finishLocked(res, err)
		}
		defer unlock()
		removed, err := sinks.Recover(cfg.Warehouse)
		if err != nil {
			return finish(fmt.Errorf("recovering the warehouse: %w", err))
		}
		if len(removed) > 0 {
			cfg.Logger.Info("cleaned up after an interrupted run", zap.Int("files", len(removed)), zap.String("stage", "recover"))
		}
	}
	txn, err := sinks.Begin(cfg.Warehouse, cfg.RunID)
	if err != nil {
		return finish(err)
	}
	txn.Hook = cfg.Hook
	defer txn.Abort() // no-op after Commit

	pcodes := transform.NewPcodeBook(cfg.Gazetteer)
	pseudo := transform.NewPseudonymizer(cfg.PseudonymKey)
	seenHash := map[string]string{}
	for _, s := range txn.Base().Sources {
		seenHash[s.Dataset+":"+s.Hash] = s.Key
	}
	listed := map[string]bool{}
	for i, in := range inputs {
		if err := ctx.Err(); err != nil {
			return finish(err)
		}
		listed[in.Key()] = true
		sr := ingestOne(ctx, cfg, txn, in, seenHash, pcodes, pseudo)
		res.Sources = append(res.Sources, sr)
		res.RowsIn += sr.RowsIn
		res.RowsWritten += sr.RowsWritten
		res.RowsRejected += sr.RowsRejected
		logSource(cfg.Logger, cfg.RunID, sr)
		hook(cfg, fmt.Sprintf("input:done:%d", i))
	}
	if err := ctx.Err(); err != nil {
		return finish(err)
	}
	res.Pruned = prune(txn, cfg, listed)
	if cfg.DryRun {
		return finish(nil)
	}
	if err := txn.Commit(); err != nil {
		for i := range res.Sources {
			if res.Sources[i].Status == StatusCommitted {
				res.Sources[i].Status = StatusFailed
				res.Sources[i].Errors = append(res.Sources[i].Errors, "commit failed: "+err.Error())
			}
		}
		return finish(err)
	}
	hook(cfg, "run:committed")
	return finish(nil)
}

// prune removes committed sources of the pruned job sources whose inputs
// were not listed in this run.
func prune(txn *sinks.Txn, cfg Config, listed map[string]bool) []string {
	if len(cfg.PruneSources) == 0 {
		return nil
	}
	var out []string
	for key, s := range txn.Base().Sources {
		if listed[key] || !cfg.PruneSources[sourceOfKey(s)] {
			continue
		}
		txn.RemoveSource(key)
		out = append(out, key)
	}
	sort.Strings(out)
	return out
}

// sourceOfKey returns the job source recorded for a committed source.
func sourceOfKey(s *sinks.Source) string { return s.JobSource }

func hook(cfg Config, point string) {
	if cfg.Hook != nil {
		cfg.Hook(point)
	}
}

func finishLocked(res *RunResult, err error) (*RunResult, error) {
	res.EndedAt = time.Now().UTC()
	res.ExitCode, res.Status = ExitFailure, "failed"
	res.Error = err.Error()
	return res, err
}

// exitStatus derives the exit code and status of a run.
func exitStatus(res *RunResult, err error, ctx context.Context) (int, string) {
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return ExitInterrupted, "interrupted"
	}
	if err != nil {
		return ExitFailure, "failed"
	}
	failed, ok := 0, 0
	for _, s := range res.Sources {
		if s.Status == StatusFailed {
			failed++
		} else {
			ok++
		}
	}
	switch {
	case failed > 0 && ok == 0:
		return ExitFailure, "failed"
	case failed > 0:
		return ExitPartial, "partial"
	case res.DryRun:
		return ExitOK, "dry-run"
	}
	return ExitOK, "ok"
}

func writeRunResult(root string, res *RunResult) error {
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding run results: %w", err)
	}
	return sinks.WriteFileAtomic(filepath.Join(root, "_dtm", "runs", res.RunID+".json"), b)
}

func logSource(log *zap.Logger, runID string, sr SourceResult) {
	fields := []zap.Field{
		zap.String("run_id", runID), zap.String("source", sr.Source), zap.String("file", sr.File),
		zap.String("sheet", sr.Sheet), zap.String("stage", "ingest"), zap.String("status", sr.Status),
		zap.Int64("rows_in", sr.RowsIn), zap.Int64("rows_out", sr.RowsWritten),
		zap.Int64("rows_rejected", sr.RowsRejected), zap.Int64("bytes", sr.Bytes),
		zap.Duration("duration", time.Duration(sr.DurationMS)*time.Millisecond),
	}
	if len(sr.Errors) > 0 {
		log.Warn("input failed: "+strings.Join(sr.Errors, "; "), fields...)
		return
	}
	log.Info("input done", fields...)
}
