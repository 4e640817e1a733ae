package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestJobMinCellApplies runs the built binary: the privacy.min_cell of a
// job file given with --config is the small-cell threshold of the
// survey-derived figure in `export`, `figures` and `report` (instead of
// the default 5); --min-cell wins over it; and the job's warehouse is the
// one read when neither --warehouse nor DTM_WAREHOUSE names one.
func TestJobMinCellApplies(t *testing.T) {
	dir := t.TempDir()
	wh := filepath.Join(dir, "wh")
	survey, err := filepath.Abs(filepath.Join("..", "..", "testdata", "flow", "fms_kobo_en.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if r := opsRun(t, nil, "--warehouse", wh, "--quiet", "ingest", "--kind", "flow_survey", survey); r.code != 0 {
		t.Fatalf("ingest exit %d: %s", r.code, r.stderr)
	}
	job := func(minCell int) string {
		p := filepath.Join(dir, "job"+strconv.Itoa(minCell)+".yaml")
		body := "warehouse: ./wh\nprivacy:\n  min_cell: " + strconv.Itoa(minCell) + "\nsources:\n  - name: fms\n    kind: flow_survey\n    paths: [" + survey + "]\n"
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	one, thousand := job(1), job(1000)
	// counts returns the published and the suppressed respondent counts.
	counts := func(args ...string) (published, suppressed int) {
		t.Helper()
		r := opsRun(t, nil, append(args, "--quiet", "--format", "csv")...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		recs := readCSV(t, r.stdout)
		ci := col(t, recs[0], "respondents")
		for _, rec := range recs[1:] {
			if rec[ci] == "" {
				suppressed++
			} else {
				published++
			}
		}
		return published, suppressed
	}
	for _, verb := range []string{"export", "figures"} {
		defPub, defSup := counts("--warehouse", wh, verb, "survey-profile")
		if defSup == 0 || defPub == 0 {
			t.Fatalf("%s with the default threshold: %d published, %d suppressed; the fixture needs both", verb, defPub, defSup)
		}
		// The job's warehouse (./wh beside the job file) and its min_cell.
		if pub, sup := counts(verb, "survey-profile", "--config", one); sup != 0 || pub != defPub+defSup {
			t.Errorf("%s, job min_cell 1: %d published, %d suppressed; want all %d published", verb, pub, sup, defPub+defSup)
		}
		if pub, sup := counts(verb, "survey-profile", "--config", thousand); sup <= defSup {
			t.Errorf("%s, job min_cell 1000: %d published, %d suppressed; want more suppressed than the default's %d", verb, pub, sup, defSup)
		}
		// --min-cell wins over the job.
		if pub, sup := counts(verb, "survey-profile", "--config", one, "--min-cell", "5"); pub != defPub || sup != defSup {
			t.Errorf("%s, --min-cell 5 over job min_cell 1: %d/%d, want the default's %d/%d", verb, pub, sup, defPub, defSup)
		}
	}
	// DTM_WAREHOUSE wins over the job's warehouse, --warehouse over both.
	elsewhere := []string{"DTM_WAREHOUSE=" + filepath.Join(dir, "elsewhere")}
	if r := opsRun(t, elsewhere, "export", "survey-profile", "--config", one, "--quiet"); r.code != 1 || !strings.Contains(r.stderr, "no dtm warehouse at "+filepath.Join(dir, "elsewhere")) {
		t.Errorf("DTM_WAREHOUSE over the job: exit %d, %s", r.code, r.stderr)
	}
	if r := opsRun(t, elsewhere, "export", "survey-profile", "--config", one, "--warehouse", wh, "--quiet"); r.code != 0 {
		t.Errorf("--warehouse over DTM_WAREHOUSE: exit %d, %s", r.code, r.stderr)
	}
	// The report says the threshold it applied.
	out := filepath.Join(dir, "report.html")
	if r := opsRun(t, nil, "report", "--config", thousand, "--quiet", "--out", out); r.code != 0 {
		t.Fatalf("report exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), "counts below 1000") {
		t.Errorf("the report does not apply the job's min_cell 1000")
	}
	// A job's min_cell below 1 is refused with its line.
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("privacy:\n  min_cell: -3\nsources:\n  - {name: a, kind: flow_survey, paths: [x.csv]}\n"), 0o644)
	if r := opsRun(t, nil, "export", "survey-profile", "--config", bad); r.code != 2 || !strings.Contains(r.stderr, "line 2") || !strings.Contains(r.stderr, "min_cell") {
		t.Errorf("bad min_cell: exit %d, %s", r.code, r.stderr)
	}
}
