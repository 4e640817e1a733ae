package pipeline_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/iom-dtm/dtm/internal/config"
	"github.com/iom-dtm/dtm/internal/pipeline"
)

// TestFetchAPI fetches from a local test server (never the internet): the
// key is sent in the subscription header, every response is saved, a 500
// is retried, and a 403 for one level is a failed input without stopping
// the others.
func TestFetchAPI(t *testing.T) {
	admin1, err := os.ReadFile(filepath.Join("..", "..", "testdata", "hapi", "som_admin1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var calls, failedOnce atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("Ocp-Apim-Subscription-Key") != "secret-key" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/v3/displacement/admin1":
			if failedOnce.Add(1) == 1 {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			w.Write(admin1)
		case "/v3/displacement/admin2":
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"statusCode":403,"isSuccess":false,"errorMessages":["not allowed"]}`))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	save := filepath.Join(t.TempDir(), "raw")
	src := config.Source{Name: "som-api", Kind: "displacement_admin", Operation: "Somalia CCCM",
		API: &config.API{Countries: []string{"SOM"}, AdminLevels: []int{1, 2}}}
	inputs, errs := pipeline.FetchAPI(context.Background(), src, pipeline.FetchOptions{BaseURL: srv.URL, Key: "secret-key", SaveDir: save})
	if len(inputs) != 2 || inputs[0].Unavailable != "" || !strings.Contains(inputs[1].Unavailable, "DTM_API_KEY") {
		t.Fatalf("want 2 inputs (admin1, and admin2 failed), got %d: %+v (errors %v)", len(inputs), inputs, errs)
	}
	in := inputs[0]
	if in.Source != "som-api" || in.Kind != "displacement_admin" || in.Country != "SOM" || in.FormatName != "dtmapi" || in.Operation != "Somalia CCCM" {
		t.Errorf("input %+v", in)
	}
	if u := inputs[1].Path; !strings.HasPrefix(u, srv.URL+"/v3/displacement/admin2?") || strings.Contains(u, "secret-key") {
		t.Errorf("the failed request's URL is %q, want the admin2 request without the key", u)
	}
	saved, err := os.ReadFile(in.Path)
	if err != nil || string(saved) != string(admin1) {
		t.Fatalf("saved response differs from the served body (err %v)", err)
	}
	if !strings.HasPrefix(in.Path, save) {
		t.Errorf("response saved at %s, want under %s", in.Path, save)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "DTM_API_KEY") {
		t.Errorf("want one error telling to check DTM_API_KEY for the 403, got %v", errs)
	}
	for _, e := range errs {
		if strings.Contains(e.Error(), "secret-key") {
			t.Errorf("an error leaks the key: %v", e)
		}
	}
	if calls.Load() != 3 { // admin1: 500 then 200; admin2: one 403, not retried
		t.Errorf("want 3 requests, got %d", calls.Load())
	}
}

// TestFetchAPIFailures: no key, and a cancelled run, are failed sources
// or errors, not a panic or a silent nothing; no request carries no key.
func TestFetchAPIFailures(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusNotFound)
	}))
	defer srv.Close()
	src := config.Source{Name: "a", Kind: "displacement_admin", API: &config.API{Countries: []string{"SOM", "South Sudan"}}}
	inputs, errs := pipeline.FetchAPI(context.Background(), src, pipeline.FetchOptions{BaseURL: srv.URL, SaveDir: t.TempDir()})
	if len(inputs) != 1 || inputs[0].Path != srv.URL || !strings.Contains(inputs[0].Unavailable, "DTM_API_KEY is not set") || len(errs) != 1 || calls.Load() != 0 {
		t.Errorf("no key: %+v %v (%d requests)", inputs, errs, calls.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	inputs, errs = pipeline.FetchAPI(ctx, src, pipeline.FetchOptions{BaseURL: srv.URL, Key: "k", SaveDir: t.TempDir()})
	if len(inputs) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "canceled") {
		t.Errorf("cancelled: %+v %v", inputs, errs)
	}
	inputs, errs = pipeline.FetchAPI(context.Background(), config.Source{Name: "files", Kind: "site_assessment"}, pipeline.FetchOptions{})
	if len(inputs) != 1 || inputs[0].Unavailable == "" || len(errs) != 1 {
		t.Errorf("a source without api: %+v %v", inputs, errs)
	}
}
