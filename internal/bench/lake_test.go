package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLakeCompareSample runs the bench's local vs object-store comparison
// on the bundled sample with a freshly built dtm: every standard figure
// and the row count must be byte-for-byte the same from both warehouses
// (timings are printed by the bench, not asserted).
func TestLakeCompareSample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the dtm binary; -short skips it")
	}
	bin := filepath.Join(t.TempDir(), "dtm")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/dtm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building dtm: %v\n%s", err, out)
	}
	cfg := config{out: t.TempDir(), dtm: bin}
	ins, err := lakeInputs(cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 1 || ins[0].name != "sample" {
		t.Fatalf("inputs %+v, want the sample only", ins)
	}
	s3, err := startS3()
	if err != nil {
		t.Fatal(err)
	}
	defer s3.stop()
	r := lakeCompare(t.Context(), cfg, s3, ins[0])
	if r.err != "" {
		t.Fatal(r.err)
	}
	if len(r.differ) > 0 || r.figures < 5 || r.rows != "55" {
		t.Fatalf("sample: %d figures, %s site rows, differing: %v", r.figures, r.rows, r.differ)
	}
	for i := range r.figLocal {
		if len(r.figLocal[i].stdout) == 0 {
			t.Fatalf("figure %d printed nothing", i)
		}
	}
	if r.publish.wall <= 0 || r.firstLake.maxRSS <= 0 {
		t.Fatalf("measurements missing: %+v %+v", r.publish, r.firstLake)
	}
	var b strings.Builder
	printLake(&b, []lakeResult{r})
	if !strings.Contains(b.String(), "| sample | 55 |") || !strings.Contains(b.String(), "yes (") {
		t.Fatalf("table:\n%s", b.String())
	}
	t.Log(b.String())
	if _, err := os.Stat(filepath.Join(cfg.out, "lake-sample")); err == nil {
		t.Error("the comparison left its scratch directory")
	}
}

// TestPrintLakeNamesDifferences: a figure whose outputs differ is named in
// the table, and an error replaces the row's figures.
func TestPrintLakeNamesDifferences(t *testing.T) {
	m := measurement{wall: 1500 * time.Millisecond, cpu: 700 * time.Millisecond, maxRSS: 120e6}
	var b strings.Builder
	printLake(&b, []lakeResult{
		{name: "sample", rows: "55", ingest: m, publish: m, firstLocal: m, firstLake: m,
			figLocal: []measurement{m, m}, figLake: []measurement{m, m}, figures: 2, differ: []string{"idps"}},
		{name: "synthetic-1000", err: "dtm ingest: exit status 1: no such file"},
	})
	out := b.String()
	for _, want := range []string{"| sample | 55 | 1.50 s (CPU 0.70) / 120 MB |", "| 3.00 s (CPU 1.40) / 120 MB |", "| NO: idps |", "| synthetic-1000 | error: dtm ingest: exit status 1: no such file |"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
