package serve

import (
	"context"
	"io"
	"time"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"go.uber.org/zap"
)

// ReportFunc writes the self-contained HTML report of one country (ISO3,
// upper case) or of every country (""), from the given DB (one committed
// generation), to w. It is the hook through which package report's
// renderer is served at / and /report/{iso3}.
type ReportFunc func(ctx context.Context, db *query.DB, country string, w io.Writer) error

// Options configure a Server. Zero values take the defaults documented per
// field.
type Options struct {
	// Warehouse is the warehouse directory (required unless View is set;
	// with View it only names the warehouse in the log).
	Warehouse string
	// View, when set, gives the directory to serve instead of Warehouse
	// (an object-store warehouse: the local view of its last complete
	// publish). It is called when the server starts, then, while requests
	// come, at most every ViewPoll in the background: a newer publish is
	// served from the first request after its view is in place.
	View ViewFunc
	// ViewPoll is how often View is called again (default 15 s).
	ViewPoll time.Duration
	// Registry is the dataset registry (default schemas.Default()).
	Registry *schemas.Registry
	// Logger receives the access log and errors (default: no logging).
	Logger *zap.Logger
	// Token, when set, is required as "Authorization: Bearer TOKEN" on
	// every endpoint but /healthz and /readyz (DTM_SERVE_TOKEN).
	Token string
	// Timeout bounds each request's work (default 30 s); past it the
	// query is interrupted and the client gets 503.
	Timeout time.Duration
	// MaxRows caps the rows of one response (default 100 000): a figure
	// with more is refused (422), a dataset page is at most this long.
	MaxRows int
	// DefaultLimit is a dataset page's length when the client gives no
	// limit (default 1 000).
	DefaultLimit int
	// MaxInFlight is how many data requests run at once (default 64);
	// more are answered 429 at once, with Retry-After.
	MaxInFlight int
	// DBConns is the number of DuckDB connections per generation (default 4).
	DBConns int
	// MinCell is the small-cell threshold of suppressed figures (default
	// query.DefaultMinCell).
	MinCell int
	// MaxAge is the Cache-Control max-age of data responses (default 60 s).
	MaxAge time.Duration
	// CacheBytes bounds the response cache (bodies of figures, HAPI,
	// dataset pages and the report, each at most CacheBytes/8, keyed by
	// ETag; default 32 MiB; negative: no cache).
	CacheBytes int64
	// Report, when set, serves the HTML report at / and /report/{iso3}.
	Report ReportFunc
}

// Request limits that are not configurable.
const (
	maxURLBytes    = 4096     // longer request URIs get 414
	maxParams      = 32       // more query parameters get 400
	maxParamBytes  = 200      // a longer parameter value gets 400
	maxHeaderBytes = 16 << 10 // http.Server.MaxHeaderBytes
	maxOffset      = 1 << 40  // a larger offset gets 400
	retryAfter     = "1"      // seconds, on 429
	runsListed     = 50       // runs in /api/v1/runs by default
	maxRunDocBytes = 16 << 20 // run documents larger than this are skipped
	shutdownGrace  = 30 * time.Second
)

func (o Options) withDefaults() Options {
	if o.Registry == nil {
		o.Registry = schemas.Default()
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxRows <= 0 {
		o.MaxRows = 100_000
	}
	if o.DefaultLimit <= 0 {
		o.DefaultLimit = 1000
	}
	if o.DefaultLimit > o.MaxRows {
		o.DefaultLimit = o.MaxRows
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = 64
	}
	if o.DBConns <= 0 {
		o.DBConns = 4
	}
	if o.MinCell <= 0 {
		o.MinCell = query.DefaultMinCell
	}
	if o.CacheBytes == 0 {
		o.CacheBytes = 32 << 20
	}
	if o.ViewPoll <= 0 {
		o.ViewPoll = 15 * time.Second
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 60 * time.Second
	}
	return o
}
