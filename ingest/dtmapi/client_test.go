package dtmapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/iom-dtm/dtm/ingest"
)

const testKey = "sekrit-key-0123456789"

// reply is one scripted response; hijack closes the connection instead.
type reply struct {
	status int
	header map[string]string
	body   string
	hijack bool
}

// fakeAPI is an httptest server answering with a script of replies (the
// last one repeats) and recording the requests.
type fakeAPI struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	script   []reply
	reqs     []*http.Request
	keysSeen []string
}

func newFakeAPI(t *testing.T, script ...reply) *fakeAPI {
	f := &fakeAPI{t: t, script: script}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	n := len(f.reqs)
	f.reqs = append(f.reqs, r.Clone(context.Background()))
	f.keysSeen = append(f.keysSeen, r.Header.Get(KeyHeader))
	rep := f.script[min(n, len(f.script)-1)]
	f.mu.Unlock()
	if rep.hijack {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			f.t.Error(err)
			return
		}
		conn.Close()
		return
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	fmt.Fprint(w, rep.body)
}

func (f *fakeAPI) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

// sleeps records the waits a client asks for, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func testClient(t *testing.T, f *fakeAPI, opts ClientOptions) (*Client, *sleeps, *observer.ObservedLogs) {
	t.Helper()
	sl := &sleeps{}
	core, logs := observer.New(zapcore.DebugLevel)
	if opts.Sleep == nil {
		opts.Sleep = sl.sleep
	}
	if opts.Rand == nil {
		opts.Rand = func() float64 { return 0.5 }
	}
	if opts.BaseBackoff == 0 {
		opts.BaseBackoff = time.Second
	}
	opts.Logger = zap.New(core)
	return NewClient(f.srv.URL, testKey, opts), sl, logs
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var ssdQuery = Query{AdminLevel: 1, Admin0Pcode: "SSD", FromReportingDate: "2023-01-01", ToReportingDate: "2023-12-31", FromRound: 13, ToRound: 14}

func TestFetchShapes(t *testing.T) {
	for _, file := range []string{"ssd_admin1_v3.json", "nga_admin1_v2.json", "nga_admin2_bare.json", "ssd_admin0_v3.json"} {
		t.Run(file, func(t *testing.T) {
			want := readTestdata(t, file)
			f := newFakeAPI(t, reply{status: 200, body: want})
			c, sl, _ := testClient(t, f, ClientOptions{})
			body, err := c.Fetch(context.Background(), ssdQuery)
			if err != nil {
				t.Fatal(err)
			}
			if string(body) != want {
				t.Errorf("body differs from what was served")
			}
			if f.count() != 1 || len(sl.d) != 0 {
				t.Errorf("%d requests, sleeps %v", f.count(), sl.d)
			}
			req := f.reqs[0]
			if req.URL.Path != "/v3/displacement/admin1" {
				t.Errorf("path %q", req.URL.Path)
			}
			q := req.URL.Query()
			for k, v := range map[string]string{"Admin0Pcode": "SSD", "FromReportingDate": "2023-01-01", "ToReportingDate": "2023-12-31", "FromRoundNumber": "13", "ToRoundNumber": "14"} {
				if q.Get(k) != v {
					t.Errorf("param %s = %q, want %q", k, q.Get(k), v)
				}
			}
			if q.Has("Operation") || q.Has("CountryName") {
				t.Errorf("unset params sent: %v", q)
			}
			if f.keysSeen[0] != testKey {
				t.Errorf("key header = %q", f.keysSeen[0])
			}
		})
	}
}

func TestFetchRetries(t *testing.T) {
	ok := reply{status: 200, body: readTestdata(t, "ssd_admin1_v3.json")}
	tests := []struct {
		name   string
		script []reply
		opts   ClientOptions
		reqs   int
		sleeps []time.Duration
		errIs  error // nil = success
		status int   // HTTPError status expected
	}{
		{"429 then success, Retry-After honoured",
			[]reply{{status: 429, header: map[string]string{"Retry-After": "7"}, body: `{"statusCode":429,"message":"Rate limit is exceeded."}`}, ok},
			ClientOptions{}, 2, []time.Duration{7 * time.Second}, nil, 0},
		{"429 without Retry-After backs off",
			[]reply{{status: 429}, ok}, ClientOptions{}, 2, []time.Duration{750 * time.Millisecond}, nil, 0},
		{"500 then success",
			[]reply{{status: 500, body: "oops"}, ok}, ClientOptions{}, 2, []time.Duration{750 * time.Millisecond}, nil, 0},
		{"network error then success",
			[]reply{{hijack: true}, ok}, ClientOptions{}, 2, []time.Duration{750 * time.Millisecond}, nil, 0},
		{"503 until retries run out, exponential",
			[]reply{{status: 503}}, ClientOptions{MaxRetries: 3}, 4,
			[]time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second}, nil, 503},
		{"backoff capped",
			[]reply{{status: 502}}, ClientOptions{MaxRetries: 3, MaxBackoff: 2 * time.Second}, 4,
			[]time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 1500 * time.Millisecond}, nil, 502},
		{"no retries when negative",
			[]reply{{status: 503}, ok}, ClientOptions{MaxRetries: -1}, 1, nil, nil, 503},
		{"Retry-After too long gives up",
			[]reply{{status: 429, header: map[string]string{"Retry-After": "3600"}}, ok}, ClientOptions{}, 1, nil, nil, 429},
		{"401 is not retried", []reply{{status: 401, body: `{"statusCode":401,"message":"Access denied due to invalid subscription key."}`}, ok},
			ClientOptions{}, 1, nil, ErrUnauthorized, 0},
		{"403 is not retried", []reply{{status: 403}, ok}, ClientOptions{}, 1, nil, ErrUnauthorized, 0},
		{"404 is not retried", []reply{{status: 404, body: `{"result":null,"isSuccess":false,"errorMessages":["Resource not found"]}`}, ok},
			ClientOptions{}, 1, nil, nil, 404},
		{"501 is not retried", []reply{{status: 501}, ok}, ClientOptions{}, 1, nil, nil, 501},
		{"malformed body", []reply{{status: 200, body: `{"result": [{"id": 1}`}, ok}, ClientOptions{}, 1, nil, ErrMalformed, 0},
		{"html body", []reply{{status: 200, body: `<html>maintenance</html>`}, ok}, ClientOptions{}, 1, nil, ErrMalformed, 0},
		{"isSuccess false", []reply{{status: 200, body: readTestdata(t, "not_success.json")}, ok}, ClientOptions{}, 1, nil, ErrNotSuccess, 0},
		{"body over limit", []reply{{status: 200, body: readTestdata(t, "ssd_admin1_v3.json")}}, ClientOptions{MaxBodyBytes: 1000}, 1, nil, ingest.ErrLimit, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, tc.script...)
			c, sl, _ := testClient(t, f, tc.opts)
			body, err := c.Fetch(context.Background(), ssdQuery)
			if f.count() != tc.reqs {
				t.Errorf("%d requests, want %d", f.count(), tc.reqs)
			}
			if !slices.Equal(sl.d, tc.sleeps) {
				t.Errorf("sleeps %v, want %v", sl.d, tc.sleeps)
			}
			switch {
			case tc.errIs != nil:
				if !errors.Is(err, tc.errIs) {
					t.Fatalf("err = %v, want %v", err, tc.errIs)
				}
			case tc.status != 0:
				var he *HTTPError
				if !errors.As(err, &he) || he.StatusCode != tc.status || he.Attempts != tc.reqs {
					t.Fatalf("err = %v, want HTTP %d after %d attempts", err, tc.status, tc.reqs)
				}
			default:
				if err != nil || len(body) == 0 {
					t.Fatalf("err = %v, %d bytes", err, len(body))
				}
			}
			if err != nil {
				if body != nil {
					t.Errorf("body returned with error")
				}
				if strings.Contains(err.Error(), testKey) {
					t.Errorf("error reveals the key: %v", err)
				}
			}
		})
	}
}

func TestUnauthorizedMessage(t *testing.T) {
	f := newFakeAPI(t, reply{status: 401, body: `{"statusCode":401,"message":"Access denied due to invalid subscription key."}`})
	c, _, _ := testClient(t, f, ClientOptions{})
	_, err := c.Fetch(context.Background(), ssdQuery)
	if !errors.Is(err, ErrUnauthorized) || f.count() != 1 {
		t.Fatalf("err %v after %d requests", err, f.count())
	}
	for _, want := range []string{"DTM_API_KEY", "401", "/v3/displacement/admin1", "Access denied due to invalid subscription key."} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestNoKey(t *testing.T) {
	f := newFakeAPI(t, reply{status: 200, body: "[]"})
	c := NewClient(f.srv.URL, " ", ClientOptions{})
	_, err := c.Fetch(context.Background(), ssdQuery)
	if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "DTM_API_KEY") || f.count() != 0 {
		t.Fatalf("err %v after %d requests", err, f.count())
	}
}

func TestBodyOverLimitChunked(t *testing.T) {
	// No Content-Length: the limit is enforced while reading.
	big := `[{"operation":"` + strings.Repeat("x", 5000) + `"}]`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for i := 0; i < len(big); i += 100 {
			fmt.Fprint(w, big[i:min(i+100, len(big))])
			w.(http.Flusher).Flush()
		}
	}))
	defer srv.Close()
	c := NewClient(srv.URL, testKey, ClientOptions{MaxBodyBytes: 1000, Sleep: (&sleeps{}).sleep})
	if _, err := c.Fetch(context.Background(), ssdQuery); !errors.Is(err, ingest.ErrLimit) {
		t.Fatalf("err = %v, want ErrLimit", err)
	}
}

func TestKeyNeverLogged(t *testing.T) {
	// The broken connection comes first: on a reused connection the
	// transport itself would retry the GET.
	f := newFakeAPI(t, reply{hijack: true}, reply{status: 500}, reply{status: 429, header: map[string]string{"Retry-After": "1"}},
		reply{status: 200, body: readTestdata(t, "ssd_admin0_v3.json")})
	c, _, logs := testClient(t, f, ClientOptions{})
	if _, err := c.Fetch(context.Background(), ssdQuery); err != nil {
		t.Fatal(err)
	}
	if logs.Len() == 0 || logs.FilterMessageSnippet("retrying").Len() != 3 {
		t.Fatalf("want 3 retry warnings, got %d entries", logs.Len())
	}
	for _, e := range logs.All() {
		line := e.Message + fmt.Sprint(e.ContextMap())
		if strings.Contains(line, testKey) {
			t.Errorf("log entry reveals the key: %s", line)
		}
		if strings.Contains(line, "South Sudan") {
			t.Errorf("log entry carries record contents: %s", line)
		}
	}
}

func TestContextCancelledWhileWaiting(t *testing.T) {
	f := newFakeAPI(t, reply{status: 503})
	ctx, cancel := context.WithCancel(context.Background())
	c, _, _ := testClient(t, f, ClientOptions{Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return sleepCtx(ctx, d)
	}})
	_, err := c.Fetch(ctx, ssdQuery)
	if !errors.Is(err, context.Canceled) || f.count() != 1 {
		t.Fatalf("err %v after %d requests", err, f.count())
	}
}

func TestAttemptTimeoutRetried(t *testing.T) {
	var mu sync.Mutex
	n := 0
	body := readTestdata(t, "ssd_admin0_v3.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			select { // hang until the client gives up
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	sl := &sleeps{}
	c := NewClient(srv.URL, testKey, ClientOptions{Timeout: 100 * time.Millisecond, Sleep: sl.sleep})
	if _, err := c.Fetch(context.Background(), ssdQuery); err != nil {
		t.Fatal(err)
	}
	if n != 2 || len(sl.d) != 1 {
		t.Errorf("%d requests, sleeps %v", n, sl.d)
	}
}

func TestRedirectDropsKeyOnOtherHost(t *testing.T) {
	other := newFakeAPI(t, reply{status: 200, body: "[]"})
	same := newFakeAPI(t, reply{status: 200, body: "[]"})
	redir := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v3/displacement/admin1" {
			http.Redirect(w, r, other.srv.URL+"/elsewhere", http.StatusFound)
			return
		}
		http.Redirect(w, r, "/v3/displacement/admin1", http.StatusFound)
	}))
	defer redir.Close()
	c := NewClient(redir.URL, testKey, ClientOptions{})
	if _, err := c.Fetch(context.Background(), ssdQuery); err != nil {
		t.Fatal(err)
	}
	if other.count() != 1 || other.keysSeen[0] != "" {
		t.Errorf("other host saw key %q", other.keysSeen)
	}
	// A redirect within the same host keeps the key.
	c = NewClient(same.srv.URL, testKey, ClientOptions{})
	if _, err := c.Fetch(context.Background(), ssdQuery); err != nil || same.keysSeen[0] != testKey {
		t.Errorf("same host: err %v, key %q", err, same.keysSeen)
	}
}

func TestCountries(t *testing.T) {
	f := newFakeAPI(t, reply{status: 200, body: readTestdata(t, "country_list.json")})
	c, _, _ := testClient(t, f, ClientOptions{})
	got, err := c.Countries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []Country{{"Nigeria", "NGA"}, {"South Sudan", "SSD"}}
	if !slices.Equal(got, want) {
		t.Errorf("countries %v, want %v", got, want)
	}
	if f.reqs[0].URL.Path != "/v3/displacement/country-list" || f.reqs[0].URL.RawQuery != "" {
		t.Errorf("request %s", f.reqs[0].URL)
	}
	f2 := newFakeAPI(t, reply{status: 200, body: `[{"admin0Name":"Chad","admin0Pcode":"TCD"}]`})
	c2, _, _ := testClient(t, f2, ClientOptions{})
	if got, err := c2.Countries(context.Background()); err != nil || len(got) != 1 || got[0].ISO3 != "TCD" {
		t.Errorf("bare list: %v %v", got, err)
	}
}

func TestBaseURL(t *testing.T) {
	for _, bad := range []string{"://x", "ftp://host", "dtmapi.iom.int"} {
		c := NewClient(bad, testKey, ClientOptions{})
		if _, err := c.Countries(context.Background()); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	// A path prefix is kept.
	f := newFakeAPI(t, reply{status: 200, body: "[]"})
	c := NewClient(f.srv.URL+"/proxy/", testKey, ClientOptions{})
	if _, err := c.Fetch(context.Background(), Query{AdminLevel: 2, Operation: "Flooding (2022)"}); err != nil {
		t.Fatal(err)
	}
	if p := f.reqs[0].URL.Path; p != "/proxy/v3/displacement/admin2" {
		t.Errorf("path %q", p)
	}
	if op := f.reqs[0].URL.Query().Get("Operation"); op != "Flooding (2022)" {
		t.Errorf("operation %q", op)
	}
}

// TestSavedFileSameRows checks that a run repeated offline from the saved
// response gives the same rows as the live body.
func TestSavedFileSameRows(t *testing.T) {
	served := readTestdata(t, "ssd_admin2_v3.json")
	f := newFakeAPI(t, reply{status: 200, body: served})
	c, _, _ := testClient(t, f, ClientOptions{})
	body, err := c.Fetch(context.Background(), ssdQuery)
	if err != nil {
		t.Fatal(err)
	}
	path, err := SaveResponse(t.TempDir(), ssdQuery, body)
	if err != nil {
		t.Fatal(err)
	}
	r, err := OpenFile(path, ingest.Options{})
	fh, frows, err := readAll(t, r, err)
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]any{"bytes": bytes.NewReader(body), "stream": onlyReader{bytes.NewReader(body)}} {
		r, err := NewReader("live", body.(interface{ Read([]byte) (int, error) }), ingest.Options{})
		lh, lrows, err := readAll(t, r, err)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(fh.Columns, lh.Columns) || len(frows) != len(lrows) || len(frows) != 5 {
			t.Fatalf("%s: columns or row count differ", name)
		}
		for i := range frows {
			if frows[i].Line != lrows[i].Line || !slices.Equal(frows[i].Cells, lrows[i].Cells) {
				t.Errorf("%s: row %d differs:\n%q\n%q", name, i, frows[i].Cells, lrows[i].Cells)
			}
		}
	}
}
