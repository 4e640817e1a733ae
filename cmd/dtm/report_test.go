package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportCommand: `dtm report` writes one HTML file of the committed
// figures; bad options are usage errors (exit 2) that leave no file.
func TestReportCommand(t *testing.T) {
	wh := exportWarehouse(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "report.html")
	_, errs, code := cli(t, wh, "report", "--country", "SSD", "--out", out)
	if code != 0 {
		t.Fatalf("dtm report: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"<!DOCTYPE html>", "DTM displacement report — SSD", `data-chart="idps-admin1"`, "report generated "} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	stdout, _, code := cli(t, wh, "report", "--out", "-")
	if code != 0 || !strings.HasPrefix(stdout, "<!DOCTYPE html>") {
		t.Errorf("--out -: exit %d, output starts %.40q", code, stdout)
	}
	for _, args := range [][]string{
		{"report", "--country", "South Sudan", "--out", filepath.Join(dir, "bad1.html")},
		{"report", "--round", "-1", "--out", filepath.Join(dir, "bad2.html")},
		{"report", "--min-cell", "0", "--out", filepath.Join(dir, "bad3.html")},
		{"report", "extra-arg"},
	} {
		if _, errs, code := cli(t, wh, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errs)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 1 {
		t.Errorf("files left after failed reports: %v", left)
	}
}
