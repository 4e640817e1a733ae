package serve

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap"
)

// handleHealth is GET /healthz: the process answers (no warehouse access).
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReady is GET /readyz: the current generation opens and DuckDB
// answers over it, and its data files are present; 503 otherwise.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	gen, err := s.gens.acquire(ctx, false)
	if err != nil {
		s.unready(w, r, err)
		return
	}
	defer s.gens.release(gen)
	info(ctx).generation = gen.number
	if _, err := gen.db.Query(ctx, "SELECT 1"); err != nil {
		s.unready(w, r, err)
		return
	}
	m := gen.db.Manifest()
	for _, src := range m.Sources { // one file per source is enough to see the warehouse is there
		if len(src.Files) == 0 {
			continue
		}
		if _, err := os.Stat(filepath.Join(gen.root, filepath.FromSlash(src.Files[0]))); err != nil && !s.gens.newer(gen) {
			s.unready(w, r, err)
			return
		}
	}
	writeJSON(w, r, http.StatusOK, map[string]any{"status": "ready", "generation": gen.number, "committed_at": gen.committed})
}

func (s *Server) unready(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Warn("not ready", zap.Error(err))
	writeProblem(w, r, problem{Type: probUnready, Status: http.StatusServiceUnavailable,
		Detail: "the warehouse cannot be read; the server log says why"})
}
