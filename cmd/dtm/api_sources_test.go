package main

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
	"go.uber.org/zap"
)

// TestFetchAPISource fetches from a local test server (never the
// internet): the key is sent in the subscription header, every response is
// saved, a 500 is retried, and a 401 for one level is reported without
// stopping the others.
func TestFetchAPISource(t *testing.T) {
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
	t.Setenv("DTM_API_KEY", "secret-key")
	t.Setenv("DTM_API_URL", "")
	wh := t.TempDir()
	job := &config.Job{}
	src := config.Source{Name: "som-api", Kind: "displacement_admin",
		API: &config.API{BaseURL: srv.URL, Countries: []string{"SOM"}, AdminLevels: []int{1, 2}}}
	inputs, errs := fetchAPISource(context.Background(), job, src, wh, zap.NewNop())
	if len(inputs) != 2 || inputs[0].Unavailable != "" || !strings.Contains(inputs[1].Unavailable, "DTM_API_KEY") {
		t.Fatalf("want 2 inputs (admin1, and admin2 failed), got %d: %+v (errors %v)", len(inputs), inputs, errs)
	}
	if u := inputs[1].Path; !strings.HasPrefix(u, srv.URL+"/v3/displacement/admin2?") || strings.Contains(u, "secret-key") {
		t.Errorf("the failed request's URL is %q, want the admin2 request without the key", u)
	}
	saved, err := os.ReadFile(inputs[0].Path)
	if err != nil || string(saved) != string(admin1) {
		t.Fatalf("saved response differs from the served body (err %v)", err)
	}
	if !strings.HasPrefix(inputs[0].Path, filepath.Join(wh, "_dtm", "raw")) {
		t.Errorf("response saved at %s, want under the warehouse's _dtm/raw", inputs[0].Path)
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

// TestRunJobWithAPISource runs a job whose source is the DTM API (a local
// test server): the rows land in displacement_admin, and a second run with
// the same responses is unchanged.
func TestRunJobWithAPISource(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "hapi", "som_admin1.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v3/displacement/admin1" || r.URL.Query().Get("Admin0Pcode") != "SOM" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	t.Setenv("DTM_API_KEY", "k")
	t.Setenv("DTM_API_URL", "")
	dir := t.TempDir()
	job := filepath.Join(dir, "job.yaml")
	os.WriteFile(job, []byte(`warehouse: ./wh
sources:
  - name: som-api
    kind: displacement_admin
    api:
      base_url: `+srv.URL+`
      countries: [SOM]
      admin_levels: [1]
`), 0o644)
	out, errOut, code := runCLI(t, "run", "--config", job, "--log-format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	res, _, code := runCLI(t, "query", "--warehouse", filepath.Join(dir, "wh"), "--format", "csv",
		"SELECT count(*) AS n, sum(idp_individuals) AS idps FROM displacement_admin")
	if code != 0 || !strings.Contains(res, "6,2630") {
		t.Fatalf("query: exit %d, got %q, want 6 rows and 2630 IDPs", code, res)
	}
	out, _, code = runCLI(t, "run", "--config", job, "--log-format", "json")
	if code != 0 || !strings.Contains(out, "unchanged") {
		t.Fatalf("re-run: exit %d, want unchanged:\n%s", code, out)
	}
}
