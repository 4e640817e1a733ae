package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
