package pipeline

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/sinks"
	"go.uber.org/zap"
)

// stageSummaries stages, in the run's transaction, the figure summary
// (query.SummaryWriter) of every site_assessment source of at least
// Config.SummaryMinRows rows that the commit will hold without a current
// one (smaller ones are aggregated when the figures read them): the sources the run ingests, and, when the
// run commits anyway, committed sources written before summaries existed
// (once). Runs staged for an object-store warehouse write none. The
// figures then read the summaries instead of every row
// (query/summary.go). A summary that cannot be written is said in the run
// notes, not fatal: the figures read the rows while any source lacks one.
// It returns an error only when the staged files cannot be closed (the
// commit would fail the same way) or ctx is done.
func stageSummaries(ctx context.Context, cfg Config, txn *sinks.Txn, res *RunResult) error {
	if !txn.Changed() {
		return nil // nothing is committed: no summary is backfilled either
	}
	if cfg.Location != "" {
		// A run staged for an object-store warehouse (sinks/lake): the
		// summaries are not published, so its working copy never has any
		// and writing them would only cost a scan of every row per run.
		return nil
	}
	if err := txn.CloseStaged(); err != nil {
		return err
	}
	minRows := int64(cfg.SummaryMinRows)
	if minRows <= 0 {
		minRows = query.SummaryMinRows
	}
	todos := txn.SummaryTodos(siteRoundDataset, query.SummaryVersion, minRows)
	if len(todos) == 0 {
		return nil
	}
	// The rows are written and their Go memory is garbage: hand it back to
	// the OS before DuckDB takes its own, so that the two do not add up in
	// the run's peak RSS (the Go heap is otherwise kept up to the soft
	// memory limit).
	debug.FreeOSMemory()
	w, err := query.NewSummaryWriter(ctx, cfg.Registry)
	if err != nil {
		cfg.Logger.Warn("figure summaries not written", zap.String("run_id", cfg.RunID), zap.Error(err))
		res.Notes = append(res.Notes, fmt.Sprintf("figure summaries not written (figures read the rows instead): %v", err))
		return nil
	}
	defer w.Close()
	for _, todo := range todos {
		err := txn.StageSummary(todo.Key, query.SummaryVersion, func(path string) error {
			return w.Write(ctx, todo.Paths, path)
		})
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		cfg.Logger.Warn("figure summary not written", zap.String("run_id", cfg.RunID), zap.String("source", todo.Key), zap.Error(err))
		res.Notes = append(res.Notes, fmt.Sprintf("figure summary of %s not written (figures read the rows instead): %v", todo.Key, err))
	}
	return nil
}
