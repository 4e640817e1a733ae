package serve

import (
	"bytes"
	"context"
	"net/http"
	"strings"
)

// handleReport is GET / and GET /report/{iso3}: the HTML report of every
// country or of one, from one committed generation, rendered by
// Options.Report (package report). It is registered only when the hook is
// set.
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	country := r.PathValue("iso3")
	ps, p := readParams(r, nil)
	if p != nil {
		writeProblem(w, r, *p)
		return
	}
	if country != "" {
		if !iso3.MatchString(country) {
			writeProblem(w, r, notFound("a report is named by an ISO3 country code, such as /report/SSD"))
			return
		}
		country = strings.ToUpper(country)
	}
	s.answer(w, r, ps.q, "html", true, func(ctx context.Context, gen *generation, w http.ResponseWriter) error {
		var buf bytes.Buffer // rendered whole: a failed render must not send half a page
		if err := s.opt.Report(ctx, gen.db, country, &buf); err != nil {
			return err
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		// The report is self-contained (inline scripts and styles, no network).
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodHead {
			return nil
		}
		_, err := w.Write(buf.Bytes())
		return err
	})
}
