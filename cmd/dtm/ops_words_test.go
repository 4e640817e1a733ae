package main

// Binary-spawning test of counts and words that agree: warnings are
// counted (file-level ones too) and listed apart from rejects, and a file
// with warnings is never called plainly "valid".

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/pipeline"
)

func TestWarningsAreNotRejects(t *testing.T) {
	dir := t.TempDir()
	// Row 3's count is negative (the cell is emptied with a warning, the
	// row kept); row 4's country is unusable (the row is dropped); the
	// override names a header the file lacks (a file-level warning).
	f := writeFile(t, dir, "ssd_sites_r5.csv", "Country Code,State,Site ID,Site Name,Round,IDP Individuals\n"+
		"SSD,Unity,S1,Alpha,5,10\nSSD,Jonglei,S2,Bravo,5,-5\nC0UNTRY?,Unity,S3,Charlie,5,7\nSSD,Unity,S4,Delta,5,9\n")
	override := []string{"--column", "Remarks="}
	wh := filepath.Join(dir, "wh")

	r := opsRun(t, nil, append([]string{"--warehouse", wh, "ingest", "--kind", "site_assessment", "--json"}, append(override, f)...)...)
	var res pipeline.RunResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || len(res.Sources) != 1 {
		t.Fatalf("ingest --json: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	s := res.Sources[0]
	var sum int64
	for _, n := range s.WarningCodes {
		sum += int64(n)
	}
	if s.Warnings == 0 || s.Warnings != sum || s.WarningCodes["unused-override"] != 1 {
		t.Errorf("warnings %d, warning codes %v: want unused-override counted and warnings = their sum", s.Warnings, s.WarningCodes)
	}
	for c := range s.RejectCodes {
		if s.WarningCodes[c] > 0 && c != "type-error" {
			t.Logf("code %s has both severities", c)
		}
	}
	if _, ok := s.RejectCodes["unused-override"]; ok || s.RowsRejected != 1 || s.RowsWritten != 3 {
		t.Errorf("reject codes %v, rows rejected %d, written %d: want 1 dropped row and no warning among the rejects", s.RejectCodes, s.RowsRejected, s.RowsWritten)
	}

	// The terminal summary: the warnings column and the lines agree.
	wh2 := filepath.Join(dir, "wh2")
	r = opsRun(t, nil, append([]string{"--warehouse", wh2, "ingest", "--kind", "site_assessment"}, append(override, f)...)...)
	var rejLine, warnLine string
	for _, l := range strings.Split(r.stdout, "\n") {
		switch {
		case strings.HasPrefix(l, "  rejects in "):
			rejLine = l
		case strings.HasPrefix(l, "  warnings in "):
			warnLine = l
		}
	}
	if strings.Contains(rejLine, "unused-override") || !strings.Contains(warnLine, "unused-override 1") || rejLine == "" {
		t.Errorf("summary: rejects line %q, warnings line %q\n%s", rejLine, warnLine, r.stdout)
	}
	if !strings.Contains(r.stdout, "  "+itoa(s.Warnings)+"   ") {
		t.Errorf("summary lacks the warnings count %d:\n%s", s.Warnings, r.stdout)
	}

	// validate: "valid with N warnings" when warnings come with no drop.
	g := writeFile(t, dir, "ssd_sites_r6.csv", "Country Code,State,Site ID,Site Name,Round,IDP Individuals\nSSD,Unity,S1,Alpha,6,10\nSSD,Jonglei,S2,Bravo,6,-5\n")
	r = opsRun(t, nil, append([]string{"validate", "--kind", "site_assessment"}, append(override, g)...)...)
	if r.code != 0 || !strings.Contains(r.stdout, "ssd_sites_r6.csv: valid with 2 warnings — 2 rows") || strings.Contains(r.stdout, ": valid —") {
		t.Errorf("validate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
