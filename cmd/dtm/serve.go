package main

import (
	"context"
	"io"
	"time"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/report"
	"github.com/iom-dtm/dtm/serve"
	"github.com/iom-dtm/dtm/sinks/lake"
	"github.com/spf13/cobra"
)

// serveFlags are the flags of `dtm serve`; policy lives in package serve.
type serveFlags struct {
	addr        string
	timeout     time.Duration
	maxRows     int
	maxInFlight int
	minCell     int
	maxAge      time.Duration
	poll        time.Duration
	config      string
}

func (a *app) serveCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080]",
		Short: "Serve figures and public datasets over HTTP (read-only; beside the nightly run)",
		Long: `Serve the committed warehouse read-only over HTTP: the figure catalogue and
figures (/api/v1/figures), HDX HAPI's /api/v1/affected-people/idps, public
datasets (/api/v1/datasets/{name}; flow_survey never), run results, an
OpenAPI 3.1 document (/api/v1/openapi.json), /healthz, /readyz, /metrics.
Formats: json (default), csv, hxl, jsonl, geojson, by format= or Accept.

Each request reads one committed generation; a run committing meanwhile is
served from the next request on, without restart. With --warehouse s3://…
(and --catalog), the last complete publish is served from a local view
(files fetched into the local cache, as query/figures/export do); a newer
publish is looked for every --poll while requests come, fetched in the
background, and served once in place. DuckDB is locked to the
warehouse. DTM_SERVE_TOKEN, when set, is required as a bearer token (but
for /healthz and /readyz). SIGTERM or SIGINT stop accepting requests and
let those in flight finish; the exit code is then 0.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := a.readSettings(cmd, f.config)
			if err != nil {
				return err
			}
			f.minCell = set.MinCell // --min-cell, else the job's, else 0: serve's default
			return a.runServe(cmd, f, set.ServeToken)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port); put a reverse proxy in front for TLS")
	fl.DurationVar(&f.timeout, "timeout", 30*time.Second, "longest time one request may take (503 past it)")
	fl.IntVar(&f.maxRows, "max-rows", 100_000, "most rows in one response")
	fl.IntVar(&f.maxInFlight, "max-in-flight", 64, "data requests answered at once (429 beyond)")
	fl.IntVar(&f.minCell, "min-cell", query.DefaultMinCell, "small-cell threshold of suppressed figures (flow_survey; default: the job's privacy.min_cell, else this)")
	configFlag(cmd, &f.config)
	fl.DurationVar(&f.maxAge, "max-age", time.Minute, "Cache-Control max-age of data responses")
	fl.DurationVar(&f.poll, "poll", 15*time.Second, "with an s3:// warehouse: how often to look for a newer publish")
	return cmd
}

// runServe starts the server and blocks until the command's context ends
// (SIGTERM/SIGINT), then shuts down gracefully.
func (a *app) runServe(cmd *cobra.Command, f serveFlags, token string) error {
	if f.maxRows < 1 || f.maxInFlight < 1 || f.minCell < 0 || f.timeout <= 0 || f.poll <= 0 {
		return usagef("--max-rows, --max-in-flight, --min-cell, --timeout and --poll must be positive")
	}
	ctx := cmd.Context()
	var view serve.ViewFunc
	if lake.IsObjectStore(a.warehouse) {
		opts := lake.ReadOptions{Location: a.warehouse, Catalog: a.catalog, Env: lake.EnvFrom(a.env.Get), Registry: a.registry}
		view = func(ctx context.Context) (string, error) {
			v, err := lake.Materialize(ctx, opts)
			if err != nil {
				return "", err
			}
			return v.Root, nil
		}
	}
	s, err := serve.New(ctx, serve.Options{
		Warehouse:   a.warehouse,
		View:        view,
		ViewPoll:    f.poll,
		Registry:    a.registry,
		Logger:      a.log,
		Token:       token,
		Timeout:     f.timeout,
		MaxRows:     f.maxRows,
		MaxInFlight: f.maxInFlight,
		MinCell:     f.minCell,
		MaxAge:      f.maxAge,
		Report:      reportHook(f.minCell),
	})
	if err != nil {
		return err
	}
	return s.ListenAndServe(ctx, f.addr)
}

// reportHook serves `dtm report`'s HTML (package report) at / and
// /report/{iso3}, from the request's generation; no build time is printed,
// so that one generation gives the same bytes (and ETag) every time.
func reportHook(minCell int) serve.ReportFunc {
	return func(ctx context.Context, db *query.DB, country string, w io.Writer) error {
		return report.Render(ctx, db, report.Options{Country: country, MinCell: minCell}, w)
	}
}
