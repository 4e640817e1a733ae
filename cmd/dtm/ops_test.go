package main

// Binary-spawning tests of nightly operations: crash safety under SIGKILL at
// many points of a run, incremental runs, the writer lock, SIGTERM, reject
// thresholds, job-file errors, --dry-run and the run-results document.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// opsBin is the dtm binary built once by TestMain.
var opsBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dtm-ops-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	opsBin = filepath.Join(dir, "dtm")
	build := exec.Command("go", "build", "-o", opsBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building dtm for the ops tests:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// opsResult is what a spawned dtm did.
type opsResult struct {
	stdout, stderr string
	code           int  // exit code (-1 when killed by a signal)
	killed         bool // killed by SIGKILL
}

// opsRun runs the binary with args and extra environment variables.
func opsRun(t *testing.T, env []string, args ...string) opsResult {
	t.Helper()
	cmd := exec.Command(opsBin, args...)
	cmd.Env = append(opsEnv(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return opsOutcome(t, cmd, err, &out, &errb)
}

func opsOutcome(t *testing.T, cmd *exec.Cmd, err error, out, errb *bytes.Buffer) opsResult {
	t.Helper()
	r := opsResult{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			r.killed = true
		}
	default:
		t.Fatalf("running dtm: %v", err)
	}
	return r
}

// opsEnv is the environment without dtm's own variables.
func opsEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DTM_") {
			env = append(env, kv)
		}
	}
	return env
}

// siteCSV writes a small site-assessment CSV in the shape of the South
// Sudan files: rounds given, rows per round, the first `bad` rows with a
// negative count (rejected), values varied by salt.
func siteCSV(t *testing.T, path string, country string, rounds []int, perRound, bad, salt int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("Country Code,State,State Pcode,County,County Pcode,Site ID,Site Name,Site Type,Latitude,Longitude,Round,Survey Date,Total IDP (Households),Total IDP (Individuals),Type of Displacement\n")
	b.WriteString("#country+code,#adm1+name,#adm1+code,#adm2+name,#adm2+code,#loc+code,#loc+name,#loc+type,#geo+lat,#geo+lon,#round+code,#date+occurred,#affected+idps+hh,#affected+idps+ind,#cause+type\n")
	p := "SS"
	if country == "TCD" {
		p = "TD"
	}
	n := 0
	for _, r := range rounds {
		for i := 0; i < perRound; i++ {
			ind := 100 + 7*i + salt
			cc := country
			if n < bad {
				cc = "C0UNTRY?" // an unusable required field: the row is dropped (a bad count cell would only be emptied)
			}
			fmt.Fprintf(&b, "%s,State %d,%s0%d,County %d,%s0%d0%d,%s-%04d,Site %d,Camp,%d.5,%d.25,R%d,2025-0%d-1%d,%d,%d,Conflict\n",
				cc, i%2+1, p, i%2+1, i%3, p, i%2+1, i%3+1, country, i, i, 5+i%3, 30+i%2, r, r%9+1, i%9, 10+i+salt, ind)
			n++
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// opsJob writes a job file with two sources over dir and returns its path.
func opsJob(t *testing.T, dir, extra string) string {
	t.Helper()
	job := `# test job
warehouse: wh
concurrency: 1
quality:
  max_reject_ratio: 0.5
sources:
  - name: ssd
    kind: site_assessment
    paths: ["in/ssd_*.csv"]
  - name: tcd
    kind: site_assessment
    paths: ["in/tcd_*.csv"]
` + extra
	p := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(p, []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// opsV1 writes the first version of the inputs.
func opsV1(t *testing.T, dir string) {
	t.Helper()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	siteCSV(t, filepath.Join(in, "ssd_a.csv"), "SSD", []int{1, 2}, 5, 1, 0)
	siteCSV(t, filepath.Join(in, "ssd_b.csv"), "SSD", []int{3, 4}, 5, 1, 1)
	siteCSV(t, filepath.Join(in, "tcd_c.csv"), "TCD", []int{5}, 6, 0, 2)
}

// opsV2 changes two inputs and adds one: the next run replaces and adds.
func opsV2(t *testing.T, dir string) {
	t.Helper()
	in := filepath.Join(dir, "in")
	siteCSV(t, filepath.Join(in, "ssd_b.csv"), "SSD", []int{3, 4}, 4, 1, 11)
	siteCSV(t, filepath.Join(in, "tcd_c.csv"), "TCD", []int{5, 6}, 3, 1, 12)
	siteCSV(t, filepath.Join(in, "ssd_d.csv"), "SSD", []int{7, 8}, 4, 1, 13)
}

// warehouseRows reads the committed state through dtm's views: the
// site_assessment rows without ingest_run_id, and the rejects, each sorted.
//
// Paths under the job directory (source_file, rejects' file) are written
// relative to it so that runs in different directories compare.
func warehouseRows(t *testing.T, wh string) []string {
	t.Helper()
	return viewRows(t, wh, filepath.Dir(wh))
}

// viewRows is warehouseRows over the warehouse directory root (a local
// warehouse, or the view of an s3:// one), with paths under jobDir
// written relative to it.
func viewRows(t *testing.T, root, jobDir string) []string {
	t.Helper()
	wh := root
	ctx := context.Background()
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatalf("opening %s: %v", wh, err)
	}
	defer db.Close()
	var out []string
	for _, q := range []string{
		`SELECT * EXCLUDE (` + schemas.ColRunID + `) FROM site_assessment`,
		`SELECT * FROM rejects`,
	} {
		res, err := db.Query(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var rows []string
		for _, r := range res.Rows {
			cells := make([]string, len(r))
			for i, v := range r {
				cells[i] = sinks.FormatValue(v)
			}
			rows = append(rows, strings.ReplaceAll(strings.Join(cells, "|"), jobDir, "<dir>"))
		}
		sort.Strings(rows)
		out = append(out, fmt.Sprintf("-- %s: %d rows", q, len(rows)))
		out = append(out, rows...)
	}
	return out
}

// sameRows reports the first difference between two row lists.
func sameRows(got, want []string) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d rows, want %d (got %q..., want %q...)", len(got), len(want), head(got), head(want))
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Sprintf("row %d: %q, want %q", i, got[i], want[i])
		}
	}
	return ""
}

func head(s []string) []string {
	if len(s) > 3 {
		return s[:3]
	}
	return s
}

// checkClean verifies that the warehouse holds no staging, no temporary
// file and no part file the manifest does not reference.
func checkClean(t *testing.T, wh string) {
	t.Helper()
	m, err := sinks.ReadManifest(wh)
	if err != nil {
		t.Fatal(err)
	}
	ref := map[string]bool{}
	for _, s := range m.Sources {
		for _, f := range s.Files {
			ref[f] = true
		}
		if s.RejectsFile != "" {
			ref[s.RejectsFile] = true
		}
		if s.Summary != "" {
			ref[s.Summary] = true
		}
	}
	filepath.WalkDir(wh, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(wh, p)
		rel = filepath.ToSlash(rel)
		switch {
		case strings.HasPrefix(rel, "_dtm/staging"):
			t.Errorf("staging left behind: %s", rel)
		case strings.HasPrefix(d.Name(), ".tmp-"):
			t.Errorf("temporary file left behind: %s", rel)
		case strings.HasPrefix(d.Name(), "part-") && !ref[rel]:
			t.Errorf("unreferenced part file left behind: %s", rel)
		}
		return nil
	})
	for f := range ref {
		if _, err := os.Stat(filepath.Join(wh, f)); err != nil {
			t.Errorf("manifest references a missing file: %v", err)
		}
	}
}

// snapshot maps every path under dir to its bytes (directories to "<dir>").
func snapshot(t *testing.T, dir string, skip func(rel string) bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if skip != nil && skip(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			out[rel] = "<dir>"
			return nil
		}
		b, _ := os.ReadFile(p)
		out[rel] = string(b)
		return nil
	})
	return out
}

func diffSnapshots(a, b map[string]string) []string {
	var d []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			d = append(d, "removed "+k)
		} else if v != w {
			d = append(d, "changed "+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, "added "+k)
		}
	}
	sort.Strings(d)
	return d
}

// readRunDocs reads the run-results documents of a warehouse, by run id.
func readRunDocs(t *testing.T, wh string) []pipeline.RunResult {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(wh, "_dtm", "runs", "*.json"))
	sort.Strings(files)
	var out []pipeline.RunResult
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r pipeline.RunResult
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, r)
	}
	return out
}

// crashFixture holds the rows of the two committed states of a crash case
// and the hook points an uninterrupted v2 run passes, in order.
type crashFixture struct {
	v1, v2    []string
	points    []string
	commitIdx int // index in points of "commit:after-manifest"
}

// crashCase makes a job directory whose warehouse holds the v1 state, with
// the inputs already at v2. The ledger keys inputs by absolute path, so
// each case runs v1 in its own directory rather than copying one.
func crashCase(t *testing.T) (job, wh string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "job")
	os.MkdirAll(dir, 0o755)
	// file_rows: 3 cuts the partitions of 4 and 5 rows into two part
	// files, so the kill points include closing a full part file and
	// starting the next one (newCrashFixture checks that they do).
	job = opsJob(t, dir, "file_rows: 3\n")
	opsV1(t, dir)
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatalf("v1 run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	opsV2(t, dir)
	return job, filepath.Join(dir, "wh")
}

// laterPartName matches a data file's name with its sequence number
// (sinks.Txn.CreatePart: part-TAG-RUN_NNNN.parquet after the first).
var laterPartName = regexp.MustCompile(`^part-.*_(\d{4})\.parquet$`)

// laterPartFiles counts the data files under wh that are not a partition's
// first file of an input (named …_0001.parquet and on).
func laterPartFiles(t *testing.T, wh string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(wh, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if m := laterPartName.FindStringSubmatch(d.Name()); m != nil && m[1] != "0000" {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func newCrashFixture(t *testing.T) crashFixture {
	t.Helper()
	job, wh := crashCase(t)
	fx := crashFixture{v1: warehouseRows(t, wh)}
	logPath := filepath.Join(t.TempDir(), "points.log")
	if r := opsRun(t, []string{"DTM_CRASH_LOG=" + logPath}, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatalf("v2 run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	fx.v2 = warehouseRows(t, wh)
	if d := sameRows(fx.v2, fx.v1); d == "" {
		t.Fatal("v2 rows equal v1 rows: the fixture changes nothing")
	}
	if n := laterPartFiles(t, wh); n == 0 {
		t.Fatal("the fixture writes one part file per partition: its kills never reach a second file")
	}
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	fx.commitIdx = -1
	seen := map[string]bool{}
	for _, p := range strings.Fields(string(b)) {
		if seen[p] {
			t.Fatalf("hook point %q passed twice in one run", p)
		}
		seen[p] = true
		if p == "commit:after-manifest" {
			fx.commitIdx = len(fx.points)
		}
		fx.points = append(fx.points, p)
	}
	if fx.commitIdx < 0 {
		t.Fatalf("no commit point among %v", fx.points)
	}
	return fx
}

// TestKillAnywhere kills dtm with SIGKILL at every hook point of a run that
// replaces two inputs and adds one (deterministic points, at least 20),
// then checks that the warehouse reads as the last committed state and
// that the next run converges to the rows of an uninterrupted run.
func TestKillAnywhere(t *testing.T) {
	skipShort(t, "crash-point kill test")
	fx := newCrashFixture(t)
	t.Logf("%d crash points: %v", len(fx.points), fx.points)
	if len(fx.points) < 20 {
		t.Fatalf("only %d distinct crash points, want at least 20: %v", len(fx.points), fx.points)
	}
	for i, point := range fx.points {
		t.Run(strings.ReplaceAll(point, ":", "_"), func(t *testing.T) {
			t.Parallel() // each case has its own directory
			job, wh := crashCase(t)
			r := opsRun(t, []string{"DTM_CRASH_AT=" + point}, "run", "--config", job, "--quiet")
			if !r.killed {
				t.Fatalf("dtm was not killed at %s (exit %d)\n%s", point, r.code, r.stderr)
			}
			want := fx.v1
			if i >= fx.commitIdx {
				want = fx.v2
			}
			if d := sameRows(warehouseRows(t, wh), want); d != "" {
				t.Fatalf("after a kill at %s, readers see neither the last committed state: %s", point, d)
			}
			opsConverge(t, job, wh, fx.v2)
		})
	}
}

// TestKillDuringRecovery kills the run that cleans up after a crash, at
// each point of its recovery, and then checks convergence.
func TestKillDuringRecovery(t *testing.T) {
	skipShort(t, "crash-point kill test")
	fx := newCrashFixture(t)
	for _, c := range []struct{ first, second string }{
		{"commit:moved:2", "recover:staging"},
		{"commit:moved:2", "recover:tmp"},
		{"commit:moved:2", "recover:removed:0"},
		{"commit:moved:2", "recover:removed:1"},
		{"manifest:temp-written", "recover:tmp"},
		{"commit:after-manifest", "recover:removed:0"},
	} {
		t.Run(strings.ReplaceAll(c.first+"+"+c.second, ":", "_"), func(t *testing.T) {
			job, wh := crashCase(t)
			if r := opsRun(t, []string{"DTM_CRASH_AT=" + c.first}, "run", "--config", job, "--quiet"); !r.killed {
				t.Fatalf("not killed at %s (exit %d)", c.first, r.code)
			}
			before := warehouseRows(t, wh)
			if r := opsRun(t, []string{"DTM_CRASH_AT=" + c.second}, "run", "--config", job, "--quiet"); !r.killed {
				t.Fatalf("not killed at %s (exit %d)", c.second, r.code)
			}
			if d := sameRows(warehouseRows(t, wh), before); d != "" {
				t.Fatalf("a kill during recovery changed what readers see: %s", d)
			}
			opsConverge(t, job, wh, fx.v2)
		})
	}
}

// TestKillAtDelays kills dtm after fixed delays (wherever it then is).
func TestKillAtDelays(t *testing.T) {
	skipShort(t, "crash-point kill test")
	fx := newCrashFixture(t)
	for _, delay := range []time.Duration{5 * time.Millisecond, 40 * time.Millisecond, 90 * time.Millisecond, 150 * time.Millisecond, 250 * time.Millisecond} {
		t.Run(delay.String(), func(t *testing.T) {
			job, wh := crashCase(t)
			cmd := exec.Command(opsBin, "run", "--config", job, "--quiet")
			cmd.Env = opsEnv()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			cmd.Process.Kill()
			cmd.Wait()
			got := warehouseRows(t, wh)
			if sameRows(got, fx.v1) != "" && sameRows(got, fx.v2) != "" {
				t.Fatalf("after a kill at %s, readers see neither committed state: %s", delay, sameRows(got, fx.v1))
			}
			opsConverge(t, job, wh, fx.v2)
		})
	}
}

// opsConverge runs the job again: it must succeed with the rows of an
// uninterrupted run and a clean warehouse; a further run writes nothing.
func opsConverge(t *testing.T, job, wh string, want []string) {
	t.Helper()
	r := opsRun(t, nil, "run", "--config", job, "--quiet")
	if r.code != 0 {
		t.Fatalf("the run after the crash exited %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if d := sameRows(warehouseRows(t, wh), want); d != "" {
		t.Fatalf("the run after the crash did not converge: %s", d)
	}
	checkClean(t, wh)
	before := snapshot(t, wh, skipRuns)
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatalf("re-run exited %d", r.code)
	}
	if d := diffSnapshots(before, snapshot(t, wh, skipRuns)); len(d) > 0 {
		t.Fatalf("a re-run without changes wrote: %v", d)
	}
}

// skipRuns leaves out the run documents (one per run by design).
func skipRuns(rel string) bool { return rel == "_dtm/runs" }

// TestIncremental: an unchanged re-run writes nothing (but records a run
// document whose inputs are "unchanged"); a changed file replaces exactly
// its rows; a vanished file keeps its rows unless the job prunes.
func TestIncremental(t *testing.T) {
	dir := t.TempDir()
	job := opsJob(t, dir, "")
	opsV1(t, dir)
	wh := filepath.Join(dir, "wh") // the job's warehouse, relative to the job file
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	m1, _ := sinks.ReadManifest(wh)
	before := snapshot(t, wh, skipRuns)
	r := opsRun(t, nil, "run", "--config", job, "--quiet", "--json")
	if r.code != 0 {
		t.Fatalf("re-run exit %d", r.code)
	}
	if d := diffSnapshots(before, snapshot(t, wh, skipRuns)); len(d) > 0 {
		t.Errorf("unchanged re-run wrote: %v", d)
	}
	var res pipeline.RunResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("--json output: %v\n%s", err, r.stdout)
	}
	if res.Committed || res.RowsWritten != 0 || res.RowsSkipped == 0 {
		t.Errorf("unchanged re-run: committed=%v written=%d skipped=%d", res.Committed, res.RowsWritten, res.RowsSkipped)
	}
	for _, s := range res.Sources {
		if s.Status != pipeline.StatusUnchanged {
			t.Errorf("%s: status %s, want unchanged", s.File, s.Status)
		}
	}

	// Change ssd_b: only its rows change; the other inputs' files stay.
	siteCSV(t, filepath.Join(dir, "in", "ssd_b.csv"), "SSD", []int{3}, 2, 0, 50)
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	m2, _ := sinks.ReadManifest(wh)
	for key, s := range m1.Sources {
		if strings.HasSuffix(key, "ssd_b.csv") {
			if m2.Sources[key].Hash == s.Hash || m2.Sources[key].RowsIn != 2 {
				t.Errorf("ssd_b not replaced: %+v", m2.Sources[key])
			}
			continue
		}
		if fmt.Sprint(m2.Sources[key].Files) != fmt.Sprint(s.Files) {
			t.Errorf("%s was rewritten although unchanged", key)
		}
	}
	ctx := context.Background()
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	res2, err := db.Query(ctx, `SELECT count(*) FROM site_assessment WHERE source_file LIKE '%ssd_b.csv'`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if n := res2.Rows[0][0]; fmt.Sprint(n) != "2" {
		t.Errorf("ssd_b rows after replacement: %v, want 2", n)
	}

	// ssd_b disappears: its rows stay; with prune: true they go.
	os.Remove(filepath.Join(dir, "in", "ssd_b.csv"))
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if m, _ := sinks.ReadManifest(wh); len(m.Sources) != 3 {
		t.Errorf("a vanished input's rows were dropped without prune: %d sources", len(m.Sources))
	}
	pruneJob := strings.Replace(mustRead(t, job), "    paths: [\"in/ssd_*.csv\"]\n", "    paths: [\"in/ssd_*.csv\"]\n    prune: true\n", 1)
	os.WriteFile(job, []byte(pruneJob), 0o644)
	r = opsRun(t, nil, "run", "--config", job, "--quiet", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if m, _ := sinks.ReadManifest(wh); len(m.Sources) != 2 {
		t.Errorf("prune: %d sources left, want 2", len(m.Sources))
	}
	checkClean(t, wh)
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitStopped waits until a process is stopped (SIGSTOP).
func waitStopped(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err == nil {
			if f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:])); len(f) > 0 && f[0] == "T" {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d did not stop", pid)
}

// TestConcurrentRuns: while one run holds the lock, a second refuses with
// a message naming the holder and exits 1; the first then finishes.
func TestConcurrentRuns(t *testing.T) {
	skipShort(t, "crash-point kill test")
	dir := t.TempDir()
	job := opsJob(t, dir, "")
	opsV1(t, dir)
	first := exec.Command(opsBin, "run", "--config", job, "--quiet")
	first.Env = append(opsEnv(), "DTM_CRASH_AT=input:done:0", "DTM_CRASH_SIGNAL=STOP")
	var out1, err1 bytes.Buffer
	first.Stdout, first.Stderr = &out1, &err1
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer first.Process.Kill()
	waitStopped(t, first.Process.Pid)

	r := opsRun(t, nil, "run", "--config", job, "--quiet")
	if r.code != pipeline.ExitFailure {
		t.Errorf("second run exited %d, want %d", r.code, pipeline.ExitFailure)
	}
	for _, want := range []string{"locked by another dtm run", fmt.Sprintf("pid %d", first.Process.Pid), "(dtm run)"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, r.stderr)
		}
	}
	first.Process.Signal(syscall.SIGCONT)
	res := opsOutcome(t, first, first.Wait(), &out1, &err1)
	if res.code != 0 {
		t.Fatalf("first run exited %d\n%s", res.code, res.stderr)
	}
	if docs := readRunDocs(t, filepath.Join(dir, "wh")); len(docs) != 1 {
		t.Errorf("%d run documents, want 1 (the refused run writes none)", len(docs))
	}
}

// TestSIGTERM: a signal mid-run stops it with exit 130, nothing committed,
// no staging left, and a run document that says "interrupted".
func TestSIGTERM(t *testing.T) {
	for _, sig := range []string{"TERM", "INT"} {
		t.Run(sig, func(t *testing.T) {
			dir := t.TempDir()
			job := opsJob(t, dir, "")
			opsV1(t, dir)
			wh := filepath.Join(dir, "wh")
			r := opsRun(t, []string{"DTM_CRASH_AT=input:done:0", "DTM_CRASH_SIGNAL=" + sig}, "run", "--config", job, "--quiet")
			if r.code != pipeline.ExitInterrupted {
				t.Fatalf("exit %d, want 130\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			if m, _ := sinks.ReadManifest(wh); len(m.Sources) != 0 {
				t.Errorf("an interrupted run committed %d sources", len(m.Sources))
			}
			checkClean(t, wh)
			docs := readRunDocs(t, wh)
			if len(docs) != 1 || docs[0].Status != pipeline.RunInterrupted || docs[0].ExitCode != 130 {
				t.Fatalf("run document: %+v", docs)
			}
			for _, s := range docs[0].Sources {
				if s.Status != pipeline.StatusInterrupted {
					t.Errorf("%s: status %s, want interrupted", s.File, s.Status)
				}
			}
			if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
				t.Fatalf("the run after the interruption exited %d", r.code)
			}
		})
	}
}

// TestRejectThreshold: a source over its reject threshold fails (its rows
// not committed) while the other source commits; the run exits 3.
func TestRejectThreshold(t *testing.T) {
	dir := t.TempDir()
	job := opsJob(t, dir, "")
	opsV1(t, dir)
	siteCSV(t, filepath.Join(dir, "in", "tcd_c.csv"), "TCD", []int{5}, 6, 4, 2) // 4 of 6 rejected
	r := opsRun(t, nil, "run", "--config", job, "--quiet", "--json")
	if r.code != pipeline.ExitPartial {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
	}
	var res pipeline.RunResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Status != pipeline.RunPartial {
		t.Errorf("status %s", res.Status)
	}
	for _, s := range res.Sources {
		want := pipeline.StatusCommitted
		if s.Source == "tcd" {
			want = pipeline.StatusFailed
		}
		if s.Status != want {
			t.Errorf("%s: %s, want %s (%v)", s.File, s.Status, want, s.Errors)
		}
		if s.RowsIn != s.RowsWritten+s.RowsRejected {
			t.Errorf("%s: rows_in %d != written %d + rejected %d", s.File, s.RowsIn, s.RowsWritten, s.RowsRejected)
		}
	}
	for _, bs := range res.BySource {
		if bs.Source == "tcd" && (bs.Status != pipeline.StatusFailed || bs.Failed != 1 || len(bs.Errors) == 0) {
			t.Errorf("by_source tcd: %+v", bs)
		}
	}
	m, _ := sinks.ReadManifest(filepath.Join(dir, "wh"))
	for _, s := range m.Sources {
		if s.JobSource == "tcd" {
			t.Errorf("the failed source was committed: %s", s.Key)
		}
	}
	if len(m.Sources) != 2 {
		t.Errorf("%d sources committed, want the 2 ssd inputs", len(m.Sources))
	}
}

// TestInvalidJob: an unknown key is a usage error naming line and key.
func TestInvalidJob(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ name, body, want string }{
		{"unknown key", "sources:\n  - name: a\n    kind: site_assessment\n    paths: [x]\n    colums: {a: b}\n", `line 5: unknown key "colums" in a source`},
		{"bad kind", "sources:\n  - name: a\n    kind: sites\n    paths: [x]\n", `line 3: source "a": kind "sites"`},
		{"bad top key", "warehous: x\nsources: []\n", `line 1: unknown key "warehous" at the top level`},
	}
	for _, c := range cases {
		p := filepath.Join(dir, "job.yaml")
		os.WriteFile(p, []byte(c.body), 0o644)
		r := opsRun(t, nil, "run", "--config", p)
		if r.code != pipeline.ExitUsage {
			t.Errorf("%s: exit %d, want 2", c.name, r.code)
		}
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: stderr lacks %q:\n%s", c.name, c.want, r.stderr)
		}
	}
}

// TestDryRun: --dry-run writes nothing at all, on a new warehouse (not even
// its directory) and on one with pending changes.
func TestDryRun(t *testing.T) {
	dir := t.TempDir()
	job := opsJob(t, dir, "")
	opsV1(t, dir)
	wh := filepath.Join(dir, "wh")
	r := opsRun(t, nil, "run", "--config", job, "--dry-run", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(wh); !os.IsNotExist(err) {
		t.Fatalf("a dry run created the warehouse: %v", err)
	}
	var res pipeline.RunResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res.Status != pipeline.RunDryRun {
		t.Fatalf("dry-run result: %v %+v", err, res.Status)
	}
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	opsV2(t, dir)
	before := snapshot(t, wh, nil)
	r = opsRun(t, nil, "run", "--config", job, "--dry-run")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if d := diffSnapshots(before, snapshot(t, wh, nil)); len(d) > 0 {
		t.Fatalf("a dry run wrote: %v", d)
	}
	if !strings.Contains(r.stdout, "dry-run") || !strings.Contains(r.stdout, "unchanged") {
		t.Errorf("dry-run summary does not say what would change:\n%s", r.stdout)
	}
}

// TestRunResultsAndLogs: the run document, the runs view, the JSON logs
// with their fixed field names (and no row values), no progress off a
// terminal, DTM_THREADS and DTM_WAREHOUSE.
func TestRunResultsAndLogs(t *testing.T) {
	dir := t.TempDir()
	job := opsJob(t, dir, "")
	opsV1(t, dir)
	wh := filepath.Join(dir, "elsewhere")
	r := opsRun(t, []string{"DTM_WAREHOUSE=" + wh, "DTM_THREADS=3"}, "run", "--config", job, "--log-format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "\r") {
		t.Error("progress written although stderr is not a terminal")
	}
	docs := readRunDocs(t, wh)
	if len(docs) != 1 {
		t.Fatalf("%d run documents in DTM_WAREHOUSE", len(docs))
	}
	d := docs[0]
	if d.Concurrency != 3 || d.Status != pipeline.RunOK || !d.Committed || len(d.Sources) != 3 || len(d.BySource) != 2 ||
		d.DtmVersion == "" || d.EndedAt.Before(d.StartedAt) {
		t.Errorf("run document: %+v", d)
	}
	for _, s := range d.Sources {
		if len(s.Hash) != 64 || s.RowsIn != s.RowsWritten+s.RowsRejected {
			t.Errorf("source result: %+v", s)
		}
	}
	if !strings.Contains(r.stdout, "run "+d.RunID) {
		t.Errorf("no human summary:\n%s", r.stdout)
	}
	var inputLogs int
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if m["msg"] == "input done" {
			inputLogs++
			for _, k := range []string{"run_id", "source", "file", "sheet", "stage", "rows_in", "rows_out", "rows_rejected", "bytes", "duration"} {
				if _, ok := m[k]; !ok {
					t.Errorf("log line lacks %q: %s", k, line)
				}
			}
		}
	}
	if inputLogs != 3 {
		t.Errorf("%d input logs, want 3", inputLogs)
	}
	if strings.Contains(r.stderr, "Site 3") || strings.Contains(r.stderr, "State 1") {
		t.Error("row values reached the log")
	}

	q := opsRun(t, nil, "query", "--warehouse", wh, "--format", "json",
		"SELECT run_id, status, exit_code, rows_written, committed, json_array_length(sources) AS n FROM runs")
	if q.code != 0 {
		t.Fatalf("runs view: %d\n%s", q.code, q.stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(q.stdout), &rows); err != nil || len(rows) != 1 {
		t.Fatalf("runs view output: %v\n%s", err, q.stdout)
	}
	if rows[0]["run_id"] != d.RunID || rows[0]["status"] != "ok" || fmt.Sprint(rows[0]["n"]) != "3" || rows[0]["committed"] != true {
		t.Errorf("runs view row: %v", rows[0])
	}

	bad := opsRun(t, []string{"DTM_THREADS=lots"}, "run", "--config", job, "--quiet")
	if bad.code != pipeline.ExitUsage || !strings.Contains(bad.stderr, "DTM_THREADS") {
		t.Errorf("bad DTM_THREADS: exit %d %s", bad.code, bad.stderr)
	}
}

// TestSchemaRuns: every field of the run document is documented.
func TestSchemaRuns(t *testing.T) {
	r := opsRun(t, nil, "schema", "runs")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	for _, f := range pipeline.RunResultFields() {
		if f.Description == "" {
			t.Errorf("field %s has no description", f.Path)
		}
		if !strings.Contains(r.stdout, "`"+f.Path+"`") {
			t.Errorf("dtm schema runs lacks %s", f.Path)
		}
	}
	for _, p := range []string{"sources[].rows_skipped", "by_source[].hashes", "run_id", "sources[].status"} {
		if !strings.Contains(r.stdout, "`"+p+"`") {
			t.Errorf("dtm schema runs lacks %s", p)
		}
	}
}

// skipShort skips a slow test under `go test -short` (make test-short, the
// quick loop); the full suite (make test, CI) runs it.
func skipShort(t *testing.T, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("%s: skipped under -short", what)
	}
}
