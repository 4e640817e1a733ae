package serve_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/serve"
)

// problemDoc is an RFC 9457 problem document.
type problemDoc struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Parameter string `json:"parameter"`
		Detail    string `json:"detail"`
	} `json:"errors"`
}

func mustProblem(t *testing.T, resp response, status int, what string) problemDoc {
	t.Helper()
	resp.mustStatus(t, status, what)
	if ct := resp.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: content type %q", what, ct)
	}
	var p problemDoc
	mustJSON(t, resp.body, &p)
	if p.Status != status || p.Type == "" || p.Title == "" || p.RequestID != resp.header.Get("X-Request-Id") {
		t.Errorf("%s: problem %+v", what, p)
	}
	return p
}

// TestBadRequests checks the 400s (with the parameter named), 404s, 405,
// 406 and 414.
func TestBadRequests(t *testing.T) {
	srv := start(t, fixtureWarehouse(t), serve.Options{})
	cases := []struct {
		path   string
		status int
		param  string
	}{
		{"/api/v1/figures/idps?colour=red", 400, "colour"},
		{"/api/v1/figures/idps?admin_level=two", 400, "admin_level"},
		{"/api/v1/figures/idps?admin_level=9", 400, "admin_level"},
		{"/api/v1/figures/idps?round=1.5", 400, "round"},
		{"/api/v1/figures/idps?from=2024-13-01", 400, "from"},
		{"/api/v1/figures/idps?country=South%20Sudan", 400, "country"},
		{"/api/v1/figures/idps?country=SSD&country=NGA", 400, "country"},
		{"/api/v1/figures/idps?format=xlsx", 400, "format"},
		{"/api/v1/figures/idps?format=geojson", 400, "format"},
		{"/api/v1/figures/flows?direction=" + strings.Repeat("x", 300), 400, "direction"},
		{"/api/v1/figures/idps?country=%zz", 400, "(query)"},
		{"/api/v1/figures?country=SSD", 400, "country"},
		{"/api/v1/datasets/site_assessment?limit=0", 400, "limit"},
		{"/api/v1/datasets/site_assessment?limit=100001", 400, "limit"},
		{"/api/v1/datasets/site_assessment?round=abc", 400, "round"},
		{"/api/v1/datasets/site_assessment?assessment_date=yesterday", 400, "assessment_date"},
		{"/api/v1/datasets/site_assessment?sadd=x", 400, "sadd"},
		{"/api/v1/runs?limit=-3", 400, "limit"},
		{"/api/v1/figures/nope", 404, ""},
		{"/api/v1/datasets/nope", 404, ""},
		{"/api/v2/figures", 404, ""},
		{"/api/v1/figures/idps/extra", 404, ""},
	}
	for _, c := range cases {
		p := mustProblem(t, srv.get(t, c.path), c.status, c.path)
		if c.param != "" && (len(p.Errors) == 0 || p.Errors[0].Parameter != c.param) {
			t.Errorf("%s: problem names %+v, want parameter %s", c.path, p.Errors, c.param)
		}
	}
	many := "/api/v1/figures/idps?" + strings.Repeat("a=1&", 40)
	mustProblem(t, srv.get(t, many), 400, "too many parameters")
	mustProblem(t, srv.get(t, "/api/v1/figures/idps?country="+strings.Repeat("A", 5000)), 414, "long URI")
	mustProblem(t, srv.do(t, http.MethodPost, "/api/v1/figures/idps"), 405, "POST")
	mustProblem(t, srv.get(t, "/api/v1/figures/idps", "Accept: application/xml"), 406, "Accept xml")
	// A huge header block is refused by net/http before any handler.
	if resp := srv.get(t, "/healthz", "X-Big: "+strings.Repeat("b", 64<<10)); resp.status != 431 {
		t.Errorf("64 KiB header: status %d, want 431", resp.status)
	}
}

// blockingReport is a report hook that blocks until released or the
// request ends; it stands in for a slow request.
type blockingReport struct {
	entered chan struct{}
	release chan struct{}
}

func newBlockingReport() *blockingReport {
	return &blockingReport{entered: make(chan struct{}, 64), release: make(chan struct{})}
}

func (b *blockingReport) render(ctx context.Context, db *query.DB, country string, w io.Writer) error {
	b.entered <- struct{}{}
	select {
	case <-b.release:
		_, err := io.WriteString(w, "<!doctype html><title>report "+country+"</title>")
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestLimitsTimeoutShutdownToken checks 429 when MaxInFlight requests
// run, 503 on timeout, the bearer token, the report hook, and a graceful
// shutdown that lets a request in flight finish.
func TestLimitsTimeoutShutdownToken(t *testing.T) {
	wh := fixtureWarehouse(t)

	t.Run("429", func(t *testing.T) {
		rep := newBlockingReport()
		srv := start(t, wh, serve.Options{MaxInFlight: 2, Report: rep.render})
		var wg sync.WaitGroup
		for _, c := range []string{"SSD", "NGA"} { // two different requests (identical ones share one answer)
			wg.Add(1)
			go func() {
				defer wg.Done()
				srv.get(t, "/report/"+c).mustStatus(t, 200, "slow report")
			}()
		}
		<-rep.entered
		<-rep.entered
		resp := srv.get(t, "/api/v1/figures/idps")
		mustProblem(t, resp, 429, "third request")
		if resp.header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		srv.get(t, "/healthz").mustStatus(t, 200, "healthz is not limited")
		close(rep.release)
		wg.Wait()
		srv.get(t, "/api/v1/figures/idps").mustStatus(t, 200, "after the slow requests")
		if m := srv.get(t, "/metrics").body; !strings.Contains(m, "dtm_serve_rejected_total 1") {
			t.Error("metrics do not count the 429")
		}
		resp = srv.get(t, "/").mustStatus(t, 200, "report at /")
		if !strings.Contains(resp.body, "<title>report </title>") || resp.header.Get("Content-Security-Policy") == "" {
			t.Errorf("report at /: %q %v", resp.body, resp.header)
		}
		mustProblem(t, srv.get(t, "/report/S5D"), 404, "bad report country")
	})

	t.Run("timeout", func(t *testing.T) {
		rep := newBlockingReport()
		srv := start(t, wh, serve.Options{Timeout: 200 * time.Millisecond, Report: rep.render})
		p := mustProblem(t, srv.get(t, "/report/NGA"), 503, "timeout")
		if p.Type != "urn:dtm:problem:timeout" {
			t.Errorf("timeout problem %+v", p)
		}
	})

	t.Run("shutdown", func(t *testing.T) {
		rep := newBlockingReport()
		srv := start(t, wh, serve.Options{Report: rep.render})
		got := make(chan response, 1)
		go func() { got <- srv.get(t, "/report/SSD") }()
		<-rep.entered
		stopped := make(chan error, 1)
		go func() { stopped <- srv.stop() }()
		time.Sleep(100 * time.Millisecond) // the shutdown has begun: no new connections
		select {
		case err := <-stopped:
			t.Fatalf("server stopped with a request in flight: %v", err)
		default:
		}
		close(rep.release)
		resp := <-got
		resp.mustStatus(t, 200, "request in flight during shutdown")
		if err := <-stopped; err != nil {
			t.Errorf("graceful stop: %v", err)
		}
	})

	t.Run("token", func(t *testing.T) {
		srv := start(t, wh, serve.Options{Token: "s3cret-token"})
		for _, p := range []string{"/api/v1/figures", "/api/v1/figures/idps", "/metrics", "/api/v1/runs"} {
			resp := srv.get(t, p)
			mustProblem(t, resp, 401, p+" without token")
			if resp.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", p)
			}
			mustProblem(t, srv.get(t, p, "Authorization: Bearer wrong"), 401, p+" wrong token")
			resp = srv.get(t, p, "Authorization: Bearer s3cret-token").mustStatus(t, 200, p+" with token")
			if p == "/api/v1/figures" && !strings.Contains(resp.header.Get("Cache-Control"), "private") {
				t.Errorf("token-protected response is cacheable publicly: %s", resp.header.Get("Cache-Control"))
			}
		}
		srv.get(t, "/healthz").mustStatus(t, 200, "healthz without token")
		srv.get(t, "/readyz").mustStatus(t, 200, "readyz without token")
	})
}

// TestAccessLog checks that the access log has the route and parameter
// names but no parameter values.
func TestAccessLog(t *testing.T) {
	srv := start(t, fixtureWarehouse(t), serve.Options{})
	srv.get(t, "/api/v1/datasets/site_assessment?site_name=Secret%20Person%20Camp").mustStatus(t, 200, "filter by name")
	var found bool
	for _, e := range srv.logs.FilterMessage("request").All() {
		b, _ := json.Marshal(e.ContextMap())
		if strings.Contains(string(b), "Secret") {
			t.Errorf("access log has a parameter value: %s", b)
		}
		if e.ContextMap()["route"] == "GET /api/v1/datasets/{name}" && strings.Contains(string(b), "site_name") {
			found = true
		}
	}
	if !found {
		t.Error("no access log line with the route and the parameter name")
	}
}
