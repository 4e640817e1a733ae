package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/testutil"
)

func validateJSON(t *testing.T, wantCode int, args ...string) Report {
	t.Helper()
	out, code := dtmCLI(t, append([]string{"validate", "--format", "json", "--kind", "site_assessment"}, args...)...)
	if code != wantCode {
		t.Fatalf("validate %v: exit %d, want %d\n%s", args, code, wantCode, out)
	}
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("validate %v: %v\n%s", args, err, out)
	}
	return rep
}

func TestValidateGazetteer(t *testing.T) {
	rep := validateJSON(t, 0, "--gazetteer", siteFixture("gazetteer_tcd.csv"), siteFixture("d08_pseudo_pcodes.csv"))
	if !rep.Valid || len(rep.Files) != 1 {
		t.Fatalf("report %+v", rep)
	}
	f := rep.Files[0]
	want := map[string]int{"pseudo-pcode": 2, "unknown-pcode": 2, "pcode-shape": 1, "pcode-hierarchy": 1, "pcode-name": 1}
	for c, n := range want {
		if f.Codes[c] != n {
			t.Errorf("%s: %d, want %d (%v)", c, f.Codes[c], n, f.Codes)
		}
	}
	if f.Stats.Rows != 8 || f.Stats.Written != 8 || f.Stats.Warnings != 7 {
		t.Errorf("stats %+v", f.Stats)
	}
	for _, e := range f.Errors {
		if e.File == "" || e.Row < 2 || e.Column != "P-code admin 2 (département)" || e.Value == "" || e.Code == "" {
			t.Errorf("sample does not name file, row, column, value and code: %+v", e)
		}
	}
	// Without a gazetteer, no code is unknown.
	rep = validateJSON(t, 0, siteFixture("d08_pseudo_pcodes.csv"))
	if n := rep.Files[0].Codes["unknown-pcode"]; n != 0 {
		t.Errorf("unknown-pcode without a gazetteer: %d", n)
	}
	if _, code := dtmCLI(t, "validate", "--kind", "site_assessment", "--gazetteer", siteFixture("nope.csv"), siteFixture("d08_pseudo_pcodes.csv")); code != 2 {
		t.Errorf("missing gazetteer: exit %d, want 2", code)
	}
}

func TestValidateSADDText(t *testing.T) {
	for f, iso := range map[string]string{"sadd_chad.csv": "TCD", "sadd_burundi.csv": "BDI", "sadd_sudan.csv": "SDN", "sadd_ukraine.csv": "UKR"} {
		out, code := dtmCLI(t, "validate", "--kind", "site_assessment", "--country", iso, siteFixture(f))
		if code != 0 {
			t.Errorf("%s: exit %d\n%s", f, code, out)
		}
		for _, want := range []string{": valid with 1 warning — 2 rows, 2 would be written, 0 rejected, 1 warnings", "sadd-sum-mismatch: 1", "row 3, column"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", f, want, out)
			}
		}
	}
}

func TestValidateInvalidAndWholeFile(t *testing.T) {
	missing := siteFixture("no_such_file.csv")
	// A file with no country column, no p-codes and no country in its
	// name: every row misses country_iso3, and the hint says --country.
	noCountry := filepath.Join(t.TempDir(), "sites.csv")
	if err := os.WriteFile(noCountry, []byte("State,Site Name,IDP Individuals\nUnity,Alpha,10\nJonglei,Bravo,20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := validateJSON(t, 3, noCountry, missing, siteFixture("d01_title_banner.csv"))
	if rep.Valid || rep.Invalid != 2 || len(rep.Files) != 3 {
		t.Fatalf("report %+v", rep)
	}
	bad, gone, ok := rep.Files[0], rep.Files[1], rep.Files[2]
	if bad.Valid || bad.Codes["missing-cell"] != 2 || bad.Stats.Rejected != 2 || bad.Stats.Written != 0 {
		t.Errorf("no country %+v", bad)
	}
	if len(bad.Errors) == 0 || !strings.Contains(bad.Errors[0].Message, "pass --country") {
		t.Errorf("no country: the hint should say --country: %+v", bad.Errors)
	}
	if gone.Valid || gone.Codes["source-error"] != 1 || len(gone.Errors) != 1 || gone.Errors[0].File != missing || gone.Errors[0].Row != 0 {
		t.Errorf("missing file %+v", gone)
	}
	if !ok.Valid || ok.Stats.Written != 3 {
		t.Errorf("d01 %+v", ok)
	}
	// The Kobo export has no country column: the country is read from its
	// p-codes (NG…) and said in a note.
	rep = validateJSON(t, 0, siteFixture("d07_kobo_export.csv"))
	if !rep.Valid || rep.Files[0].Codes["personal-data"] != 4 || !strings.Contains(strings.Join(rep.Files[0].Notes, "\n"), "country NGA inferred from the p-codes") {
		t.Errorf("report %+v", rep)
	}
	// --country wins, and then nothing is inferred.
	rep = validateJSON(t, 0, "--country", "nga", siteFixture("d07_kobo_export.csv"))
	if !rep.Valid || strings.Contains(strings.Join(rep.Files[0].Notes, "\n"), "inferred") {
		t.Errorf("report %+v", rep)
	}
}

func TestValidateWorkbookNamesTheSheet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "book.xlsx")
	testutil.WriteXLSX(t, path, []testutil.Sheet{
		{Name: "Summary", Rows: [][]any{{"State", "Total IDP (Individuals)"}, {"Unity", "many"}}},
		{Name: "Data", Rows: [][]any{
			{"Country Code", "State", "State Pcode", "Total IDP (Individuals)"},
			{"SSD", "Unity", "SS08", 1050},
			{"SSD", "Unity", "SS08", "lots"},
		}},
	})
	// "lots" is a fault of one cell: a warning, the row kept with that cell
	// empty, the file valid (exit 0).
	rep := validateJSON(t, 0, path)
	f := rep.Files[0]
	if f.Sheet != "Data" || f.Codes["type-error"] != 1 || f.Stats.Written != 2 || !f.Valid {
		t.Fatalf("report %+v", f)
	}
	e := f.Errors[0]
	if e.Sheet != "Data" || e.Row != 3 || e.Column != "Total IDP (Individuals)" || e.Value != "lots" || e.Code != "type-error" || e.Severity != "warning" {
		t.Errorf("sample %+v", e)
	}
	if r := f.Reconciliation; len(r) == 0 || r[0].InFile != 1050 || r[0].Written != 1050 || r[0].UnusableCells != 1 {
		t.Errorf("reconciliation %+v", r)
	}
	out, _ := dtmCLI(t, "validate", "--kind", "site_assessment", "--sheet", "Summary", path)
	if !strings.Contains(out, `[sheet "Summary"]`) || !strings.Contains(out, `sheet "Summary", row 2, column "Total IDP (Individuals)", value "many"`) {
		t.Errorf("text report:\n%s", out)
	}
}

func TestValidateWritesNothing(t *testing.T) {
	wh := filepath.Join(t.TempDir(), "wh")
	var args = []string{"--quiet", "--warehouse", wh, "validate", "--kind", "site_assessment", siteFixture("d05_dates.csv")}
	a := newApp(&strings.Builder{}, &strings.Builder{})
	root := a.root()
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(wh); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(wh)
		t.Errorf("validate created the warehouse: %v %v", err, entries)
	}
	if _, code := dtmCLI(t, "validate", "--kind", "site_assessment", "--format", "xml", siteFixture("d05_dates.csv")); code != 2 {
		t.Errorf("bad format: exit %d", code)
	}
}
