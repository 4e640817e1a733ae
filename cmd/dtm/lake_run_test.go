package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/apache/iceberg-go/table"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks/lake"
)

// lakeSite is one object-store warehouse for the tests of runs into
// s3://: an in-process S3 server (gofakes3 on loopback, bucket "lake"),
// a SQLite Iceberg catalog, and a job directory with the v1 inputs of
// the ops tests. dtm runs as a child process; each "machine" has its own
// cache directory (file cache and working warehouse).
type lakeSite struct {
	t       *testing.T
	dir     string
	url     string
	catalog string
	job     string
	jobDir  string
	loc     string
}

func newLakeSite(t *testing.T) *lakeSite {
	t.Helper()
	url := fakeS3(t)
	dir := t.TempDir()
	jobDir := filepath.Join(dir, "job")
	if err := os.MkdirAll(jobDir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &lakeSite{t: t, dir: dir, url: url, catalog: filepath.Join(dir, "catalog.db"), jobDir: jobDir, loc: "s3://lake/w"}
	s.job = opsJob(t, jobDir, "")
	opsV1(t, jobDir)
	return s
}

func (s *lakeSite) env(machine string, extra ...string) []string {
	return append(lakeEnv(s.url, s.catalog, filepath.Join(s.dir, "cache-"+machine)), extra...)
}

// run is `dtm run --config JOB --warehouse s3://lake/w --json` on machine.
func (s *lakeSite) run(machine string, extra ...string) opsResult {
	s.t.Helper()
	return opsRun(s.t, s.env(machine, extra...), "run", "--config", s.job, "--warehouse", s.loc, "--quiet", "--json")
}

func (s *lakeSite) mustRun(machine string, extra ...string) pipeline.RunResult {
	s.t.Helper()
	r := s.run(machine, extra...)
	if r.code != 0 {
		s.t.Fatalf("dtm run into %s exited %d\n%s\n%s", s.loc, r.code, r.stdout, r.stderr)
	}
	var res pipeline.RunResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		s.t.Fatalf("run results: %v\n%s", err, r.stdout)
	}
	return res
}

func (s *lakeSite) s3env() lake.S3Env {
	return lake.S3Env{Endpoint: s.url, Region: "us-east-1", AccessKey: "k", SecretKey: "s"}
}

// view is what dtm's readers open: the local view of the last complete
// publish (lake.Materialize, with a reader's own cache).
func (s *lakeSite) view() string {
	s.t.Helper()
	v, err := lake.Materialize(context.Background(), lake.ReadOptions{Location: s.loc, Catalog: "sqlite:" + s.catalog,
		Env: s.s3env(), Registry: schemas.Default(), CacheDir: filepath.Join(s.dir, "reader")})
	if err != nil {
		s.t.Fatalf("reading %s: %v", s.loc, err)
	}
	return v.Root
}

// rows is what dtm's readers see (viewRows of the view).
func (s *lakeSite) rows() []string {
	s.t.Helper()
	return viewRows(s.t, s.view(), s.jobDir)
}

// settled checks the location after a complete run: no publish in
// flight, every table at the snapshot head.json names, and each Iceberg
// table, read back with iceberg-go's own scan, holding exactly the rows
// dtm's views hold.
func (s *lakeSite) settled() *lake.Head {
	t := s.t
	t.Helper()
	ctx := context.Background()
	st, err := lake.Status(ctx, s.s3env(), s.loc)
	if err != nil {
		t.Fatal(err)
	}
	if st.Head == nil || len(st.InFlight) > 0 {
		t.Fatalf("after a complete run: head %v, publishes in flight %v", st.Head != nil, st.InFlight)
	}
	cat, err := lake.OpenCatalog(ctx, "sqlite:"+s.catalog, lake.Location{Bucket: "lake", Prefix: "w"}, s.s3env().IcebergProps())
	if err != nil {
		t.Fatal(err)
	}
	defer lake.CloseCatalog(cat)
	db, err := query.Open(ctx, s.view(), schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		name  string
		cols  []string
		where string
	}{
		{"site_assessment", []string{"site_id", "round", "idp_individuals"}, "site_assessment"},
		{"displacement_admin", []string{"idp_individuals"}, "displacement_admin"},
		{lake.RejectsTable, []string{"code", "row"}, "rejects WHERE NOT failed_input"},
		{lake.RejectsFailedTable, []string{"code", "row"}, "rejects WHERE failed_input"},
	} {
		name, cols := c.name, c.cols
		sql := `SELECT "` + strings.Join(cols, `", "`) + `" FROM ` + c.where
		tbl, err := cat.LoadTable(ctx, table.Identifier{lake.Namespace, name})
		if err != nil {
			t.Fatalf("table %s: %v", name, err)
		}
		var cur int64
		if sn := tbl.CurrentSnapshot(); sn != nil {
			cur = sn.SnapshotID
		}
		if cur != st.Head.Snapshots[name] {
			t.Errorf("table %s is at snapshot %d, head.json names %d", name, cur, st.Head.Snapshots[name])
		}
		res, err := db.Query(ctx, sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		var want []string
		for _, r := range res.Rows {
			cells := make([]string, len(r))
			for i, v := range r {
				cells[i] = cellString(v)
			}
			want = append(want, strings.Join(cells, "|"))
		}
		got := icebergRows(t, tbl, cols)
		sort.Strings(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("table %s: iceberg-go's scan gives %d rows, dtm's view %d (or other values)\n got %.300v\nwant %.300v", name, len(got), len(want), got, want)
		}
	}
	return st.Head
}

func cellString(v any) string {
	if v == nil {
		return "NULL"
	}
	return fmt.Sprint(v)
}

// icebergRows scans the table with iceberg-go and returns the named
// columns of each row joined by "|", sorted.
func icebergRows(t *testing.T, tbl *table.Table, cols []string) []string {
	t.Helper()
	if tbl.CurrentSnapshot() == nil {
		return nil
	}
	at, err := tbl.Scan(table.WithSelectedFields(cols...)).ToArrowTable(context.Background())
	if err != nil {
		t.Fatalf("iceberg scan: %v", err)
	}
	defer at.Release()
	n := int(at.NumRows())
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = make([]string, len(cols))
	}
	for c, name := range cols {
		idx := at.Schema().FieldIndices(name)
		if len(idx) != 1 {
			t.Fatalf("no column %s in %s", name, at.Schema())
		}
		i := 0
		for _, ch := range at.Column(idx[0]).Data().Chunks() {
			for k := 0; k < ch.Len(); k++ {
				if ch.IsNull(k) {
					rows[i][c] = "NULL"
				} else {
					rows[i][c] = ch.ValueStr(k)
				}
				i++
			}
		}
	}
	out := make([]string, n)
	for i, r := range rows {
		out[i] = strings.Join(r, "|")
	}
	sort.Strings(out)
	return out
}

// lakeFixture is the reference of the kill tests: the rows readers see
// after the v1 run and after the v2 run into s3://, and the publish
// steps of the v2 run in order.
type lakeFixture struct {
	v1, v2 []string
	points []string // "lake:…" hook points of the v2 run, in order
	headAt int      // index of "lake:head" in points
}

func newLakeFixture(t *testing.T) lakeFixture {
	t.Helper()
	s := newLakeSite(t)
	s.mustRun("m")
	fx := lakeFixture{v1: s.rows()}
	opsV2(t, s.jobDir)
	logPath := filepath.Join(t.TempDir(), "points.log")
	s.mustRun("m", "DTM_CRASH_LOG="+logPath)
	fx.v2 = s.rows()
	s.settled()
	if d := sameRows(fx.v2, fx.v1); d == "" {
		t.Fatal("v2 rows equal v1 rows: the fixture changes nothing")
	}
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	fx.headAt = -1
	for _, p := range strings.Fields(string(b)) {
		if !strings.HasPrefix(p, "lake:") {
			continue
		}
		if p == "lake:head" {
			fx.headAt = len(fx.points)
		}
		fx.points = append(fx.points, p)
	}
	if fx.headAt < 0 {
		t.Fatalf("no lake:head among %v", fx.points)
	}

	// The same job into a local warehouse gives the same rows.
	local := filepath.Join(t.TempDir(), "wh")
	job := filepath.Join(t.TempDir(), "job")
	os.MkdirAll(job, 0o755)
	jobFile := opsJob(t, job, "")
	opsV1(t, job)
	if r := opsRun(t, nil, "run", "--config", jobFile, "--warehouse", local, "--quiet"); r.code != 0 {
		t.Fatalf("local v1 run: %d %s", r.code, r.stderr)
	}
	if d := sameRows(viewRows(t, local, job), fx.v1); d != "" {
		t.Fatalf("v1: the s3:// warehouse and a local one differ: %s", d)
	}
	opsV2(t, job)
	if r := opsRun(t, nil, "run", "--config", jobFile, "--warehouse", local, "--quiet"); r.code != 0 {
		t.Fatalf("local v2 run: %d %s", r.code, r.stderr)
	}
	if d := sameRows(viewRows(t, local, job), fx.v2); d != "" {
		t.Fatalf("v2: the s3:// warehouse and a local one differ: %s", d)
	}
	return fx
}

// TestRunIntoObjectStore: `dtm run --warehouse s3://…` commits through
// a local working warehouse and a publish (the same rows as a local run,
// Iceberg tables equal to dtm's views); re-running changes nothing (no
// new snapshot); a corrected input replaces its own files and the
// objects it replaced are deleted.
func TestRunIntoObjectStore(t *testing.T) {
	s := newLakeSite(t)
	first := s.mustRun("m")
	if !first.Committed || first.PublishID == "" || first.Warehouse != s.loc {
		t.Fatalf("first run: committed %v, publish %q, warehouse %q", first.Committed, first.PublishID, first.Warehouse)
	}
	h1 := s.settled()
	again := s.mustRun("m")
	if again.Committed || again.RowsSkipped == 0 {
		t.Fatalf("re-run: committed %v, %d rows skipped", again.Committed, again.RowsSkipped)
	}
	h2 := s.settled()
	for k, v := range h1.Snapshots {
		if h2.Snapshots[k] != v {
			t.Errorf("re-run moved table %s from snapshot %d to %d", k, v, h2.Snapshots[k])
		}
	}
	// Another machine (an empty cache) sees the same state and skips too.
	other := s.mustRun("other")
	if other.Committed {
		t.Fatal("a run from another machine re-ingested unchanged files")
	}
	// A dry run writes nothing to the object store.
	hOther := s.settled()
	opsV2(t, s.jobDir)
	if r := opsRun(t, s.env("m"), "run", "--config", s.job, "--warehouse", s.loc, "--quiet", "--dry-run"); r.code != 0 {
		t.Fatalf("dry run: %d %s", r.code, r.stderr)
	}
	if h := s.settled(); h.PublishID != hOther.PublishID {
		t.Fatalf("a dry run published %s", h.PublishID)
	}
	s.mustRun("m")
	h3 := s.settled()
	st, err := lake.Status(context.Background(), s.s3env(), s.loc)
	if err != nil {
		t.Fatal(err)
	}
	gone := 0
	for rel, f := range h2.Files {
		if nf, ok := h3.Files[rel]; ok && nf.Key == f.Key {
			continue
		}
		gone++
		if objectExists(t, s, f.Key) {
			t.Errorf("object %s of a replaced file is still there", f.Key)
		}
	}
	if gone == 0 || st.Head.PublishID != h3.PublishID {
		t.Fatalf("v2 replaced no file (%d gone)", gone)
	}
	for _, f := range h3.Files { // the probe sees the objects that stay
		if !objectExists(t, s, f.Key) {
			t.Fatalf("object %s named by head.json is missing", f.Key)
		}
	}
	// dtm report reads it as the other read commands do.
	rep := opsRun(t, s.env("m"), "report", "--warehouse", s.loc, "--quiet", "--out", filepath.Join(s.dir, "report.html"))
	if b, err := os.ReadFile(filepath.Join(s.dir, "report.html")); rep.code != 0 || err != nil || !bytes.Contains(b, []byte("<html")) {
		t.Fatalf("dtm report over s3://: exit %d, %v\n%s", rep.code, err, rep.stderr)
	}
	// dtm ingest goes the same way.
	extra := filepath.Join(s.jobDir, "in", "ssd_extra.csv")
	siteCSV(t, extra, "SSD", []int{9}, 3, 0, 21)
	if r := opsRun(t, s.env("m"), "ingest", "--warehouse", s.loc, "--quiet", "--kind", "site_assessment", extra); r.code != 0 {
		t.Fatalf("dtm ingest into s3://: %d %s", r.code, r.stderr)
	}
	if h := s.settled(); len(h.Manifest.Sources) != len(h3.Manifest.Sources)+1 {
		t.Fatalf("dtm ingest: %d sources, want %d", len(h.Manifest.Sources), len(h3.Manifest.Sources)+1)
	}
}

// objectExists asks the S3 server (path-style, unsigned: gofakes3 does
// not check signatures) whether the object key of the location exists.
func objectExists(t *testing.T, s *lakeSite, key string) bool {
	t.Helper()
	resp, err := http.Head(s.url + "/lake/w/" + key)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// TestRunIntoObjectStoreKilled kills `dtm run --warehouse s3://…` with
// SIGKILL at every step of its publish (the same fixture as
// TestKillAnywhere: two inputs replaced, one added), and during the
// recovery that the next run does: readers see the previous complete run
// until head.json is written, the next run converges to the rows of an
// uninterrupted run, and the Iceberg tables hold exactly the rows of
// dtm's views.
func TestRunIntoObjectStoreKilled(t *testing.T) {
	skipShort(t, "crash-point kill test")
	fx := newLakeFixture(t)
	t.Logf("%d publish steps: %v", len(fx.points), fx.points)
	if len(fx.points) < 8 {
		t.Fatalf("only %d publish steps: %v", len(fx.points), fx.points)
	}
	type kill struct{ at, recovery string }
	var cases []kill
	for _, p := range fx.points {
		cases = append(cases, kill{at: p})
	}
	cases = append(cases,
		kill{"lake:committed:site_assessment", "lake:recover:fenced"},
		kill{"lake:committed:site_assessment", "lake:recover:rolled-back:site_assessment"},
		kill{"lake:committed:rejects_failed", "lake:recover:finished"},
	)
	for _, c := range cases {
		name := strings.ReplaceAll(strings.TrimPrefix(c.at, "lake:"), ":", "_")
		if c.recovery != "" {
			name += "+" + strings.ReplaceAll(strings.TrimPrefix(c.recovery, "lake:"), ":", "_")
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newLakeSite(t)
			s.mustRun("m")
			opsV2(t, s.jobDir)
			r := s.run("m", "DTM_CRASH_AT="+c.at)
			if !r.killed {
				t.Fatalf("dtm was not killed at %s (exit %d)\n%s", c.at, r.code, r.stderr)
			}
			want := fx.v1
			for i, p := range fx.points {
				if p == c.at && i >= fx.headAt {
					want = fx.v2
				}
			}
			if d := sameRows(s.rows(), want); d != "" {
				t.Fatalf("after a kill at %s readers see neither the previous complete run: %s", c.at, d)
			}
			if c.recovery != "" {
				// A recovery that rolls back leaves readers where they
				// were; one that finishes the interrupted publish (every
				// table held its files) makes it the complete run.
				want := s.rows()
				if c.recovery == "lake:recover:finished" {
					want = fx.v2
				}
				if r := s.run("m", "DTM_CRASH_AT="+c.recovery); !r.killed {
					t.Fatalf("the recovering run was not killed at %s (exit %d)\n%s", c.recovery, r.code, r.stderr)
				}
				if d := sameRows(s.rows(), want); d != "" {
					t.Fatalf("after a kill during recovery (%s) readers see: %s", c.recovery, d)
				}
			}
			s.mustRun("m")
			if d := sameRows(s.rows(), fx.v2); d != "" {
				t.Fatalf("the run after the kill did not converge: %s", d)
			}
			h := s.settled()
			again := s.mustRun("m")
			if again.Committed {
				t.Fatal("the run after convergence committed again")
			}
			for k, v := range s.settled().Snapshots {
				if h.Snapshots[k] != v {
					t.Errorf("the run after convergence moved table %s", k)
				}
			}
		})
	}
}

// TestRunsIntoObjectStoreRace: two runs from two machines into the same
// s3:// warehouse cannot both commit. (a) A stops just before its
// catalog commit, B runs and publishes: A's commit is refused by the
// catalog's compare-and-swap and A exits 4 having left nothing. (b) A
// stops after committing its first table, B runs: B finds the table
// moved and exits 4, A then completes. Either way the loser's next run
// succeeds, and the tables equal dtm's views.
func TestRunsIntoObjectStoreRace(t *testing.T) {
	skipShort(t, "concurrent-run test")
	for _, c := range []struct {
		name, pauseAt string
		aWins         bool
		why           string // in the loser's message
	}{
		{"catalog_refuses_the_later_commit", "lake:committing:site_assessment", false, "the catalog refused the commit of table site_assessment"},
		{"table_moved_under_the_second", "lake:committed:site_assessment", true, "table site_assessment is at snapshot"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newLakeSite(t)
			s.mustRun("a")
			opsV2(t, s.jobDir)
			a := exec.Command(opsBin, "run", "--config", s.job, "--warehouse", s.loc, "--quiet", "--json")
			a.Env = append(opsEnv(), s.env("a", "DTM_CRASH_AT="+c.pauseAt, "DTM_CRASH_SIGNAL=STOP")...)
			var outA, errA bytes.Buffer
			a.Stdout, a.Stderr = &outA, &errA
			if err := a.Start(); err != nil {
				t.Fatal(err)
			}
			defer a.Process.Kill()
			waitStopped(t, a.Process.Pid)

			b := s.run("b")
			a.Process.Signal(syscall.SIGCONT)
			ra := opsOutcome(t, a, a.Wait(), &outA, &errA)
			winner, loser := b, ra
			if c.aWins {
				winner, loser = ra, b
			}
			if winner.code != 0 {
				t.Fatalf("the winner exited %d\n%s", winner.code, winner.stderr)
			}
			if loser.code != pipeline.ExitConflict || !strings.Contains(loser.stderr, "another dtm publish to this location committed first") ||
				!strings.Contains(loser.stderr, c.why) {
				t.Fatalf("the loser exited %d, want %d with a clear message:\n%s", loser.code, pipeline.ExitConflict, loser.stderr)
			}
			var wres, lres pipeline.RunResult
			if err := json.Unmarshal([]byte(winner.stdout), &wres); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(loser.stdout), &lres); err != nil {
				t.Fatal(err)
			}
			if lres.Status != pipeline.RunConflict || lres.PublishID != "" {
				t.Fatalf("loser's results: status %q, publish %q", lres.Status, lres.PublishID)
			}
			h := s.settled()
			if h.PublishID != wres.PublishID {
				t.Fatalf("head.json names publish %s, the winner's is %s", h.PublishID, wres.PublishID)
			}
			// The loser runs again: it starts from the winner's state.
			s.mustRun(map[bool]string{true: "b", false: "a"}[c.aWins])
			s.settled()
		})
	}
}
