package main

// Binary-spawning test of `dtm warehouse rm`: one commit removes exactly
// the rows and rejects of a file or a job source, the run results name
// them, and the next run reads a still-listed file again.

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/sinks"
)

func TestWarehouseRm(t *testing.T) {
	dir := t.TempDir()
	opsV1(t, dir)
	job := opsJob(t, dir, "")
	wh := filepath.Join(dir, "wh")
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatalf("run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	before := warehouseRows(t, wh)
	count := func(what string) string {
		t.Helper()
		q := opsRun(t, nil, "--warehouse", wh, "query", "--format", "csv", `SELECT
			(SELECT count(*) FROM site_assessment WHERE source_file LIKE '%ssd_a.csv') || '/' ||
			(SELECT count(*) FROM site_assessment WHERE source_file NOT LIKE '%ssd_a.csv') || '/' ||
			(SELECT count(*) FROM rejects WHERE file LIKE '%ssd_a.csv') || '/' ||
			(SELECT count(*) FROM rejects WHERE file NOT LIKE '%ssd_a.csv') AS n`)
		if q.code != 0 {
			t.Fatalf("%s: query: exit %d %s", what, q.code, q.stderr)
		}
		return strings.TrimSpace(strings.TrimPrefix(q.stdout, "n\n"))
	}
	// ssd_a: 10 rows, 1 rejected (9 written); the others: ssd_b 9, tcd_c 6.
	if got := count("before"); got != "9/15/1/1" {
		t.Fatalf("before rm: a/others/a rejects/others rejects = %s, want 9/15/1/1", got)
	}
	// A name that matches nothing changes nothing (exit 2).
	gen := func() int64 {
		m, err := sinks.ReadManifest(wh)
		if err != nil {
			t.Fatal(err)
		}
		return m.Generation
	}
	g0 := gen()
	if r := opsRun(t, nil, "--warehouse", wh, "warehouse", "rm", filepath.Join(dir, "in", "nope.csv")); r.code != pipeline.ExitUsage ||
		!strings.Contains(r.stderr, "nope.csv") || !strings.Contains(r.stderr, "dtm warehouse ls") || gen() != g0 {
		t.Errorf("rm of an unknown file: exit %d, stderr %q, generation %d (was %d)", r.code, r.stderr, gen(), g0)
	}
	// --dry-run says what would go and writes nothing.
	if r := opsRun(t, nil, "--warehouse", wh, "warehouse", "rm", "--dry-run", filepath.Join(dir, "in", "ssd_a.csv")); r.code != 0 ||
		!strings.Contains(r.stdout, "would remove") || !strings.Contains(r.stdout, "ssd_a.csv") || gen() != g0 {
		t.Errorf("rm --dry-run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The file, by its path: exactly its rows and rejects go, in one commit.
	r := opsRun(t, nil, "--warehouse", wh, "warehouse", "rm", filepath.Join(dir, "in", "ssd_a.csv"))
	if r.code != 0 || !strings.Contains(r.stdout, "ssd_a.csv: 9 rows") || !strings.Contains(r.stdout, "1 inputs, 9 rows") {
		t.Fatalf("rm ssd_a.csv: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := count("after rm"); got != "0/15/0/1" {
		t.Errorf("after rm: %s, want 0/15/0/1", got)
	}
	if gen() != g0+1 {
		t.Errorf("generation %d after rm, want %d", gen(), g0+1)
	}
	if c := opsRun(t, nil, "--warehouse", wh, "warehouse", "check"); c.code != 0 {
		t.Errorf("check after rm: exit %d\n%s", c.code, c.stdout)
	}
	checkClean(t, wh)
	var last pipeline.RunResult
	for _, d := range readRunDocs(t, wh) {
		if d.Command == "dtm warehouse rm" {
			last = d
		}
	}
	if last.Command != "dtm warehouse rm" || len(last.Removed) != 1 || !strings.HasSuffix(last.Removed[0].File, "ssd_a.csv") ||
		last.Removed[0].RowsWritten != 9 || last.Removed[0].Source != "ssd" || !last.Committed {
		t.Errorf("run results of rm: %+v", last)
	}
	// The next run reads the still-listed file again, as new: the warehouse
	// is as before the removal.
	if got := reasons(runJSON(t, "run", "--config", job)); got["ssd_a.csv"] != "committed/new" || got["ssd_b.csv"] != "unchanged/" {
		t.Errorf("run after rm: %v", got)
	}
	if d := sameRows(warehouseRows(t, wh), before); d != "" {
		t.Errorf("after rm and a re-run, the warehouse differs: %s", d)
	}
	// A job source by name: all its inputs.
	r = opsRun(t, nil, "--warehouse", wh, "warehouse", "rm", "--json", "--quiet", "tcd")
	if r.code != 0 || !strings.Contains(r.stdout, `"removed"`) || !strings.Contains(r.stdout, "tcd_c.csv") {
		t.Errorf("rm tcd: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	q := opsRun(t, nil, "--warehouse", wh, "query", "--format", "csv", "SELECT count(*) AS n FROM site_assessment WHERE country_iso3 = 'TCD'")
	if q.code != 0 || q.stdout != "n\n0\n" {
		t.Errorf("TCD rows after rm tcd: %q %s", q.stdout, q.stderr)
	}
}
