package pipeline

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/transform"
	"go.uber.org/zap"
)

// summarySet holds the figure summaries computed in Go while a run writes
// its site_assessment inputs (query.SummaryBuilder), by input key: at the
// commit each is written as its source's summary, so that the rows need
// not be read back. A nil set builds none (dry runs, runs staged for an
// object-store warehouse). Safe for concurrent use.
type summarySet struct {
	mu sync.Mutex
	m  map[string]*query.SummaryBuilder
}

func newSummarySet() *summarySet { return &summarySet{m: map[string]*query.SummaryBuilder{}} }

// start returns a new builder for the rows of the input key of dataset
// kind (replacing any earlier one), or nil when s is nil or the kind has
// no summary. Its rows are added by the input's writer (staging.writeParts).
func (s *summarySet) start(key, kind string) *query.SummaryBuilder {
	if s == nil || kind != siteRoundDataset {
		return nil
	}
	b := query.NewSummaryBuilder()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = b
	return b
}

// take removes and returns the builder of key (nil if none).
func (s *summarySet) take(key string) *query.SummaryBuilder {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.m[key]
	delete(s.m, key)
	return b
}

// summarise adds records to the input's figure summary, if it has one.
func (s *staging) summarise(recs []transform.PartRecord) {
	if s.summary == nil {
		return
	}
	for _, r := range recs {
		s.summary.Add(r.Record)
	}
}

// stageSummaries stages, in the run's transaction, the figure summary of
// every site_assessment source of at least Config.SummaryMinRows rows
// that the commit will hold without a current one (smaller ones are
// aggregated when the figures read them): the sources the run ingests,
// and, when the run commits anyway, committed sources written before
// summaries existed (once). Runs staged for an object-store warehouse
// write none. The figures then read the summaries instead of every row
// (query/summary.go).
//
// The summary of a source this run wrote is the one built in Go as its
// rows were written (built); the others' (committed sources, or a source
// whose builder gave up: query.MaxSummaryGroups) are computed by DuckDB
// from the source's files (query.SummaryWriter): call it after
// Txn.CloseStaged. A summary that cannot be written is said in the run
// notes, not fatal: the figures read the rows while any source lacks one.
// It returns an error only when ctx is done.
func stageSummaries(ctx context.Context, cfg Config, txn *sinks.Txn, res *RunResult, built *summarySet) error {
	if !txn.Changed() {
		return nil // nothing is committed: no summary is backfilled either
	}
	if cfg.Location != "" {
		// A run staged for an object-store warehouse (sinks/lake): the
		// summaries are not published, so its working copy never has any
		// and writing them would only cost a scan of every row per run.
		return nil
	}
	minRows := int64(cfg.SummaryMinRows)
	if minRows <= 0 {
		minRows = query.SummaryMinRows
	}
	var w *query.SummaryWriter
	defer func() {
		if w != nil {
			w.Close()
		}
	}()
	notWritten := func(key string, err error) {
		cfg.Logger.Warn("figure summary not written", zap.String("run_id", cfg.RunID), zap.String("source", key), zap.Error(err))
		res.Notes = append(res.Notes, fmt.Sprintf("figure summary of %s not written (figures read the rows instead): %v", key, err))
	}
	for _, todo := range txn.SummaryTodos(siteRoundDataset, query.SummaryVersion, minRows) {
		start := time.Now()
		b := built.take(todo.Key)
		if ok, why := builtSummaryFits(b, todo, cfg.RunID); ok {
			if err := txn.StageSummary(todo.Key, query.SummaryVersion, b.WriteFile); err != nil {
				notWritten(todo.Key, err)
			}
			cfg.Logger.Debug("figure summary written", zap.String("run_id", cfg.RunID), zap.String("source", todo.Key),
				zap.String("by", "go"), zap.Int("groups", b.Groups()), zap.Duration("duration", time.Since(start)))
			continue
		} else if why != "" {
			cfg.Logger.Debug("figure summary read back from the files", zap.String("run_id", cfg.RunID), zap.String("source", todo.Key), zap.String("why", why))
		}
		if w == nil {
			var err error
			if w, err = openSummaryWriter(ctx, cfg); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				cfg.Logger.Warn("figure summaries not written", zap.String("run_id", cfg.RunID), zap.Error(err))
				res.Notes = append(res.Notes, fmt.Sprintf("figure summaries not written (figures read the rows instead): %v", err))
				return nil
			}
		}
		err := txn.StageSummary(todo.Key, query.SummaryVersion, func(path string) error {
			return w.Write(ctx, todo.Paths, path)
		})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			notWritten(todo.Key, err)
			continue
		}
		cfg.Logger.Debug("figure summary written", zap.String("run_id", cfg.RunID), zap.String("source", todo.Key),
			zap.String("by", "duckdb"), zap.Duration("duration", time.Since(start)))
	}
	return nil
}

// builtSummaryFits reports whether b, built while this run (runID) wrote
// the rows of todo, is the summary of todo's rows: this run wrote the
// source's rows, b saw them all and kept every group. why says why not
// when b exists.
func builtSummaryFits(b *query.SummaryBuilder, todo sinks.SummaryTodo, runID string) (ok bool, why string) {
	switch {
	case b == nil:
		return false, ""
	case todo.RunID != runID:
		return false, "the source's rows are an earlier run's"
	case b.Err() != nil:
		return false, b.Err().Error()
	case b.Rows() != todo.RowsWritten:
		return false, fmt.Sprintf("internal error: %d rows summarised of %d written", b.Rows(), todo.RowsWritten)
	}
	return true, ""
}

// openSummaryWriter opens DuckDB to write summaries from Parquet files.
func openSummaryWriter(ctx context.Context, cfg Config) (*query.SummaryWriter, error) {
	// The rows are written and their Go memory is garbage: hand it back to
	// the OS before DuckDB takes its own, so that the two do not add up in
	// the run's peak RSS (the Go heap is otherwise kept up to the soft
	// memory limit).
	debug.FreeOSMemory()
	start := time.Now()
	w, err := query.NewSummaryWriter(ctx, cfg.Registry)
	cfg.Logger.Debug("figure summary writer opened", zap.String("run_id", cfg.RunID), zap.Duration("duration", time.Since(start)))
	return w, err
}
