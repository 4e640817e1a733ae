package main

// Binary-spawning tests of strict jobs and flags: a typo in a job or a flag
// is a usage error (exit 2) that says what is wrong, a job path matching no
// file is a failed source (exit 3), and ingest and validate exit alike on a
// missing file.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/pipeline"
)

func TestStrictJobColumnsAndCountry(t *testing.T) {
	dir := t.TempDir()
	opsV1(t, dir)
	siteCSV(t, filepath.Join(dir, "in", "extra.csv"), "SSD", []int{9}, 4, 0, 3)
	cases := []struct{ name, extra, want string }{
		{"unknown field", `    columns: {"Total IDP (Individuals)": idp_individual}` + "\n",
			`line 16: source "extra": columns: "Total IDP (Individuals)" maps to "idp_individual", which is not a field of site_assessment (closest: idp_individuals`},
		{"provenance field", `    columns: {"Site ID": source_row}` + "\n", `maps to "source_row", which is not a field`},
		{"unknown country", "    country: Narnia\n", `line 16: source "extra": country: unknown country "Narnia"`},
	}
	for _, c := range cases {
		job := opsJob(t, dir, "  - name: extra\n    kind: site_assessment\n    paths: [\"in/ssd_a.csv\"]\n"+c.extra)
		r := opsRun(t, nil, "run", "--config", job)
		if r.code != pipeline.ExitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d, stderr:\n%s\nwant 2 and %q", c.name, r.code, r.stderr, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "wh")); !os.IsNotExist(err) {
		t.Errorf("a refused job touched the warehouse: %v", err)
	}
	// A country name resolves to its code; an override naming a header the
	// file lacks is a warning on that input.
	job := opsJob(t, dir, "  - name: extra\n    kind: site_assessment\n    paths: [\"in/extra.csv\"]\n    country: Soudan du Sud\n"+
		"    columns: {\"Nb PDI\": idp_individuals}\n")
	r := opsRun(t, nil, "run", "--config", job, "--json", "--quiet")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var res pipeline.RunResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range res.Sources {
		if s.Source == "extra" {
			found = true
			if s.WarningCodes["unused-override"] != 1 || s.RejectCodes["unused-override"] != 0 || s.Warnings < 1 {
				t.Errorf("extra: warning codes %v, reject codes %v, %d warnings; want one unused-override warning, counted", s.WarningCodes, s.RejectCodes, s.Warnings)
			}
		}
	}
	if !found {
		t.Error("no input of source extra in the run results")
	}
}

func TestStrictFlags(t *testing.T) {
	dir := t.TempDir()
	opsV1(t, dir)
	csv := filepath.Join(dir, "in", "ssd_a.csv")
	wh := filepath.Join(dir, "wh")
	if r := opsRun(t, nil, "--warehouse", wh, "ingest", "--kind", "site_assessment", "--country", "south sudan", "--quiet", csv); r.code != 0 {
		t.Fatalf("ingest with a country name: exit %d\n%s", r.code, r.stderr)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"ingest", "--kind", "site_assessment", "--country", "Narnia", csv}, `unknown country "Narnia"`},
		{[]string{"ingest", "--kind", "site_assessment", "--country", "SDD", csv}, `unknown country "SDD"`},
		{[]string{"validate", "--kind", "site_assessment", "--country", "SUD", csv}, `unknown country "SUD"`},
		{[]string{"ingest", "--kind", "site_assessment", "--max-reject-ratio", "1.5", csv}, "--max-reject-ratio must be between 0 and 1"},
		{[]string{"validate", "--kind", "site_assessment", "--max-reject-ratio", "-0.1", csv}, "--max-reject-ratio must be between 0 and 1"},
		{[]string{"figures", "idps", "--admin-level", "7"}, "admin_level must be between 1 and 3"},
		{[]string{"figures", "hapi-idps", "--admin-level", "3"}, "admin_level must be between 0 and 2"},
		{[]string{"figures", "idps", "--country", "Atlantis"}, `unknown country "Atlantis"`},
		{[]string{"export", "idps", "--admin-level", "0", "--out", filepath.Join(dir, "x.csv")}, "admin_level must be between 1 and 3"},
	}
	for _, c := range cases {
		r := opsRun(t, nil, append([]string{"--warehouse", wh}, c.args...)...)
		if r.code != pipeline.ExitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
	// A country name in a figure filter gives the same rows as the code.
	byName := opsRun(t, nil, "--warehouse", wh, "figures", "idps", "--country", "South Sudan", "--format", "csv")
	byCode := opsRun(t, nil, "--warehouse", wh, "figures", "idps", "--country", "SSD", "--format", "csv")
	if byName.code != 0 || byName.stdout != byCode.stdout || !strings.Contains(byCode.stdout, "SSD") {
		t.Errorf("--country \"South Sudan\" (exit %d):\n%s\n--country SSD:\n%s", byName.code, byName.stdout, byCode.stdout)
	}
	// `dtm figures` with no name lists them, like `dtm figures list`.
	none, list := opsRun(t, nil, "figures"), opsRun(t, nil, "figures", "list")
	if none.code != 0 || none.stdout != list.stdout || !strings.Contains(none.stdout, "idps (site_assessment)") {
		t.Errorf("dtm figures: exit %d\n%s", none.code, none.stdout)
	}
}

// TestUnmatchedPathAndMissingFile: a job pattern that matches no file is a
// failed source in the run results (exit 3, the other sources committed);
// ingest and validate exit alike on a missing file.
func TestUnmatchedPathAndMissingFile(t *testing.T) {
	dir := t.TempDir()
	opsV1(t, dir)
	job := opsJob(t, dir, "  - name: nga\n    kind: site_assessment\n    paths: [\"in/nga_*.csv\"]\n    prune: true\n")
	r := opsRun(t, nil, "run", "--config", job, "--json", "--quiet")
	if r.code != pipeline.ExitPartial {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
	}
	var res pipeline.RunResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	var nga []pipeline.SourceResult
	for _, s := range res.Sources {
		if s.Source == "nga" {
			nga = append(nga, s)
		}
	}
	if res.Status != pipeline.RunPartial || !res.Committed || len(nga) != 1 || nga[0].Status != pipeline.StatusFailed ||
		len(nga[0].Errors) != 1 || !strings.Contains(nga[0].Errors[0], `no file matches "in/nga_*.csv"`) {
		t.Errorf("status %s committed %v, nga inputs %+v", res.Status, res.Committed, nga)
	}

	missing := filepath.Join(dir, "in", "no_such.csv")
	wh := filepath.Join(dir, "wh2")
	in := opsRun(t, nil, "--warehouse", wh, "ingest", "--kind", "site_assessment", "--quiet", missing)
	va := opsRun(t, nil, "--warehouse", wh, "validate", "--kind", "site_assessment", missing)
	if in.code != pipeline.ExitFailure || va.code != in.code {
		t.Errorf("missing file: ingest exit %d, validate exit %d; want both %d", in.code, va.code, pipeline.ExitFailure)
	}
	both := []string{missing, filepath.Join(dir, "in", "ssd_a.csv")}
	in = opsRun(t, nil, append([]string{"--warehouse", wh, "ingest", "--kind", "site_assessment", "--quiet"}, both...)...)
	va = opsRun(t, nil, append([]string{"--warehouse", wh, "validate", "--kind", "site_assessment"}, both...)...)
	if in.code != pipeline.ExitPartial || va.code != in.code {
		t.Errorf("missing and good file: ingest exit %d, validate exit %d; want both %d", in.code, va.code, pipeline.ExitPartial)
	}
}
