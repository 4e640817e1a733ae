package serve

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"

	"go.uber.org/zap"
)

// problemError carries a problem for the client out of an answer function.
type problemError struct{ p problem }

func (e *problemError) Error() string { return e.p.Detail }

func clientProblem(p problem) error { return &problemError{p} }

// answerFunc writes the response of a data request from one generation.
// It must write nothing when it returns an error before its first row.
type answerFunc func(ctx context.Context, gen *generation, w http.ResponseWriter) error

// maxAttempts bounds how often a request is answered again after commits
// removed its generation's files.
const maxAttempts = 3

// answer serves a data request from one committed generation: it acquires
// the current generation, sets ETag/Last-Modified/Cache-Control, answers
// 304 when the client's validators match, and otherwise calls fn. When fn
// fails before writing and a commit has happened since, the request is
// answered again from the new generation (the failure was the old
// generation's files being removed). A failure after the first byte cuts
// the connection, so a client never takes a truncated body for a whole one.
//
// With cache set, a GET's body (when it is at most respCache.maxEntry
// bytes) is kept by ETag as it is sent, and later requests for the same
// thing from the same generation are answered from it.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, q url.Values, f format, cache bool, fn answerFunc) {
	ctx := r.Context()
	for attempt := 1; ; attempt++ {
		gen, err := s.gens.acquire(ctx, attempt > 1)
		if err != nil {
			s.failed(w, r, err)
			return
		}
		info(ctx).generation = gen.number
		tag := etag(gen.number, r.URL.Path, q, f)
		s.cacheHeaders(w.Header(), tag, gen.committed)
		if notModified(r, tag, gen.committed) {
			s.gens.release(gen)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if cache {
			c := s.cache.get(tag)
			if c == nil && r.Method == http.MethodGet {
				// An identical request is being answered: wait for it and
				// take its body from the cache, rather than query again.
				if done := s.flights.join(tag); done != nil {
					select {
					case <-done:
						c = s.cache.get(tag)
					case <-ctx.Done():
					}
				} else {
					defer s.flights.leave(tag)
				}
			}
			if c != nil {
				s.gens.release(gen)
				s.m.cacheHits.Inc()
				c.send(w, r)
				return
			}
		}
		tw := &trackWriter{ResponseWriter: w}
		if cache && r.Method == http.MethodGet {
			tw.keep = &bytes.Buffer{}
			tw.keepMax = s.cache.maxEntry()
		}
		err = fn(ctx, gen, tw)
		if err == nil && tw.keep != nil && tw.status == http.StatusOK {
			c := &cached{key: tag, contentType: w.Header().Get("Content-Type"), extra: http.Header{}, body: tw.keep.Bytes()}
			if csp := w.Header().Get("Content-Security-Policy"); csp != "" {
				c.extra.Set("Content-Security-Policy", csp)
			}
			s.cache.put(c)
		}
		retry := err != nil && !tw.started && attempt < maxAttempts && ctx.Err() == nil && s.gens.newer(gen)
		s.gens.release(gen)
		if err == nil {
			return
		}
		var pe *problemError
		switch {
		case errors.As(err, &pe) && !tw.started:
			writeProblem(w, r, pe.p)
			return
		case retry:
			s.m.retries.Inc()
			s.log.Info("answering again from a newer generation", zap.String("request_id", requestID(ctx)), zap.Int64("generation", gen.number), zap.Error(err))
			continue
		case !tw.started:
			s.failed(w, r, err)
			return
		default:
			s.log.Error("response cut short", zap.String("request_id", requestID(ctx)), zap.Error(err))
			panic(http.ErrAbortHandler)
		}
	}
}

// trackWriter records whether a response has started and, when keep is
// set, keeps a copy of the body for the response cache (given up past
// keepMax bytes: keep is then nil).
type trackWriter struct {
	http.ResponseWriter
	started bool
	status  int
	keep    *bytes.Buffer
	keepMax int64
}

func (t *trackWriter) WriteHeader(code int) {
	if !t.started {
		t.status = code
	}
	t.started = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackWriter) Write(b []byte) (int, error) {
	if !t.started {
		t.status = http.StatusOK
	}
	t.started = true
	if t.keep != nil {
		if int64(t.keep.Len()+len(b)) > t.keepMax {
			t.keep = nil
		} else {
			t.keep.Write(b)
		}
	}
	return t.ResponseWriter.Write(b)
}

func (t *trackWriter) Flush() {
	t.started = true
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
