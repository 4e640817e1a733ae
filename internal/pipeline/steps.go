package pipeline

import (
	"time"

	"go.uber.org/zap"
)

// logStep logs at debug level that step of the run took the time since
// start (so that a run's log says where its time went: ingest, the
// cross-source check, closing the staged files, figure summaries,
// commit, run results), and returns the time now, the start of the next
// step.
func logStep(cfg Config, step string, start time.Time) time.Time {
	now := time.Now()
	cfg.Logger.Debug("run step done", zap.String("run_id", cfg.RunID), zap.String("stage", step),
		zap.Duration("duration", now.Sub(start)))
	return now
}
