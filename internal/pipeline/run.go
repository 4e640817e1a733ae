package pipeline

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/sinks/lake"
	"github.com/iom-dtm/dtm/transform"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"
)

// ErrObjectStoreIngest is returned by Run for an s3:// warehouse: Run
// works on a local directory. `dtm run`/`dtm ingest` stage a run into
// s3:// in a local working warehouse (sinks/lake.OpenStage), give Run that
// directory (Config.Location naming the s3:// warehouse) and publish it.
var ErrObjectStoreIngest = errors.New("pipeline.Run takes a local warehouse directory")

// Run ingests the inputs into the warehouse as one transaction and returns
// the run results (also written to <warehouse>/_dtm/runs/<run_id>.json
// unless DryRun). The error is non-nil only when nothing could be committed
// at all (lock, I/O or interruption); per-input failures are in the result.
//
// A dry run takes no lock and writes nothing at all: it reads the committed
// manifest (if any) to tell what would change.
func Run(ctx context.Context, cfg Config, inputs []Input) (*RunResult, error) {
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.MaxRejectRatio <= 0 {
		cfg.MaxRejectRatio = DefaultMaxRejectRatio
	}
	if cfg.Concurrency < 1 {
		cfg.Concurrency = 1
	}
	cfg.Limits = cfg.Limits.WithDefaults()
	cfg.Allocator = cfg.runAllocator()
	res := &RunResult{
		RunID: cfg.RunID, Command: cfg.Command, DtmVersion: cfg.Version,
		StartedAt: time.Now().UTC(), DryRun: cfg.DryRun, Warehouse: cmp.Or(cfg.Location, cfg.Warehouse),
		Concurrency: cfg.Concurrency, Sources: []SourceResult{}, BySource: []JobSourceResult{},
	}
	finish := func(err error) (*RunResult, error) {
		res.EndedAt = time.Now().UTC()
		if err != nil {
			markNotCommitted(res, err)
		}
		summarise(res)
		res.ExitCode, res.Status = exitStatus(res, err)
		if err != nil {
			res.Error = err.Error()
		}
		if !cfg.DryRun {
			start := time.Now()
			if werr := writeRunResult(cfg.Warehouse, res); werr != nil && err == nil {
				err = werr
			}
			logStep(cfg, "run results", start)
		}
		return res, err
	}

	if lake.IsObjectStore(cfg.Warehouse) {
		return finishLocked(res, fmt.Errorf("%w, not %s: stage it with sinks/lake.OpenStage", ErrObjectStoreIngest, cfg.Warehouse))
	}
	if !cfg.DryRun {
		unlock, err := sinks.LockAs(cfg.Warehouse, fmt.Sprintf("run %s (%s)", cfg.RunID, cfg.Command))
		if err != nil {
			return finishLocked(res, err)
		}
		defer unlock()
		removed, err := sinks.RecoverHook(cfg.Warehouse, cfg.Hook)
		if err != nil {
			return finish(fmt.Errorf("recovering the warehouse: %w", err))
		}
		if len(removed) > 0 {
			cfg.Logger.Info("cleaned up after an interrupted run", zap.String("run_id", cfg.RunID),
				zap.Int("files", len(removed)), zap.String("stage", "recover"))
		}
	}
	txn, err := sinks.Begin(cfg.Warehouse, cfg.RunID)
	if err != nil {
		return finish(err)
	}
	txn.Hook = cfg.Hook
	txn.Allocator = cfg.Allocator
	if !cfg.DryRun { // a dry run stages nothing and must not touch the directory
		defer txn.Abort() // no-op after Commit
	}
	res.Generation = txn.Base().Generation

	res.Sources = make([]SourceResult, len(inputs))
	todo, replaces, later := plan(cfg, txn.Base(), inputs, res.Sources)
	// The hasher stops with the run (ctx: the run's signal; stopHashing:
	// the run's end, on every path) and Run returns once it has.
	hashCtx, stopHashing := context.WithCancel(ctx)
	defer hashLater(hashCtx, cfg.Limits.MaxFileBytes, later)()
	defer stopHashing()
	for _, r := range replaces {
		txn.SetReplaces(r[0], r[1])
	}
	keys := make([]*siteKeys, len(inputs))
	for i := range keys {
		keys[i] = &siteKeys{}
	}
	if !cfg.DryRun && cfg.Location == "" {
		cfg.summaries = newSummarySet() // see stageSummaries
	}
	step := time.Now()
	if err := ingestAll(ctx, cfg, txn, inputs, res.Sources, todo, later, keys); err != nil {
		return finish(err)
	}
	step = logStep(cfg, "ingest", step)
	if err := crossSourceCheck(ctx, cfg, txn.Base(), inputs, res.Sources, keys); err != nil {
		// The check only warns: a failure to run it is said, not fatal.
		cfg.Logger.Warn("cross-source duplicate check failed", zap.String("run_id", cfg.RunID), zap.Error(err))
		res.Notes = append(res.Notes, "cross-source duplicate check not done: "+err.Error())
	}
	step = logStep(cfg, "cross-source check", step)
	listed := map[string]bool{}
	for _, in := range inputs {
		listed[in.Key()] = true
		if in.Unavailable != "" && cfg.PruneSources[in.Source] {
			// A pattern that matches nothing (an unmounted share, a
			// renamed folder) must not delete the source's rows.
			cfg.PruneSources = withoutKey(cfg.PruneSources, in.Source)
		}
	}
	res.Pruned = prune(txn, cfg, listed)
	if cfg.DryRun {
		return finish(nil)
	}
	// The staged files are finished (their last row groups encoded) and
	// fsynced before the commit, which is then short.
	if err := txn.CloseStaged(); err != nil {
		return finish(err)
	}
	step = logStep(cfg, "close staged files", step)
	if err := stageSummaries(ctx, cfg, txn, res, cfg.summaries); err != nil {
		return finish(err)
	}
	step = logStep(cfg, "figure summaries", step)
	if err := ctx.Err(); err != nil {
		return finish(err)
	}
	// From here on a signal no longer stops the run: the commit is short
	// and either happens entirely or (on a crash) not at all.
	changed := txn.Changed()
	if err := txn.Commit(); err != nil {
		return finish(fmt.Errorf("committing: %w", err))
	}
	logStep(cfg, "commit", step)
	if changed {
		res.Committed = true
		res.Generation++
	}
	hook(cfg, "run:committed")
	return finish(nil)
}

// plan decides, in input order, which inputs are skipped (unchanged, or
// the same content as another input); it returns the indexes of the inputs
// to read, and the ledger keys of unchanged inputs whose job now declares
// another `replaces:` (with the new value). It hashes every input first,
// except those whose size alone says they are read (planSizes): later[i]
// is then the hash of input i, still to be computed (hashLater).
// Deciding in input order keeps the result independent of Concurrency.
func plan(cfg Config, base *sinks.Manifest, inputs []Input, out []SourceResult) (todo []int, replaces [][2]string, later []*hashFuture) {
	sizes := planSizes(base, inputs, cfg.Limits.MaxFileBytes)
	later = make([]*hashFuture, len(inputs))
	seenHash := map[string]string{}
	for _, s := range base.Sources {
		if prev, ok := seenHash[s.Dataset+":"+s.Hash]; !ok || s.Key < prev {
			seenHash[s.Dataset+":"+s.Hash] = s.Key
		}
	}
	planned := map[string]string{} // ledger key -> job source, in this run
	for i, in := range inputs {
		sr := SourceResult{Source: in.Source, Kind: in.Kind, File: in.Path, Sheet: strings.Join(in.Sheets, ", ")}
		if in.Unavailable != "" {
			sr.Status = StatusFailed
			sr.Errors = append(sr.Errors, in.Unavailable)
			out[i] = sr
			continue
		}
		if src, twice := planned[in.Key()]; twice {
			sr.Status = StatusDuplicate
			sr.Notes = append(sr.Notes, fmt.Sprintf("listed twice in this run (also by source %q): read once", src))
			out[i] = sr
			continue
		}
		planned[in.Key()] = in.Source
		prev, ok := base.Sources[in.Key()]
		var changes []string
		if ok {
			changes = shapeChanges(prev.Shape, in.Shape())
		}
		if size := sizes[i]; size >= 0 {
			// Of a size no source of its dataset has: its content changed
			// (or is new) and is no other source's.
			sr.Bytes, sr.Replaced = size, ok
			sr.Reason = readReason(cfg, in, ok, ok, changes)
			later[i] = newHashFuture(in.Path, size)
			later[i].onWait = cfg.hashOnWait
			todo = append(todo, i)
			out[i] = sr
			continue
		}
		hash, size, err := in.hash(cfg.Limits.MaxFileBytes)
		sr.Hash, sr.Bytes = hash, size
		forced := cfg.FullRefresh || cfg.RefreshSources[in.Source]
		switch {
		case err != nil:
			sr.Status = StatusFailed
			sr.Errors = append(sr.Errors, err.Error())
		case ok && prev.Hash == hash && len(changes) == 0 && !forced:
			sr.Status = StatusUnchanged
			sr.RowsSkipped = prev.RowsIn
			if prev.Replaces != in.Replaces && !cfg.DryRun {
				replaces = append(replaces, [2]string{in.Key(), in.Replaces})
			}
		default:
			sr.Replaced = ok
			sr.Reason = readReason(cfg, in, ok, ok && prev.Hash != hash, changes)
			if other, dup := seenHash[in.Kind+":"+hash]; dup && other != in.Key() {
				sr.Status = StatusDuplicate
				sr.Notes = append(sr.Notes, fmt.Sprintf("same content as %s, already ingested: skipped so that its rows are not counted twice", other))
				break
			}
			seenHash[in.Kind+":"+hash] = in.Key()
			todo = append(todo, i)
		}
		out[i] = sr
	}
	return todo, replaces, later
}

// ingestAll reads the inputs listed in todo, at most cfg.Concurrency at
// once, each into out[i]. It returns the context's error if the run was
// stopped. later[i] is the hash of input i when plan did not wait for it
// (nil: out[i] has it); keys[i] collects the site-rounds of input i.
func ingestAll(ctx context.Context, cfg Config, txn *sinks.Txn, inputs []Input, out []SourceResult, todo []int, later []*hashFuture, keys []*siteKeys) error {
	pseudo := transform.NewPseudonymizer(cfg.PseudonymKey)
	// One input's failure is its own (recorded in out[i]): the group never
	// returns an error and does not cancel the others.
	var g errgroup.Group
	g.SetLimit(max(1, cfg.Concurrency))
	for _, i := range todo {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			// One p-code book per input: an input's rows depend on that
			// input alone, so that incremental runs, crash recovery and
			// concurrency give the same rows as a full run.
			pcodes := transform.NewPcodeBook(cfg.Gazetteer)
			sr := ingestOne(ctx, cfg, txn, inputs[i], out[i], later[i], keys[i], pcodes, pseudo)
			if ctx.Err() != nil && sr.Status != StatusCommitted && sr.Status != StatusDryRun {
				sr.Status = StatusInterrupted
			}
			out[i] = sr
			logSource(cfg.Logger, cfg.RunID, sr)
			hook(cfg, fmt.Sprintf("input:done:%d", i))
			return nil
		})
	}
	g.Wait()
	for i := range inputs {
		if i < len(out) && out[i].Status == "" {
			out[i].Status = StatusInterrupted
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("run stopped before its commit: %w", err)
	}
	return nil
}

// markNotCommitted records that inputs staged by a run that then failed or
// stopped were not committed.
func markNotCommitted(res *RunResult, err error) {
	interrupted := errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
	for i := range res.Sources {
		s := &res.Sources[i]
		if s.Status != StatusCommitted && s.Status != "" {
			continue
		}
		if interrupted {
			s.Status = StatusInterrupted
			s.Notes = append(s.Notes, "not committed: the run was interrupted")
			continue
		}
		s.Status = StatusFailed
		s.Errors = append(s.Errors, "not committed: "+err.Error())
	}
}

// prune removes committed sources of the pruned job sources whose inputs
// were not listed in this run.
func prune(txn *sinks.Txn, cfg Config, listed map[string]bool) []string {
	if len(cfg.PruneSources) == 0 {
		return nil
	}
	var out []string
	for key, s := range txn.Base().Sources {
		if listed[key] || !cfg.PruneSources[s.JobSource] {
			continue
		}
		txn.RemoveSource(key)
		out = append(out, key)
	}
	sort.Strings(out)
	return out
}

// withoutKey returns a copy of m without k.
func withoutKey(m map[string]bool, k string) map[string]bool {
	out := make(map[string]bool, len(m))
	for key, v := range m {
		if key != k {
			out[key] = v
		}
	}
	return out
}

func hook(cfg Config, point string) {
	if cfg.Hook != nil {
		cfg.Hook(point)
	}
}

func finishLocked(res *RunResult, err error) (*RunResult, error) {
	res.EndedAt = time.Now().UTC()
	res.ExitCode, res.Status = ExitFailure, RunFailed
	res.Error = err.Error()
	return res, err
}

// exitStatus derives the exit code and status of a run. A signal that
// arrives once the commit has started does not change the outcome: the
// commit completes and the run reports it.
func exitStatus(res *RunResult, err error) (int, string) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return ExitInterrupted, RunInterrupted
	}
	if err != nil {
		return ExitFailure, RunFailed
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
		return ExitFailure, RunFailed
	case failed > 0:
		return ExitPartial, RunPartial
	case res.DryRun:
		return ExitOK, RunDryRun
	}
	return ExitOK, RunOK
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
