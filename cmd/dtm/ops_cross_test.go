package main

// Binary-spawning test of cross-source duplicates: the same site-round in
// two files is a warning naming both in the run results, the terminal
// summary and validate; with replaces: round, figures count it once.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/pipeline"
)

func TestCrossSourceDuplicateWarning(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	head := "Country Code,State Pcode,Site ID,Site Name,Round,Reporting Date,Total IDP (Individuals)\n"
	writeFile(t, in, "ssd_r5.csv", head+"SSD,SS01,SS-0001,Alpha,5,2025-05-01,100\nSSD,SS01,SS-0002,Bravo,5,2025-05-01,200\n")
	// An update of round 5 sent later: Bravo again (newer), and Charlie.
	writeFile(t, in, "ssd_r5_update.csv", head+"SSD,SS01,SS-0002,Bravo,5,2025-05-20,250\nSSD,SS01,SS-0003,Charlie,5,2025-05-20,300\n")
	job := func(replaces string) string {
		body := "warehouse: wh\nsources:\n  - name: ssd\n    kind: site_assessment\n    paths: [\"in/ssd_r5.csv\"]\n" +
			"  - name: ssd-updates\n    kind: site_assessment\n    paths: [\"in/ssd_r5_update.csv\"]\n" + replaces
		return writeFile(t, dir, "job.yaml", body)
	}
	j := job("")
	wh := filepath.Join(dir, "wh")

	// validate names both files.
	v := opsRun(t, nil, "validate", "--kind", "site_assessment", filepath.Join(in, "ssd_r5.csv"), filepath.Join(in, "ssd_r5_update.csv"))
	if v.code != 0 || !strings.Contains(v.stdout, "cross-source-duplicate: 1") || !strings.Contains(v.stdout, "valid with 1 warning") ||
		!strings.Contains(v.stdout, "are also in "+filepath.Join(in, "ssd_r5_update.csv")) || !strings.Contains(v.stdout, "site SS-0002, round 5") {
		t.Errorf("validate: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}

	// The run: summary and run results.
	r := opsRun(t, nil, "run", "--config", j)
	if r.code != 0 || !strings.Contains(r.stdout, "cross-source-duplicate in "+filepath.Join(in, "ssd_r5_update.csv")) ||
		!strings.Contains(r.stdout, "figures count them twice") {
		t.Errorf("run summary: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var res pipeline.RunResult
	for _, d := range readRunDocs(t, wh) {
		res = d
	}
	for _, s := range res.Sources {
		other := "ssd_r5_update.csv"
		if strings.HasSuffix(s.File, "update.csv") {
			other = "ssd_r5.csv"
		}
		if len(s.CrossSource) != 1 || !strings.HasSuffix(s.CrossSource[0].OtherFile, other) || s.CrossSource[0].SiteRounds != 1 ||
			s.WarningCodes[pipeline.CodeCrossSourceDuplicate] != 1 {
			b, _ := json.Marshal(s)
			t.Errorf("run results of %s: %s", s.File, b)
		}
	}
	idps := func() string {
		t.Helper()
		q := opsRun(t, nil, "--warehouse", wh, "figures", "idps", "--round", "5", "--format", "csv")
		if q.code != 0 {
			t.Fatalf("figures: exit %d %s", q.code, q.stderr)
		}
		rows := readCSV(t, q.stdout)
		return rows[1][col(t, rows[0], "sites")] + " sites, " + rows[1][col(t, rows[0], "idp_individuals")]
	}
	if got := idps(); got != "4 sites, 850" {
		t.Errorf("without replaces, figures count Bravo twice: %s, want 4 sites, 850", got)
	}

	// replaces: round on the updates: Bravo counted once, from the newer file.
	j = job("    replaces: round\n")
	r = opsRun(t, nil, "run", "--config", j, "--quiet")
	if r.code != 0 || r.stdout != "" {
		t.Errorf("run with replaces: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := idps(); got != "3 sites, 650" {
		t.Errorf("with replaces: round: %s, want 3 sites, 650 (100 + 250 + 300)", got)
	}
	// A bad value is refused with its line.
	j = job("    replaces: everything\n")
	if r := opsRun(t, nil, "run", "--config", j); r.code != pipeline.ExitUsage || !strings.Contains(r.stderr, "replaces must be round") {
		t.Errorf("replaces: everything: exit %d %s", r.code, r.stderr)
	}
}
