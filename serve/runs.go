package serve

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"

	"go.uber.org/zap"
)

// runSummary is what /api/v1/runs publishes of a run-results document:
// the counts and outcome, not the warehouse path nor the input files.
type runSummary struct {
	RunID        string    `json:"run_id"`
	Command      string    `json:"command"`
	DtmVersion   string    `json:"dtm_version"`
	StartedAt    time.Time `json:"started_at"`
	EndedAt      time.Time `json:"ended_at"`
	Status       string    `json:"status"`
	ExitCode     int       `json:"exit_code"`
	Committed    bool      `json:"committed"`
	Generation   int64     `json:"generation"`
	RowsIn       int64     `json:"rows_in"`
	RowsWritten  int64     `json:"rows_written"`
	RowsRejected int64     `json:"rows_rejected"`
	RowsSkipped  int64     `json:"rows_skipped"`
}

// handleRuns is GET /api/v1/runs?limit=N: the most recent run results
// (newest first, default 50, at most 1000), read from
// <warehouse>/_dtm/runs/ (of the newest view, for an object-store
// warehouse: the publish's run documents) at each request (runs that committed nothing add
// no generation, so this list is not tied to one). Unreadable documents
// are skipped and logged.
func (s *Server) handleRuns(w http.ResponseWriter, r *http.Request) {
	ps, p := readParams(r, []string{"limit"})
	if p != nil {
		writeProblem(w, r, *p)
		return
	}
	limit := int(ps.intParam("limit", 1, 1000, runsListed))
	if p := ps.problem(); p != nil {
		writeProblem(w, r, *p)
		return
	}
	root, err := s.gens.dir(r.Context())
	if err != nil {
		s.failed(w, r, err)
		return
	}
	files, err := filepath.Glob(filepath.Join(root, "_dtm", "runs", "*.json"))
	if err != nil {
		s.failed(w, r, err)
		return
	}
	runs := []runSummary{}
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil || fi.Size() > maxRunDocBytes {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			s.log.Warn("skipping an unreadable run document", zap.String("file", filepath.Base(f)), zap.Error(err))
			continue
		}
		var rs runSummary
		if err := json.Unmarshal(b, &rs); err != nil {
			s.log.Warn("skipping a run document that is not JSON", zap.String("file", filepath.Base(f)), zap.Error(err))
			continue
		}
		runs = append(runs, rs)
	}
	sort.Slice(runs, func(i, j int) bool {
		if !runs[i].StartedAt.Equal(runs[j].StartedAt) {
			return runs[i].StartedAt.After(runs[j].StartedAt)
		}
		return runs[i].RunID > runs[j].RunID
	})
	if len(runs) > limit {
		runs = runs[:limit]
	}
	s.static(w, r, map[string]any{"runs": runs})
}
