package main

// Binary-spawning tests of the read commands' guarantees: a path that is
// not a warehouse is refused, exports replace files only once complete,
// and the files dtm writes for people are created 0644 (umask 022).

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadersRefuseNoWarehouse: query, figures and export on a path with
// no warehouse exit 1 naming it, and an export there leaves the existing
// output file untouched.
func TestReadersRefuseNoWarehouse(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "warehuose")
	out := filepath.Join(dir, "idps.csv")
	good := "country_iso3,idp_individuals\nSSD,1234\n"
	if err := os.WriteFile(out, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"query", "SELECT 1"},
		{"figures", "idps"},
		{"export", "idps", "--format", "csv", "--out", out},
		{"export", "site_assessment", "--format", "parquet", "--out", filepath.Join(dir, "sites.parquet")},
	} {
		r := opsRun(t, nil, append([]string{"--warehouse", typo}, args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, "no dtm warehouse at "+typo) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and \"no dtm warehouse at %s\"", args, r.code, r.stderr, typo)
		}
	}
	if b, _ := os.ReadFile(out); string(b) != good {
		t.Errorf("the existing export was changed: %q", b)
	}
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Errorf("a read command created %s", typo)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// TestSharedFileModes: under umask 022, the manifest, run records and
// exports (CSV, JSON, Parquet of a figure and of a dataset) are 0644 like
// the data files.
func TestSharedFileModes(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	job := opsJob(t, dir, "")
	opsV1(t, dir)
	wh := filepath.Join(dir, "wh")
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 0 {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	var check []string
	check = append(check, filepath.Join(wh, "_dtm", "manifest.json"))
	runs, _ := filepath.Glob(filepath.Join(wh, "_dtm", "runs", "*.json"))
	parts, _ := filepath.Glob(filepath.Join(wh, "site_assessment", "*", "*", "*.parquet"))
	if len(runs) == 0 || len(parts) == 0 {
		t.Fatalf("no run record (%v) or data file (%v)", runs, parts)
	}
	check = append(check, runs[0], parts[0])
	for _, e := range []struct{ name, format, file string }{
		{"idps", "csv", "idps.csv"}, {"idps", "json", "idps.json"}, {"idps", "parquet", "idps.parquet"},
		{"site_assessment", "parquet", "sites.parquet"}, {"site_assessment", "geojson", "sites.geojson"},
	} {
		out := filepath.Join(dir, e.file)
		if r := opsRun(t, nil, "--warehouse", wh, "export", e.name, "--format", e.format, "--out", out); r.code != 0 {
			t.Fatalf("export %s %s: exit %d\n%s", e.name, e.format, r.code, r.stderr)
		}
		check = append(check, out)
	}
	q := filepath.Join(dir, "q.csv")
	if r := opsRun(t, nil, "--warehouse", wh, "query", "--format", "csv", "--out", q, "SELECT 1 AS one"); r.code != 0 {
		t.Fatalf("query --out: exit %d\n%s", r.code, r.stderr)
	}
	check = append(check, q)
	for _, p := range check {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", p, st.Mode().Perm())
		}
	}
}

// TestWarehouseLsCheck: ls lists the committed sources and the failed
// ones; check is clean after a run and names a missing and an orphan file.
func TestWarehouseLsCheck(t *testing.T) {
	dir := t.TempDir()
	job := opsJob(t, dir, "")
	opsV1(t, dir)
	siteCSV(t, filepath.Join(dir, "in", "tcd_c.csv"), "TCD", []int{5}, 6, 4, 2)
	wh := filepath.Join(dir, "wh")
	if r := opsRun(t, nil, "run", "--config", job, "--quiet"); r.code != 3 {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	ls := opsRun(t, nil, "--warehouse", wh, "warehouse", "ls")
	if ls.code != 0 || strings.Count(ls.stdout, "  committed\n") != 2 || !strings.Contains(ls.stdout, "failed (rejects only)") ||
		!strings.Contains(ls.stdout, "ssd_a.csv") || !strings.Contains(ls.stdout, "generation 1") {
		t.Errorf("warehouse ls: exit %d\n%s%s", ls.code, ls.stdout, ls.stderr)
	}
	if r := opsRun(t, nil, "--warehouse", wh, "warehouse", "check"); r.code != 0 || !strings.Contains(r.stdout, "consistent") {
		t.Errorf("check after a run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	parts, _ := filepath.Glob(filepath.Join(wh, "site_assessment", "*", "*", "*.parquet"))
	if len(parts) == 0 {
		t.Fatal("no part files")
	}
	if err := os.Rename(parts[0], filepath.Join(filepath.Dir(parts[0]), "part-orphan-x.parquet")); err != nil {
		t.Fatal(err)
	}
	r := opsRun(t, nil, "--warehouse", wh, "warehouse", "check")
	if r.code != 1 || !strings.Contains(r.stdout, "missing-file") || !strings.Contains(r.stdout, "orphan-file") {
		t.Errorf("check after damage: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := opsRun(t, nil, "--warehouse", filepath.Join(dir, "nope"), "warehouse", "ls"); r.code != 1 || !strings.Contains(r.stderr, "no dtm warehouse at") {
		t.Errorf("ls of no warehouse: exit %d %s", r.code, r.stderr)
	}
}
