package serve_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/serve"
	"github.com/iom-dtm/dtm/sinks/lake"
)

// lakePaths are the requests compared between a local and an object-store
// warehouse: figures, HAPI, dataset pages and filters, the run list.
var lakePaths = []string{
	"/api/v1/figures/idps?format=csv",
	"/api/v1/figures/idps?country=ssd&round=1&admin_level=2&format=csv",
	"/api/v1/affected-people/idps?output_format=csv",
	"/api/v1/datasets/site_assessment?limit=4&offset=4",
	"/api/v1/datasets/site_assessment?country_iso3=ssd&round=2&format=csv",
	"/api/v1/runs",
}

// TestServeObjectStoreWarehouse serves a warehouse published to an
// in-process S3 server (gofakes3 on loopback, SQLite catalog) through
// serve.Options.View = lake.Materialize, as `dtm serve --warehouse s3://…`
// does: the answers are byte for byte those of the local warehouse, and a
// newer publish is served without restart once its view is in place.
func TestServeObjectStoreWarehouse(t *testing.T) {
	ctx := context.Background()
	backend := s3mem.New()
	if err := backend.CreateBucket("lake"); err != nil {
		t.Fatal(err)
	}
	s3srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(s3srv.Close)
	env := lake.S3Env{Endpoint: s3srv.URL, Region: "us-east-1", AccessKey: "k", SecretKey: "s"}
	catURI := "sqlite:" + filepath.Join(t.TempDir(), "catalog.db")
	const loc = "s3://lake/serve"

	wh := fixtureWarehouse(t)
	publish := func() {
		t.Helper()
		if _, err := lake.Publish(ctx, lake.PublishOptions{Root: wh, To: loc, Catalog: catURI, Env: env, Registry: schemas.Default()}); err != nil {
			t.Fatal(err)
		}
	}
	publish()
	var views atomic.Int32
	view := func(ctx context.Context) (string, error) {
		v, err := lake.Materialize(ctx, lake.ReadOptions{Location: loc, Catalog: catURI, Env: env, Registry: schemas.Default(), CacheDir: filepath.Join(t.TempDir(), "cache")})
		if err != nil {
			return "", err
		}
		views.Add(1)
		return v.Root, nil
	}
	local := start(t, wh, serve.Options{})
	remote := start(t, loc, serve.Options{View: view, ViewPoll: 20 * time.Millisecond})

	compare := func(what string) {
		t.Helper()
		for _, p := range lakePaths {
			l := local.get(t, p).mustStatus(t, http.StatusOK, "local "+p)
			r := remote.get(t, p).mustStatus(t, http.StatusOK, "object store "+p)
			if l.body != r.body || len(l.body) < 20 {
				t.Errorf("%s %s:\n local  %s\n object %s", what, p, clipBody(l.body), clipBody(r.body))
			}
			if l.header.Get("ETag") != r.header.Get("ETag") {
				t.Errorf("%s %s: ETag local %s, object store %s (one generation, one ETag)", what, p, l.header.Get("ETag"), r.header.Get("ETag"))
			}
		}
		remote.get(t, "/readyz").mustStatus(t, http.StatusOK, "object store /readyz")
	}
	compare("first publish")

	// A later run, published: the object-store server moves to it without
	// restart (the poller fetches it in the background, then the next
	// request opens it).
	// (a correction of one source: its last row dropped)
	r2 := filepath.Join("..", "testdata", "figures", "ssd_sites_r2.csv")
	b, err := os.ReadFile(r2)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	gen := ingest(t, wh, "second-run", []pipeline.Input{{Path: r2, Data: []byte(strings.Join(lines[:len(lines)-1], "\n") + "\n"), Kind: "site_assessment"}})
	publish()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r := remote.get(t, "/readyz").mustStatus(t, http.StatusOK, "object store /readyz")
		var ready struct{ Generation int64 }
		if err := json.Unmarshal([]byte(r.body), &ready); err != nil {
			t.Fatal(err)
		}
		if ready.Generation == gen {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the object-store server still serves %s 20 s after publishing generation %d", r.body, gen)
		}
		time.Sleep(20 * time.Millisecond)
	}
	compare("second publish")
	if n := views.Load(); n < 2 {
		t.Fatalf("view function called %d times", n)
	}
}

// TestServeViewRefreshFailure: when looking for a newer publish fails (the
// object store is unreachable), the server logs it and goes on serving
// the view it has; the first view failing makes New fail.
func TestServeViewRefreshFailure(t *testing.T) {
	wh := fixtureWarehouse(t)
	var calls atomic.Int32
	view := func(ctx context.Context) (string, error) {
		if calls.Add(1) == 1 {
			return wh, nil
		}
		return "", errors.New("object store unreachable")
	}
	srv := start(t, "s3://lake/down", serve.Options{View: view, ViewPoll: time.Millisecond})
	want := srv.get(t, "/api/v1/figures/idps?format=csv").mustStatus(t, http.StatusOK, "first request")
	deadline := time.Now().Add(20 * time.Second)
	for srv.logs.FilterMessageSnippet("newer publish failed").Len() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no failed refresh logged after %d view calls", calls.Load())
		}
		if got := srv.get(t, "/api/v1/figures/idps?format=csv").mustStatus(t, http.StatusOK, "while the refresh fails"); got.body != want.body {
			t.Fatalf("answer changed while the refresh fails")
		}
		time.Sleep(5 * time.Millisecond)
	}
	srv.get(t, "/readyz").mustStatus(t, http.StatusOK, "/readyz while the refresh fails")

	if _, err := serve.New(context.Background(), serve.Options{Warehouse: "s3://lake/down", View: func(context.Context) (string, error) {
		return "", errors.New("object store unreachable")
	}}); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("New with a failing first view: %v", err)
	}
}
