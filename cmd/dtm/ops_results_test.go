package main

// Binary-spawning tests of run results that do not lie: a failed DTM API
// request is a failed source (exit 3), the rejects of an input over its
// threshold can be queried and exported, and `runs` prints nested values as
// JSON.

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/pipeline"
)

func TestAPIFailureIsAFailedSource(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"statusCode":403,"isSuccess":false,"errorMessages":["not allowed"]}`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	opsV1(t, dir)
	job := opsJob(t, dir, "  - name: api\n    kind: displacement_admin\n    api:\n      base_url: "+srv.URL+"\n      countries: [SSD]\n      admin_levels: [1]\n")
	r := opsRun(t, []string{"DTM_API_KEY=top-secret-key"}, "run", "--config", job, "--json", "--quiet")
	if r.code != pipeline.ExitPartial {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
	}
	var res pipeline.RunResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	var api *pipeline.SourceResult
	for i := range res.Sources {
		if res.Sources[i].Source == "api" {
			api = &res.Sources[i]
		}
	}
	if res.Status != pipeline.RunPartial || res.ExitCode != pipeline.ExitPartial || api == nil || api.Status != pipeline.StatusFailed ||
		!strings.HasPrefix(api.File, srv.URL+"/v3/displacement/admin1?") || len(api.Errors) != 1 || !strings.Contains(api.Errors[0], "403") {
		t.Fatalf("status %s exit %d, api source %+v", res.Status, res.ExitCode, api)
	}
	docs, _ := filepath.Glob(filepath.Join(dir, "wh", "_dtm", "runs", "*.json"))
	for _, d := range docs {
		b, _ := os.ReadFile(d)
		if strings.Contains(string(b), "top-secret-key") {
			t.Errorf("%s holds the API key", d)
		}
	}
	if strings.Contains(r.stderr, "top-secret-key") {
		t.Error("the log holds the API key")
	}
}

func TestFailedInputRejectsAndRunsJSON(t *testing.T) {
	dir := t.TempDir()
	job := opsJob(t, dir, "")
	opsV1(t, dir)
	siteCSV(t, filepath.Join(dir, "in", "tcd_c.csv"), "TCD", []int{5}, 6, 4, 2) // 4 of 6 rejected: over 50%
	wh := filepath.Join(dir, "wh")
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != pipeline.ExitPartial {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
	}
	q := opsRun(t, nil, "--warehouse", wh, "query", "--format", "csv",
		`SELECT failed_input, count(*) AS n FROM rejects WHERE code = 'constraint-error' OR severity = 'error' GROUP BY ALL ORDER BY ALL`)
	if q.code != 0 || !strings.Contains(q.stdout, "true,4") || !strings.Contains(q.stdout, "false,2") {
		t.Errorf("rejects by failed_input: exit %d\n%s%s", q.code, q.stdout, q.stderr)
	}
	out := filepath.Join(dir, "rejects.csv")
	if r := opsRun(t, nil, "--warehouse", wh, "export", "rejects", "--format", "csv", "--out", out); r.code != 0 {
		t.Fatalf("export rejects: exit %d\n%s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), "file,sheet,row,column,value,code,severity,message,failed_input\n") ||
		strings.Count(string(b), "tcd_c.csv") < 4 {
		t.Errorf("exported rejects:\n%s", b)
	}
	// Fixed, the input commits and its failed rejects go.
	siteCSV(t, filepath.Join(dir, "in", "tcd_c.csv"), "TCD", []int{5}, 6, 0, 2)
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	q = opsRun(t, nil, "--warehouse", wh, "query", "--format", "csv", `SELECT count(*) AS n FROM rejects WHERE failed_input`)
	if q.code != 0 || !strings.Contains(q.stdout, "n\n0\n") {
		t.Errorf("failed rejects after the fix: exit %d\n%s%s", q.code, q.stdout, q.stderr)
	}
	// runs prints nested values as JSON.
	q = opsRun(t, nil, "--warehouse", wh, "query", "--format", "csv", "SELECT by_source, sources FROM runs ORDER BY started_at LIMIT 1")
	if q.code != 0 || strings.Contains(q.stdout, "map[") || !strings.Contains(q.stdout, `""source"":""ssd""`) {
		t.Errorf("runs.by_source: exit %d\n%s", q.code, q.stdout)
	}
	q = opsRun(t, nil, "--warehouse", wh, "query", "--format", "csv", "SELECT {'a': 1, 'b': [2, 3]} AS s, map(['x'], [{'n': 4}]) AS m")
	if q.code != 0 || !strings.Contains(q.stdout, `"{""a"":1,""b"":[2,3]}","{""x"":{""n"":4}}"`) {
		t.Errorf("STRUCT and MAP values: exit %d\n%s", q.code, q.stdout)
	}
}
