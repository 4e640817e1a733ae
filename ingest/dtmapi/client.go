package dtmapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/iom-dtm/dtm/ingest"
)

const (
	// DefaultBaseURL is the public DTM API.
	DefaultBaseURL = "https://dtmapi.iom.int"
	// KeyHeader is the request header that carries the subscription key.
	KeyHeader = "Ocp-Apim-Subscription-Key"
	// KeyEnv is the environment variable the CLI reads the key from (this
	// package never reads the environment).
	KeyEnv = "DTM_API_KEY"
	// errorSnippetBytes bounds what is read of an error response's body.
	errorSnippetBytes = 64 << 10
)

// ClientOptions configures a Client. Zero fields take the defaults noted.
type ClientOptions struct {
	// Timeout bounds one attempt, request and body (default 2 minutes).
	Timeout time.Duration
	// MaxRetries is the number of retries after the first attempt on 429,
	// 5xx and network errors (0 = default 4; negative = no retry).
	MaxRetries int
	// BaseBackoff is the wait before the first retry; it doubles each retry
	// up to MaxBackoff, with jitter (defaults 2 s and 1 minute).
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	// MaxRetryAfter is the longest Retry-After honoured (default 5 minutes);
	// a longer one ends the retries with an error.
	MaxRetryAfter time.Duration
	// MaxBodyBytes bounds a response body (default 512 MiB); a larger one
	// fails with an error wrapping ingest.ErrLimit.
	MaxBodyBytes int64
	// Logger receives one debug line per request and a warning per retry
	// (never the key, never record contents). nil = no logging.
	Logger *zap.Logger
	// HTTPClient sends the requests (default: a new http.Client). Redirects
	// to another host never carry the key.
	HTTPClient *http.Client
	// Sleep waits between retries (default: a timer that honours ctx);
	// tests inject a recorder.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns the jitter fraction in [0, 1) (default math/rand/v2).
	Rand func() float64
	// Now is the clock for Retry-After dates (default time.Now).
	Now func() time.Time
	// UserAgent is sent as User-Agent (default "dtm (+https://github.com/iom-dtm/dtm)").
	UserAgent string
}

func (o ClientOptions) withDefaults() ClientOptions {
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	switch {
	case o.MaxRetries == 0:
		o.MaxRetries = 4
	case o.MaxRetries < 0:
		o.MaxRetries = 0
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = 2 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Minute
	}
	if o.MaxBackoff < o.BaseBackoff {
		o.MaxBackoff = o.BaseBackoff
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = 5 * time.Minute
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 512 << 20
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.UserAgent == "" {
		o.UserAgent = "dtm (+https://github.com/iom-dtm/dtm)"
	}
	return o
}

// Client fetches displacement figures from the DTM API. It is safe for
// concurrent use.
type Client struct {
	base    *url.URL
	baseErr error
	key     string
	opts    ClientOptions
	http    *http.Client
}

// NewClient returns a client of the API at baseURL ("" = DefaultBaseURL)
// that authenticates with apiKey. A malformed baseURL is reported by the
// first call.
func NewClient(baseURL, apiKey string, opts ClientOptions) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	c := &Client{key: apiKey, opts: opts.withDefaults()}
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	switch {
	case err != nil:
		c.baseErr = fmt.Errorf("DTM API base URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		c.baseErr = fmt.Errorf("DTM API base URL %q: want http(s)://host[/path]", baseURL)
	}
	c.base = u
	hc := http.Client{}
	if opts.HTTPClient != nil {
		hc = *opts.HTTPClient
	}
	next := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 && req.URL.Host != via[0].URL.Host {
			req.Header.Del(KeyHeader)
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	c.http = &hc
	return c
}

// Fetch returns the raw body of the displacement records the query selects
// (GET /v3/displacement/admin{level}), after checking that it is a
// well-formed response with isSuccess true. Save it with SaveResponse and
// read it with NewReader or OpenFile.
func (c *Client) Fetch(ctx context.Context, q Query) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return c.get(ctx, q.Path(), q.Values())
}

// attempt is the outcome of one request.
type attempt struct {
	status int
	header http.Header
	body   []byte
	err    error // network or body read error (retryable)
	tooBig bool
}

// get performs GET path?vals with retries and validates the envelope.
func (c *Client) get(ctx context.Context, path string, vals url.Values) ([]byte, error) {
	if c.baseErr != nil {
		return nil, c.baseErr
	}
	endpoint := path
	if q := vals.Encode(); q != "" {
		endpoint += "?" + q
	}
	if strings.TrimSpace(c.key) == "" {
		return nil, fmt.Errorf("GET %s: %w: no subscription key given; set %s", endpoint, ErrUnauthorized, KeyEnv)
	}
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = vals.Encode()
	log := c.opts.Logger.With(zap.String("endpoint", path))
	for n := 1; ; n++ {
		start := time.Now()
		a := c.once(ctx, u.String())
		log.Debug("dtm api request", zap.Int("attempt", n), zap.Int("status", a.status),
			zap.Int("bytes", len(a.body)), zap.Duration("duration", time.Since(start)))
		var wait time.Duration
		switch {
		case a.err != nil:
			if ctx.Err() != nil {
				return nil, fmt.Errorf("GET %s: %w", endpoint, ctx.Err())
			}
			if n > c.opts.MaxRetries {
				return nil, fmt.Errorf("GET %s: failed after %d attempt(s): %w", endpoint, n, a.err)
			}
			wait = backoff(n-1, c.opts.BaseBackoff, c.opts.MaxBackoff, c.opts.Rand)
			log.Warn("dtm api request failed, retrying", zap.Int("attempt", n), zap.Error(a.err), zap.Duration("wait", wait))
		case a.tooBig:
			return nil, fmt.Errorf("GET %s: body larger than %d bytes (MaxBodyBytes): %w", endpoint, c.opts.MaxBodyBytes, ingest.ErrLimit)
		case a.status >= 200 && a.status < 300:
			if err := validate("GET "+endpoint, a.body, c.opts.MaxBodyBytes); err != nil {
				return nil, err
			}
			return a.body, nil
		case a.status == http.StatusUnauthorized || a.status == http.StatusForbidden:
			return nil, fmt.Errorf("GET %s: HTTP %d: %w: check %s%s", endpoint, a.status, ErrUnauthorized, KeyEnv, joinMessages(a.body))
		case retryableStatus(a.status):
			herr := &HTTPError{Endpoint: endpoint, StatusCode: a.status, Messages: bodyMessages(a.body), Attempts: n}
			if n > c.opts.MaxRetries {
				return nil, herr
			}
			wait = backoff(n-1, c.opts.BaseBackoff, c.opts.MaxBackoff, c.opts.Rand)
			if ra, ok := retryAfter(a.header, c.opts.Now()); ok {
				if ra > c.opts.MaxRetryAfter {
					herr.Messages = append(herr.Messages, fmt.Sprintf("server asked to retry after %s, longer than MaxRetryAfter %s", ra, c.opts.MaxRetryAfter))
					return nil, herr
				}
				wait = ra
			}
			log.Warn("dtm api request refused, retrying", zap.Int("attempt", n), zap.Int("status", a.status), zap.Duration("wait", wait))
		default:
			return nil, &HTTPError{Endpoint: endpoint, StatusCode: a.status, Messages: bodyMessages(a.body), Attempts: n}
		}
		if err := c.opts.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("GET %s: waiting to retry: %w", endpoint, err)
		}
	}
}

// retryableStatus: 429 and server errors that may pass (not 501/505).
func retryableStatus(s int) bool {
	return s == http.StatusTooManyRequests ||
		s >= 500 && s != http.StatusNotImplemented && s != http.StatusHTTPVersionNotSupported
}

// once performs one request within the per-attempt timeout.
func (c *Client) once(ctx context.Context, u string) attempt {
	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u, nil)
	if err != nil {
		return attempt{err: err}
	}
	req.Header.Set(KeyHeader, c.key)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return attempt{err: err}
	}
	defer resp.Body.Close()
	a := attempt{status: resp.StatusCode, header: resp.Header}
	limit := int64(errorSnippetBytes)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		limit = c.opts.MaxBodyBytes
		if resp.ContentLength > limit {
			a.tooBig = true
			return a
		}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return attempt{err: fmt.Errorf("reading body: %w", err)}
	}
	if int64(len(body)) > limit {
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			a.tooBig = true
			return a
		}
		body = body[:limit]
	}
	a.body = body
	return a
}

// validate walks a whole response, checking its structure and envelope.
func validate(source string, body []byte, max int64) error {
	lim := ingest.Limits{MaxFileBytes: max}.WithDefaults()
	s, err := newStream(source, bytes.NewReader(body), lim)
	if err != nil {
		return err
	}
	for {
		if _, err := s.next(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// bodyMessages extracts errorMessages from an error response's envelope, or
// a short snippet of a body that is not one.
func bodyMessages(body []byte) []string {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	lim := ingest.Limits{MaxFileBytes: int64(len(body)) + 1}.WithDefaults()
	if s, err := newStream("", bytes.NewReader(body), lim); err == nil {
		for err == nil {
			_, err = s.next()
		}
		if len(s.env.messages) > 0 {
			return s.env.messages
		}
	}
	snip := strings.TrimSpace(string(body))
	if len(snip) > 200 {
		snip = snip[:200] + "…"
	}
	return []string{strings.ToValidUTF8(snip, "?")}
}

func joinMessages(body []byte) string {
	if m := bodyMessages(body); len(m) > 0 {
		return " (" + strings.Join(m, "; ") + ")"
	}
	return ""
}
