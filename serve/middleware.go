package serve

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyInfo
)

// reqInfo is what handlers tell the access log about a request.
type reqInfo struct {
	generation int64 // -1 when no generation was read
}

func requestID(ctx context.Context) string {
	s, _ := ctx.Value(keyRequestID).(string)
	return s
}

func info(ctx context.Context) *reqInfo {
	i, _ := ctx.Value(keyInfo).(*reqInfo)
	if i == nil {
		return &reqInfo{generation: -1}
	}
	return i
}

// statusWriter records the status and bytes of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe wraps the whole mux: request id, size limits, panic recovery,
// access log and metrics. It is the outermost layer.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		ri := &reqInfo{generation: -1}
		ctx := context.WithValue(context.WithValue(r.Context(), keyRequestID, id), keyInfo, ri)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		sw.Header().Set("X-Request-Id", id)
		aborted := false
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler { // a stream cut short on purpose
					aborted = true
				} else {
					s.log.Error("request panicked", zap.String("request_id", id), zap.Any("panic", v), zap.Stack("stack"))
					if sw.status == 0 {
						writeProblem(sw, r, problem{Type: probInternal, Status: http.StatusInternalServerError,
							Detail: "internal error; the server log has the details under this request id"})
					} else {
						aborted = true
					}
				}
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			d := time.Since(start)
			s.m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
			s.m.latency.WithLabelValues(route).Observe(d.Seconds())
			if status >= 500 || aborted {
				s.m.errors.WithLabelValues(route).Inc()
			}
			if ri.generation >= 0 {
				s.m.generation.Set(float64(ri.generation))
			}
			s.log.Info("request",
				zap.String("request_id", id),
				zap.String("method", r.Method),
				zap.String("route", route),
				zap.Int("status", status),
				zap.Int64("bytes", sw.bytes),
				zap.Duration("duration", d),
				zap.Int64("generation", ri.generation),
				zap.Strings("params", paramNames(r)),
				zap.Bool("aborted", aborted),
			)
			if aborted {
				panic(http.ErrAbortHandler) // let net/http drop the connection
			}
		}()
		if len(r.RequestURI) > maxURLBytes {
			writeProblem(sw, r, problem{Type: probURITooLong, Status: http.StatusRequestURITooLong,
				Detail: "the request URI is longer than " + strconv.Itoa(maxURLBytes) + " bytes"})
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead { // read-only API
			sw.Header().Set("Allow", "GET, HEAD")
			writeProblem(sw, r, problem{Type: "about:blank", Status: http.StatusMethodNotAllowed,
				Detail: "this API is read-only: GET and HEAD only"})
			return
		}
		if r.ContentLength > 0 || len(r.TransferEncoding) > 0 {
			r.Body = http.MaxBytesReader(sw, r.Body, 0) // GET only: no body is read
		}
		next.ServeHTTP(sw, r)
	})
}

// paramNames are the query parameter names of a request, sorted, for the
// access log: never the values (a filter may name a site or a person).
func paramNames(r *http.Request) []string {
	q, err := parseQuery(r)
	if err != nil {
		return []string{"(unparsable)"}
	}
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, clip(k, 40))
	}
	sort.Strings(names)
	if len(names) > maxParams {
		names = append(names[:maxParams], "…")
	}
	return names
}

// guard requires the bearer token (when configured) and holds one of the
// MaxInFlight slots for the request (429 when none is free), with the
// request's timeout.
func (s *Server) guard(next http.HandlerFunc) http.HandlerFunc {
	return s.authorize(func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.slots <- struct{}{}:
		default:
			s.m.rejected.Inc()
			w.Header().Set("Retry-After", retryAfter)
			writeProblem(w, r, problem{Type: probTooMany, Status: http.StatusTooManyRequests,
				Detail: "the server is answering as many requests as it allows; retry after a second"})
			return
		}
		s.m.inFlight.Inc()
		defer func() {
			s.m.inFlight.Dec()
			<-s.slots
		}()
		ctx, cancel := context.WithTimeout(r.Context(), s.opt.Timeout)
		defer cancel()
		next(w, r.WithContext(ctx))
	})
}

// authorize requires "Authorization: Bearer TOKEN" when a token is set.
func (s *Server) authorize(next http.HandlerFunc) http.HandlerFunc {
	if s.opt.Token == "" {
		return next
	}
	want := []byte(s.opt.Token)
	return func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="dtm"`)
			writeProblem(w, r, problem{Type: probUnauth, Status: http.StatusUnauthorized,
				Detail: "this server needs a bearer token (Authorization: Bearer ...)"})
			return
		}
		next(w, r)
	}
}

// failed answers an error that is not the client's: 503 on timeout, 500
// otherwise; the cause goes to the log only.
func (s *Server) failed(w http.ResponseWriter, r *http.Request, err error) {
	id := requestID(r.Context())
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(r.Context().Err(), context.DeadlineExceeded) {
		s.log.Warn("request timed out", zap.String("request_id", id), zap.Duration("timeout", s.opt.Timeout))
		w.Header().Set("Retry-After", retryAfter)
		writeProblem(w, r, problem{Type: probTimeout, Status: http.StatusServiceUnavailable,
			Detail: "the request took longer than the server allows (" + s.opt.Timeout.String() + "); narrow it with parameters"})
		return
	}
	if errors.Is(err, context.Canceled) { // the client went away
		s.log.Info("request canceled", zap.String("request_id", id))
		return
	}
	s.log.Error("request failed", zap.String("request_id", id), zap.Error(err))
	writeProblem(w, r, problem{Type: probInternal, Status: http.StatusInternalServerError,
		Detail: "internal error; the server log has the details under this request id"})
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
