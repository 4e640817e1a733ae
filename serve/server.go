package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/iom-dtm/dtm/sinks"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"
)

// Server is the read-only HTTP API over one warehouse.
type Server struct {
	opt      Options
	log      *zap.Logger
	gens     *generations
	cat      *catalogue
	datasets map[string]*servedDataset
	m        *metrics
	slots    chan struct{}
	openapi  map[string]any
	cache    *respCache
	flights  flights
	handler  http.Handler
}

// New builds a server: the figure catalogue, the served datasets, the
// metrics and the routes. It opens the warehouse's current generation once
// to fail early when the warehouse cannot be read.
func New(ctx context.Context, opt Options) (*Server, error) {
	var views *viewPoller
	root := ""
	if opt.View == nil {
		if opt.Warehouse == "" {
			return nil, errors.New("serve: no warehouse directory")
		}
		abs, err := filepath.Abs(opt.Warehouse)
		if err != nil {
			return nil, fmt.Errorf("serve: warehouse %q: %w", opt.Warehouse, err)
		}
		if err := sinks.Exists(abs); err != nil { // a mistyped path is an error, not an empty API
			return nil, err
		}
		opt.Warehouse, root = abs, abs
	}
	opt = opt.withDefaults()
	if opt.View != nil {
		views = newViewPoller(opt.View, opt.ViewPoll, opt.Logger)
	}
	s := &Server{opt: opt, log: opt.Logger, m: newMetrics(), slots: make(chan struct{}, opt.MaxInFlight), cache: newRespCache(opt.CacheBytes)}
	s.gens = newGenerations(root, opt.Registry, opt.DBConns, views)
	var err error
	if s.cat, err = buildCatalogue(ctx, opt.Registry); err != nil {
		return nil, err
	}
	s.datasets = publicDatasets(opt.Registry)
	s.openapi = s.buildOpenAPI()
	gen, err := s.gens.acquire(ctx, false)
	if err != nil {
		s.gens.close()
		return nil, err
	}
	s.m.generation.Set(float64(gen.number))
	s.gens.release(gen)
	s.handler = s.routes()
	return s, nil
}

// routes is the API (Go 1.22+ method and wildcard patterns; a GET pattern
// also answers HEAD; another method gets 405 from the mux).
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/figures", s.guard(s.handleCatalogue))
	mux.HandleFunc("GET /api/v1/figures/{name}", s.guard(s.handleFigure))
	mux.HandleFunc("GET /api/v1/affected-people/idps", s.guard(s.handleHAPIIdps))
	mux.HandleFunc("GET /api/v1/datasets", s.guard(s.handleDatasetList))
	mux.HandleFunc("GET /api/v1/datasets/{name}", s.guard(s.handleDataset))
	mux.HandleFunc("GET /api/v1/runs", s.guard(s.handleRuns))
	mux.HandleFunc("GET /api/v1/openapi.json", s.guard(s.handleOpenAPI))
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	mux.Handle("GET /metrics", s.authorize(promhttp.HandlerFor(s.m.reg, promhttp.HandlerOpts{
		ErrorLog: zap.NewStdLog(s.log), Registry: s.m.reg, MaxRequestsInFlight: 4}).ServeHTTP))
	if s.opt.Report != nil {
		mux.HandleFunc("GET /{$}", s.guard(s.handleReport))
		mux.HandleFunc("GET /report/{iso3}", s.guard(s.handleReport))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, notFound("no such endpoint; GET /api/v1/openapi.json describes them"))
	})
	return s.observe(mux)
}

// Handler is the server's HTTP handler (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers on ln until ctx is done, then stops accepting, lets the
// requests in flight finish (up to 30 s) and closes the warehouse.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      s.opt.Timeout + 30*time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          zap.NewStdLog(s.log),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", zap.String("addr", ln.Addr().String()), zap.Int64("generation", s.gens.current()))
	select {
	case err := <-errc:
		s.gens.close()
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-errc
	s.gens.close()
	if err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}

// ListenAndServe listens on addr (host:port) and calls Serve.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Close releases the warehouse (when Serve was not used).
func (s *Server) Close() { s.gens.close() }
