package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

func sampleInputs(t *testing.T, dir string) []Input {
	t.Helper()
	var ins []Input
	for _, n := range []string{"ssd_site_assessment_r37.csv", "ssd_site_assessment_r38.csv", "tcd_site_assessment_r12_fr.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "sample", "data", n))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, n)
		os.WriteFile(p, b, 0o644)
		in := Input{Path: p, Kind: "site_assessment", Source: "s"}
		if n[:3] == "tcd" {
			in.Country = "TCD"
		}
		ins = append(ins, in)
	}
	// The same content under a second name is a duplicate.
	b, _ := os.ReadFile(ins[0].Path)
	dup := filepath.Join(dir, "copy.csv")
	os.WriteFile(dup, b, 0o644)
	return append(ins, Input{Path: dup, Kind: "site_assessment", Source: "s"})
}

// comparable strips what differs between runs (times, run ids, durations).
func comparable(res *RunResult) []SourceResult {
	out := append([]SourceResult(nil), res.Sources...)
	for i := range out {
		out[i].DurationMS = 0
	}
	return out
}

func TestRunConcurrencyIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	ins := sampleInputs(t, dir)
	var first []SourceResult
	for _, threads := range []int{1, 4} {
		wh := filepath.Join(t.TempDir(), "wh")
		cfg := Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r1", Concurrency: threads, MaxRejectRatio: 0.5}
		res, err := Run(context.Background(), cfg, ins)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != RunOK || !res.Committed || res.Concurrency != threads {
			t.Fatalf("threads %d: %s committed=%v", threads, res.Status, res.Committed)
		}
		got := comparable(res)
		if got[3].Status != StatusDuplicate {
			t.Errorf("copy: %s, want duplicate", got[3].Status)
		}
		for _, s := range got {
			if s.RowsIn != s.RowsWritten+s.RowsRejected {
				t.Errorf("%s: %d != %d + %d", s.File, s.RowsIn, s.RowsWritten, s.RowsRejected)
			}
		}
		if first == nil {
			first = got
		} else if !reflect.DeepEqual(first, got) {
			a, _ := json.Marshal(first)
			b, _ := json.Marshal(got)
			t.Errorf("results differ by concurrency:\n%s\n%s", a, b)
		}
		// A second run finds everything unchanged and commits nothing.
		cfg.RunID = "r2"
		m1, _ := sinks.ReadManifest(wh)
		res2, err := Run(context.Background(), cfg, ins)
		if err != nil {
			t.Fatal(err)
		}
		m2, _ := sinks.ReadManifest(wh)
		if res2.Committed || m2.Generation != m1.Generation || res2.RowsSkipped != res.RowsIn {
			t.Errorf("re-run: committed=%v gen %d->%d skipped %d (rows_in %d)", res2.Committed, m1.Generation, m2.Generation, res2.RowsSkipped, res.RowsIn)
		}
	}
}

func TestRunInterrupted(t *testing.T) {
	dir := t.TempDir()
	ins := sampleInputs(t, dir)
	wh := filepath.Join(t.TempDir(), "wh")
	ctx, cancel := context.WithCancel(context.Background())
	cfg := Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r1", Hook: func(p string) {
		if p == "input:done:0" {
			cancel()
		}
	}}
	res, err := Run(ctx, cfg, ins)
	if err == nil || res.ExitCode != ExitInterrupted || res.Status != RunInterrupted {
		t.Fatalf("err %v, exit %d, status %s", err, res.ExitCode, res.Status)
	}
	if m, _ := sinks.ReadManifest(wh); len(m.Sources) != 0 {
		t.Error("an interrupted run committed")
	}
	var doc RunResult
	b, err := os.ReadFile(filepath.Join(wh, "_dtm", "runs", "r1.json"))
	if err != nil || json.Unmarshal(b, &doc) != nil || doc.Status != RunInterrupted {
		t.Fatalf("run document: %v %s", err, b)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	dir := t.TempDir()
	ins := sampleInputs(t, dir)
	wh := filepath.Join(t.TempDir(), "wh")
	res, err := Run(context.Background(), Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r1", DryRun: true}, ins)
	if err != nil || res.Status != RunDryRun {
		t.Fatalf("%v %s", err, res.Status)
	}
	if _, err := os.Stat(wh); !os.IsNotExist(err) {
		t.Fatalf("dry run created %s", wh)
	}
	if res.Sources[0].Status != StatusDryRun || res.Sources[0].RowsIn == 0 {
		t.Errorf("%+v", res.Sources[0])
	}
}

func TestRunResultFieldsDocumented(t *testing.T) {
	fields := RunResultFields()
	seen := map[string]bool{}
	for _, f := range fields {
		if f.Description == "" || f.Type == "" {
			t.Errorf("%s undocumented", f.Path)
		}
		seen[f.Path] = true
	}
	for _, p := range []string{"run_id", "started_at", "ended_at", "dtm_version", "sources[].hash", "sources[].rows_in",
		"sources[].rows_written", "sources[].rows_rejected", "sources[].rows_skipped", "sources[].status", "sources[].errors", "by_source[].files"} {
		if !seen[p] {
			t.Errorf("%s missing from RunResultFields", p)
		}
	}
}
