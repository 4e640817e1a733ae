package main

// Binary-spawning test of exports that did not change: the same warehouse
// exported twice, and again after a run that changed nothing, gives the
// same bytes (figures are ordered by every key).

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestUnchangedExportIsByteIdentical(t *testing.T) {
	dir := t.TempDir()
	opsV1(t, dir)
	job := opsJob(t, dir, "")
	wh := filepath.Join(dir, "wh")
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	exports := []struct{ name, format string }{
		{"idps", "csv"}, {"idps", "json"}, {"idp-trend", "hxl"}, {"sites", "csv"}, {"sadd", "csv"},
		{"reasons", "csv"}, {"origins", "csv"}, {"idps", "parquet"}, {"site_assessment", "csv"},
	}
	export := func(round int) map[string][]byte {
		t.Helper()
		out := map[string][]byte{}
		for _, e := range exports {
			p := filepath.Join(dir, fmt.Sprintf("%s-%d.%s", e.name, round, e.format))
			args := []string{"--warehouse", wh, "export", e.name, "--format", e.format, "--out", p}
			if e.name == "idps" || e.name == "origins" {
				args = append(args, "--admin-level", "2")
			}
			if r := opsRun(t, nil, args...); r.code != 0 {
				t.Fatalf("export %s %s: exit %d\n%s", e.name, e.format, r.code, r.stderr)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) == 0 {
				t.Fatalf("export %s %s is empty", e.name, e.format)
			}
			out[e.name+"."+e.format] = b
		}
		return out
	}
	first := export(1)
	second := export(2)
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatalf("second run: exit %d\n%s", r.code, r.stderr)
	}
	third := export(3)
	for k, b := range first {
		if !bytes.Equal(b, second[k]) {
			t.Errorf("%s: two exports of the same warehouse differ", k)
		}
		if !bytes.Equal(b, third[k]) {
			t.Errorf("%s: the export after a run that changed nothing differs", k)
		}
	}
}
