package main

// Binary-spawning tests of re-runs that notice what changed: a job setting
// that shapes an input's rows (here the country and the column overrides)
// re-ingests it although its bytes are the same; --full-refresh and
// --source NAME re-ingest regardless.

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/pipeline"
)

func runJSON(t *testing.T, args ...string) pipeline.RunResult {
	t.Helper()
	r := opsRun(t, nil, append(args, "--json", "--quiet")...)
	if r.code != 0 && r.code != pipeline.ExitPartial {
		t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
	}
	var res pipeline.RunResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, r.stdout)
	}
	return res
}

// reasons maps each input's file base name to "status/reason".
func reasons(res pipeline.RunResult) map[string]string {
	out := map[string]string{}
	for _, s := range res.Sources {
		out[s.File[strings.LastIndex(s.File, "/")+1:]] = s.Status + "/" + s.Reason
	}
	return out
}

func TestReRunNoticesSettings(t *testing.T) {
	dir := t.TempDir()
	opsV1(t, dir)
	job := opsJob(t, dir, "")
	if got := reasons(runJSON(t, "run", "--config", job)); got["ssd_a.csv"] != "committed/new" {
		t.Fatalf("first run: %v", got)
	}
	// The tcd source gains an operation and an override: only its input is read again.
	b, err := os.ReadFile(job)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(b), "    paths: [\"in/tcd_*.csv\"]\n",
		"    paths: [\"in/tcd_*.csv\"]\n    operation: Lake Chad\n    columns: {\"Site Type\": \"\"}\n", 1)
	if err := os.WriteFile(job, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	got := reasons(runJSON(t, "run", "--config", job))
	want := map[string]string{"ssd_a.csv": "unchanged/", "ssd_b.csv": "unchanged/", "tcd_c.csv": "committed/settings changed: columns, operation"}
	for f, w := range want {
		if got[f] != w {
			t.Errorf("after a settings change, %s: %q, want %q", f, got[f], w)
		}
	}
	q := opsRun(t, nil, "--warehouse", dir+"/wh", "query", "--format", "csv",
		"SELECT count(*) AS n, count(*) FILTER (WHERE operation = 'Lake Chad') AS op FROM site_assessment WHERE country_iso3 = 'TCD'")
	if q.code != 0 || !strings.Contains(q.stdout, "\n6,6\n") {
		t.Errorf("TCD rows after the change (want 6 rows, all of operation Lake Chad): exit %d\n%s%s", q.code, q.stdout, q.stderr)
	}
	if got := reasons(runJSON(t, "run", "--config", job)); got["tcd_c.csv"] != "unchanged/" {
		t.Errorf("third run: %v", got)
	}
	// --source re-reads one source, --full-refresh all; neither doubles rows.
	got = reasons(runJSON(t, "run", "--config", job, "--source", "ssd"))
	if got["ssd_a.csv"] != "committed/source refresh" || got["tcd_c.csv"] != "unchanged/" {
		t.Errorf("--source ssd: %v", got)
	}
	got = reasons(runJSON(t, "run", "--config", job, "--full-refresh"))
	for _, f := range []string{"ssd_a.csv", "ssd_b.csv", "tcd_c.csv"} {
		if got[f] != "committed/full refresh" {
			t.Errorf("--full-refresh, %s: %q", f, got[f])
		}
	}
	q = opsRun(t, nil, "--warehouse", dir+"/wh", "query", "--format", "csv", "SELECT count(*) AS n FROM site_assessment")
	if q.code != 0 || !strings.Contains(q.stdout, "\n24\n") {
		t.Errorf("rows after refreshes (want 24 = 9 + 9 + 6): %s%s", q.stdout, q.stderr)
	}
	if r := opsRun(t, nil, "run", "--config", job, "--source", "nope"); r.code != pipeline.ExitUsage || !strings.Contains(r.stderr, `--source "nope" is not a source`) {
		t.Errorf("--source nope: exit %d %s", r.code, r.stderr)
	}
}

// TestQuietCron: with --quiet, a successful run prints nothing on stdout or
// stderr; a run with a failed input prints its summary.
func TestQuietCron(t *testing.T) {
	dir := t.TempDir()
	opsV1(t, dir)
	job := opsJob(t, dir, "")
	r := opsRun(t, nil, "run", "--config", job, "--quiet")
	if r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Errorf("quiet success: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	siteCSV(t, dir+"/in/tcd_c.csv", "TCD", []int{5}, 6, 4, 2)
	r = opsRun(t, nil, "run", "--config", job, "--quiet")
	if r.code != pipeline.ExitPartial || !strings.Contains(r.stdout, "tcd_c.csv") {
		t.Errorf("quiet trouble: exit %d, stdout %q", r.code, r.stdout)
	}
}
