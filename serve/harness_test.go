package serve_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/serve"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// fixtureInputs are the committed fixtures the server tests read: the
// site assessment figures fixtures (SSD, NGA), the saved DTM API responses
// of testdata/hapi (SOM), flow registry and flow survey files.
func fixtureInputs() []pipeline.Input {
	td := filepath.Join("..", "testdata")
	var in []pipeline.Input
	for _, f := range []string{"ssd_sites_r1.csv", "ssd_sites_r2.csv", "nga_sites_r4_r5.csv"} {
		in = append(in, pipeline.Input{Path: filepath.Join(td, "figures", f), Kind: "site_assessment"})
	}
	for _, f := range []string{"som_admin1.json", "som_admin2.json", "som_admin1_republished.json"} {
		in = append(in, pipeline.Input{Path: filepath.Join(td, "hapi", f), Kind: "displacement_admin"})
	}
	in = append(in,
		pipeline.Input{Path: filepath.Join(td, "flow", "fmr_daily_en.csv"), Kind: "flow_registry"},
		pipeline.Input{Path: filepath.Join(td, "flow", "fms_kobo_en.csv"), Kind: "flow_survey"},
	)
	return in
}

// ingest commits inputs into the warehouse wh with the pipeline (one
// generation) and returns the run's generation.
func ingest(t testing.TB, wh, runID string, inputs []pipeline.Input) int64 {
	t.Helper()
	res, err := pipeline.Run(context.Background(), pipeline.Config{Warehouse: wh, Registry: schemas.Default(),
		RunID: runID, Command: "test", PseudonymKey: "serve-test-key"}, inputs)
	if err != nil {
		t.Fatalf("ingest %s: %v", runID, err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("ingest %s: exit %d: %+v", runID, res.ExitCode, res.Sources)
	}
	return res.Generation
}

// fixtureWarehouse is a fresh warehouse with the fixtures committed.
func fixtureWarehouse(t testing.TB) string {
	t.Helper()
	wh := t.TempDir()
	ingest(t, wh, "fixture-run", fixtureInputs())
	return wh
}

// running is a server answering on a loopback port.
type running struct {
	url    string
	wh     string
	logs   *observer.ObservedLogs
	client *http.Client
	stop   func() error // graceful shutdown; returns Serve's error
}

// start runs a real server over wh on 127.0.0.1 (a free port) until the
// test ends.
func start(t testing.TB, wh string, opt serve.Options) *running {
	t.Helper()
	core, logs := observer.New(zap.DebugLevel)
	opt.Warehouse = wh
	opt.Logger = zap.New(core)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := serve.New(ctx, opt)
	if err != nil {
		cancel()
		t.Fatalf("serve.New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	var stopped bool
	var stopErr error
	stop := func() error {
		if !stopped {
			stopped = true
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(40 * time.Second):
				stopErr = errors.New("server did not stop")
			}
		}
		return stopErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("server stop: %v", err)
		}
	})
	tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &running{url: "http://" + ln.Addr().String(), wh: wh, logs: logs,
		client: &http.Client{Transport: tr, Timeout: 30 * time.Second}, stop: stop}
}

// response is a read response.
type response struct {
	status int
	header http.Header
	body   string
}

// get requests path (with query) with optional headers "Name: value".
func (r *running) get(t testing.TB, path string, headers ...string) response {
	t.Helper()
	return r.do(t, http.MethodGet, path, headers...)
}

func (r *running) do(t testing.TB, method, path string, headers ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, r.url+path, nil)
	if err != nil {
		t.Fatalf("request %s: %v", path, err)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	resp, err := r.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// mustStatus fails unless the response has the status.
func (resp response) mustStatus(t testing.TB, want int, what string) response {
	t.Helper()
	if resp.status != want {
		t.Fatalf("%s: status %d, want %d; body:\n%s", what, resp.status, want, clipBody(resp.body))
	}
	return resp
}

func clipBody(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

// treeState lists every file under dir with its size and modification
// time, to show that requests changed nothing.
func treeState(t testing.TB, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "%s %d %d\n", rel, fi.Size(), fi.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
