package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// --column maps or ignores a column on validate and inspect, and a job
// source gives its kind, country and overrides.
func TestColumnOverridesAndJobSource(t *testing.T) {
	dir := t.TempDir()
	f := writeFile(t, dir, "sites.csv", "Country Code,State,Site Name,Nb IDP (final),Nb IDP (draft)\nAAA,North,Alpha,10,9\nAAA,South,Bravo,20,19\n")
	// Without overrides, neither count column is read: the file fails
	// (exit 1: nothing of the run would be committed).
	out, _, code := runCLI(t, "validate", "--kind", "site_assessment", f)
	if code != 1 || !strings.Contains(out, "no column maps to the headline count") || !strings.Contains(out, "Nb IDP (final)") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	out, _, code = runCLI(t, "validate", "--kind", "site_assessment", "--column", "Nb IDP (final)=idp_individuals", "--column", "Nb IDP (draft)=", f)
	if code != 0 || !strings.Contains(out, "valid — 2 rows, 2 would be written") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	out, _, code = runCLI(t, "inspect", "--kind", "site_assessment", "--column", "Nb IDP (final)=idp_individuals", f)
	if code != 0 || !strings.Contains(out, "idp_individuals  override") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	job := writeFile(t, dir, "job.yaml", "sources:\n  - name: aaa-sites\n    kind: site_assessment\n    country: AAA\n    paths: [\"sites.csv\"]\n    columns: {\"Nb IDP (final)\": idp_individuals}\n")
	out, _, code = runCLI(t, "validate", "--config", job, "--source", "aaa-sites")
	if code != 0 || !strings.Contains(out, "sites.csv: valid") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if _, _, code := runCLI(t, "validate", "--config", job, "--source", "nope", f); code != 2 {
		t.Fatalf("unknown source: exit %d", code)
	}
	if _, _, code := runCLI(t, "validate", "--kind", "site_assessment", "--column", "no equals", f); code != 2 {
		t.Fatalf("bad --column: exit %d", code)
	}
}

// Hints fit: a missing required field other than the country names the
// field and the override, not --country (which was given).
func TestRequiredHintsFit(t *testing.T) {
	f := writeFile(t, t.TempDir(), "series.csv", "Label,IDPs\nJune,300\nJuly,290\n")
	out, _, code := runCLI(t, "validate", "--kind", "displacement_admin", "--country", "AAA", f)
	if code != 3 || !strings.Contains(out, "required value reporting_date: no column of the file maps to it; name its column with --column") || strings.Contains(out, "pass --country") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}
