package serve

import (
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
// With cache set (small, whole responses: figures, HAPI, the report), a
// GET's body is kept by ETag (respCache) and later requests for the same
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
			if c := s.cache.get(tag); c != nil {
				s.gens.release(gen)
				s.m.cacheHits.Inc()
				c.send(w, r)
				return
			}
		}
		tw := &trackWriter{ResponseWriter: w}
		var buf *bufferWriter
		if cache && r.Method == http.MethodGet {
			buf = newBufferWriter()
			err = fn(ctx, gen, buf)
			if err == nil && buf.status == http.StatusOK {
				c := &cached{key: tag, contentType: buf.h.Get("Content-Type"), extra: http.Header{}, body: buf.body.Bytes()}
				for k, vs := range buf.h {
					if k != "Content-Type" && k != "X-Content-Type-Options" {
						c.extra[k] = vs
					}
				}
				s.cache.put(c)
				c.send(tw, r)
			}
		} else {
			err = fn(ctx, gen, tw)
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

// trackWriter records whether a response has started.
type trackWriter struct {
	http.ResponseWriter
	started bool
}

func (t *trackWriter) WriteHeader(code int) {
	t.started = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackWriter) Write(b []byte) (int, error) {
	t.started = true
	return t.ResponseWriter.Write(b)
}

func (t *trackWriter) Flush() {
	t.started = true
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
