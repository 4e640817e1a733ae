package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/iom-dtm/dtm/sinks"
	"go.uber.org/zap"
)

// RemovedSource is one committed (or failed) input that `dtm warehouse rm`
// took out of the warehouse, with what it had.
type RemovedSource struct {
	Key          string `json:"key" desc:"ledger key of the input (dataset:absolute path[#sheets])"`
	Dataset      string `json:"dataset" desc:"dataset its rows were in"`
	Source       string `json:"source,omitempty" desc:"job source it belonged to (empty for dtm ingest)"`
	File         string `json:"file" desc:"input file as given when it was ingested"`
	Sheet        string `json:"sheet,omitempty" desc:"worksheets it was read from"`
	Hash         string `json:"hash" desc:"SHA-256 of the input's bytes"`
	RowsWritten  int64  `json:"rows_written" desc:"data rows removed with it"`
	RowsRejected int64  `json:"rows_rejected" desc:"rejected rows whose rejects were removed with it"`
	Files        int    `json:"files" desc:"data files removed"`
	FailedInput  bool   `json:"failed_input,omitempty" desc:"true when only its rejects were committed (its last attempt failed its threshold)"`
}

// ErrNothingToRemove is returned by Remove when no committed source matches
// a target (nothing is changed).
var ErrNothingToRemove = errors.New("nothing to remove")

// Remove takes the committed sources matching targets out of the warehouse
// in one commit: their data files, their rejects and their ledger entries,
// so that a later run reads such an input again (as new) if its job still
// lists it. A target is a job source name, an input file (as given, or any
// path to the same file) or a ledger key; a target that matches nothing is
// ErrNothingToRemove and nothing changes. The run-results document
// (command "dtm warehouse rm") lists what was removed; with cfg.DryRun
// nothing is written.
func Remove(ctx context.Context, cfg Config, targets []string) (*RunResult, error) {
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	res := &RunResult{RunID: cfg.RunID, Command: cfg.Command, DtmVersion: cfg.Version, StartedAt: time.Now().UTC(),
		DryRun: cfg.DryRun, Warehouse: cfg.Warehouse, Sources: []SourceResult{}, BySource: []JobSourceResult{}, Removed: []RemovedSource{}}
	finish := func(err error) (*RunResult, error) {
		res.EndedAt = time.Now().UTC()
		res.ExitCode, res.Status = ExitOK, RunOK
		switch {
		case errors.Is(err, ErrNothingToRemove):
			res.ExitCode, res.Status = ExitUsage, RunFailed
		case err != nil:
			res.ExitCode, res.Status = ExitFailure, RunFailed
		case cfg.DryRun:
			res.Status = RunDryRun
		}
		if err != nil {
			res.Error = err.Error()
		}
		if !cfg.DryRun && res.Committed {
			if werr := writeRunResult(cfg.Warehouse, res); werr != nil && err == nil {
				err = werr
			}
		}
		return res, err
	}
	if !cfg.DryRun {
		unlock, err := sinks.LockAs(cfg.Warehouse, fmt.Sprintf("run %s (%s)", cfg.RunID, cfg.Command))
		if err != nil {
			return finishLocked(res, err)
		}
		defer unlock()
		if _, err := sinks.RecoverHook(cfg.Warehouse, cfg.Hook); err != nil {
			return finish(fmt.Errorf("recovering the warehouse: %w", err))
		}
	}
	txn, err := sinks.Begin(cfg.Warehouse, cfg.RunID)
	if err != nil {
		return finish(err)
	}
	txn.Hook = cfg.Hook
	if !cfg.DryRun {
		defer txn.Abort()
	}
	base := txn.Base()
	res.Generation = base.Generation
	var unmatched []string
	for _, t := range targets {
		n := 0
		for _, set := range []struct {
			m      map[string]*sinks.Source
			failed bool
		}{{base.Sources, false}, {base.Failed, true}} {
			for _, k := range sortedSourceKeys(set.m) {
				s := set.m[k]
				if !matchesTarget(s, t) {
					continue
				}
				n++
				if !containsKey(res.Removed, k, set.failed) {
					res.Removed = append(res.Removed, removedOf(s, set.failed))
				}
			}
		}
		if n == 0 {
			unmatched = append(unmatched, t)
		}
	}
	if len(unmatched) > 0 {
		return finish(fmt.Errorf("%w: %s names no job source, file or ledger key of the warehouse (see dtm warehouse ls)",
			ErrNothingToRemove, strings.Join(quoteAll(unmatched), ", ")))
	}
	for _, r := range res.Removed {
		txn.RemoveSource(r.Key)
	}
	if cfg.DryRun {
		return finish(nil)
	}
	if err := ctx.Err(); err != nil {
		return finish(err)
	}
	if err := txn.Commit(); err != nil {
		return finish(fmt.Errorf("committing the removal: %w", err))
	}
	res.Committed = true
	res.Generation++
	for _, r := range res.Removed {
		cfg.Logger.Info("source removed", zap.String("run_id", cfg.RunID), zap.String("source", r.Source),
			zap.String("file", r.File), zap.String("stage", "remove"), zap.Int64("rows_out", -r.RowsWritten))
	}
	return finish(nil)
}

// matchesTarget: t is the source's job source, its file as given, the same
// file by absolute path (sheets aside), or its ledger key.
func matchesTarget(s *sinks.Source, t string) bool {
	if t == "" {
		return false
	}
	if t == s.Key || t == s.JobSource || t == s.File {
		return true
	}
	abs, err := filepath.Abs(t)
	if err != nil {
		return false
	}
	_, path, _ := strings.Cut(s.Key, ":")
	return path == abs || strings.HasPrefix(path, abs+"#") // named sheets follow a '#'
}

func removedOf(s *sinks.Source, failed bool) RemovedSource {
	return RemovedSource{Key: s.Key, Dataset: s.Dataset, Source: s.JobSource, File: s.File, Sheet: s.Sheet, Hash: s.Hash,
		RowsWritten: s.RowsWritten, RowsRejected: s.RowsRejected, Files: len(s.Files), FailedInput: failed}
}

func containsKey(rs []RemovedSource, key string, failed bool) bool {
	for _, r := range rs {
		if r.Key == key && r.FailedInput == failed {
			return true
		}
	}
	return false
}

func sortedSourceKeys(m map[string]*sinks.Source) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
