package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/inspect"
	"github.com/iom-dtm/dtm/internal/testutil"
)

// siteFixture is the path of a fixture of testdata/site.
func siteFixture(name string) string { return filepath.Join("..", "..", "testdata", "site", name) }

// dtmCLI runs the command line in-process with a quiet logger and a
// throw-away warehouse, and returns stdout and the exit code.
func dtmCLI(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(&out, &errb)
	root := a.root()
	root.SetArgs(append([]string{"--quiet", "--log-format", "json", "--warehouse", filepath.Join(t.TempDir(), "wh")}, args...))
	root.SetOut(&out)
	root.SetErr(&errb)
	err := root.ExecuteContext(context.Background())
	if err != nil {
		t.Logf("dtm %v: %v", args, err)
	}
	return out.String(), a.exitCode(err)
}

func inspectJSON(t *testing.T, args ...string) inspect.Report {
	t.Helper()
	out, code := dtmCLI(t, append([]string{"inspect", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("inspect %v: exit %d\n%s", args, code, out)
	}
	var rep inspect.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("inspect %v: %v\n%s", args, err, out)
	}
	return rep
}

// fieldRules renders the mapping as "header=field/rule" for mapped columns
// and "header/rule" for others.
func columnOf(rep inspect.Report, header string) (field, rule string) {
	for _, c := range rep.Columns {
		if c.Header == header {
			return c.Field, c.Rule
		}
	}
	return "", "absent"
}

func TestInspectText(t *testing.T) {
	out, code := dtmCLI(t, "inspect", siteFixture("d01_title_banner.csv"))
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"format:      csv", "encoding:    utf-8", "delimiter:   ,", "dataset:     site_assessment",
		"header row:  5 (3 title or banner rows above)", "HXL row:     none",
		"Total IDP (Individuals)", "idp_individuals", `unmapped (1): "Method"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, out)
		}
	}
}

func TestInspectFixtures(t *testing.T) {
	t.Run("broken HXL, swapped admin2 tags", func(t *testing.T) {
		rep := inspectJSON(t, siteFixture("d03_broken_hxl.csv"))
		if rep.Dataset != "site_assessment" || rep.HeaderRow != 1 || rep.HXLRow != 2 || rep.RowsSampled != 3 {
			t.Errorf("report %+v", rep)
		}
		if f, r := columnOf(rep, "Département"); f != "admin2_name" || r != "hxl" {
			t.Errorf("Département -> %s/%s, want admin2_name/hxl (swapped back)", f, r)
		}
		if f, _ := columnOf(rep, "Code département"); f != "admin2_pcode" {
			t.Errorf("Code département -> %s", f)
		}
		if f, r := columnOf(rep, "Pays"); f != "country_iso3" || r != "hxl" {
			t.Errorf("Pays -> %s/%s", f, r)
		}
		if !strings.Contains(strings.Join(rep.Notes, "\n"), "swapped back") {
			t.Errorf("notes %v", rep.Notes)
		}
		if strings.Join(rep.Unmapped, "|") != "Colonne calculée" {
			t.Errorf("unmapped %v", rep.Unmapped)
		}
	})
	t.Run("encodings and delimiters", func(t *testing.T) {
		for file, want := range map[string]string{
			"d09_cp1252_semicolon.csv": "windows-1252 ;",
			"d09_utf8_bom.csv":         "utf-8-bom ,",
			"d09_utf16le_tab.txt":      "utf-16le tab",
		} {
			rep := inspectJSON(t, "--kind", "site_assessment", siteFixture(file))
			if got := rep.Encoding + " " + rep.Delimiter; got != want {
				t.Errorf("%s: %s, want %s", file, got, want)
			}
			if f, _ := columnOf(rep, "Personnes Déplacées Internes"); f != "idp_individuals" {
				t.Errorf("%s: header not decoded: %v", file, rep.Columns)
			}
		}
	})
	t.Run("Kobo export", func(t *testing.T) {
		rep := inspectJSON(t, siteFixture("d07_kobo_export.csv"))
		for header, want := range map[string]string{
			"_submission_time": "/kobo-system",
			"_uuid":            "/identifier",
			"group_pop/m0329_loc_reason_disp_idp/climate_floods": "/kobo-option",
			"group_pop/m0329_loc_reason_disp_idp":                "displacement_reasons/alias",
			"group_loc/_gps_latitude":                            "latitude/alias",
			"group_pop/pdi_nombre":                               "idp_individuals/alias",
			"group_meta/enumerator_name":                         "/identifier",
		} {
			if f, r := columnOf(rep, header); f+"/"+r != want {
				t.Errorf("%s -> %s/%s, want %s", header, f, r, want)
			}
		}
	})
	t.Run("SADD bands", func(t *testing.T) {
		out, code := dtmCLI(t, "inspect", siteFixture("sadd_ukraine.csv"))
		if code != 0 || !strings.Contains(out, "sadd m 1-4") || !strings.Contains(out, "sadd f 60+") {
			t.Errorf("exit %d:\n%s", code, out)
		}
	})
	t.Run("every fixture", func(t *testing.T) {
		files, _ := filepath.Glob(siteFixture("*"))
		if len(files) < 14 {
			t.Fatalf("only %d fixtures", len(files))
		}
		for _, f := range files {
			if _, code := dtmCLI(t, "inspect", f); code != 0 {
				t.Errorf("inspect %s: exit %d", f, code)
			}
		}
	})
}

func TestInspectWorkbook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "book.xlsx")
	testutil.WriteXLSX(t, path, []testutil.Sheet{
		{Name: "Read me", Rows: [][]any{{"Displacement Tracking Matrix"}, {"See the Data sheet"}}},
		{Name: "Summary", Rows: [][]any{{"State", "Total IDP (Individuals)"}, {"Unity", 1520}}},
		{Name: "Data", Rows: [][]any{
			{"DTM South Sudan, round 38"},
			{"Country Code", "State", "State Pcode", "Total IDP (Individuals)"},
			{"#country+code", "#adm1+name", "#adm1+code", "#affected+idps+ind"},
			{"SSD", "Unity", "SS08", 1050},
		}},
		{Name: "metadata", Rows: [][]any{{"Column", "Description"}, {"State Pcode", "COD p-code"}}},
	})
	rep := inspectJSON(t, path)
	if rep.Format != "xlsx" || rep.Sheet != "Data" || rep.HeaderRow != 2 || rep.HXLRow != 3 || len(rep.Sheets) != 4 {
		t.Fatalf("report %+v", rep)
	}
	for _, s := range rep.Sheets {
		if s.Chosen != (s.Name == "Data") || s.Reason == "" {
			t.Errorf("sheet %+v", s)
		}
	}
	if !strings.Contains(rep.Sheets[2].Reason, "HXL") {
		t.Errorf("reason %q", rep.Sheets[2].Reason)
	}
	rep = inspectJSON(t, "--sheet", "Summary", path)
	if rep.Sheet != "Summary" || !rep.Sheets[1].Chosen || !strings.Contains(rep.Sheets[1].Reason, "--sheet") {
		t.Errorf("--sheet Summary: %+v", rep)
	}
	out, _ := dtmCLI(t, "inspect", path)
	if !strings.Contains(out, `* "Data"`) || !strings.Contains(out, "data sheet:  Data") {
		t.Errorf("text output:\n%s", out)
	}
}

func TestInspectErrors(t *testing.T) {
	if _, code := dtmCLI(t, "inspect", siteFixture("no_such_file.csv")); code != 1 {
		t.Errorf("missing file: exit %d, want 1", code)
	}
	if _, code := dtmCLI(t, "inspect", "--format", "yaml", siteFixture("d01_title_banner.csv")); code != 2 {
		t.Errorf("bad format: exit %d, want 2", code)
	}
	if _, code := dtmCLI(t, "inspect", "--kind", "nope", siteFixture("d01_title_banner.csv")); code != 2 {
		t.Errorf("bad kind: exit %d, want 2", code)
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	testutil.WriteXLSX(t, path, []testutil.Sheet{{Name: "Data", Rows: [][]any{{"Country Code"}, {"SSD"}}}})
	if _, code := dtmCLI(t, "inspect", "--sheet", "Nope", path); code != 1 {
		t.Errorf("unknown sheet: exit %d, want 1", code)
	}
}
