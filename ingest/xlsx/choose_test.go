package xlsx

import (
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/testutil"
	"github.com/xuri/excelize/v2"
)

func TestAuxiliaryKind(t *testing.T) {
	cases := map[string]string{
		"Summary":              "a summary",
		"Synthèse régionale":   "a summary",
		"Pivot_Admin1":         "a pivot table",
		"TCD":                  "a pivot table",
		"Data Dictionary":      "a data dictionary",
		"Métadonnées":          "a data dictionary",
		"METADATA":             "a data dictionary",
		"ReadMe":               "a readme or notes",
		"Notes":                "a readme or notes",
		"survey":               "a Kobo XLSForm sheet",
		"choices":              "a Kobo XLSForm sheet",
		"Lists":                "a Kobo XLSForm sheet",
		"Chart1":               "a chart or dashboard",
		"Sites R40":            "",
		"DTM_NGA_SA_Round_40":  "",
		"Site list":            "",
		"FMS survey data 2023": "",
		"Flow Monitoring Data": "",
		"Baseline Assessment":  "",
	}
	for name, want := range cases {
		if got := auxiliaryKind(name); got != want {
			t.Errorf("auxiliaryKind(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestHiddenSheetSkipped(t *testing.T) {
	path := writeBook(t,
		testutil.Sheet{Name: "Lookup", Rows: [][]any{strs("Code", "Name", "Region", "Type", "Status", "Notes", "Extra")}},
		testutil.Sheet{Name: "Data", Rows: [][]any{strs("Site", "IDPs"), {"A", 3}}},
	)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f.SetActiveSheet(1)
	if err := f.SetSheetVisible("Lookup", false); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	for _, useExcelize := range []bool{false, true} {
		h, _, err := readWith(path, ingest.Options{}, useExcelize)
		if err != nil || h.Sheet != "Data" || !strings.Contains(strings.Join(h.Notes, "\n"), "hidden") {
			t.Errorf("excelize=%v: sheet %q notes %q err %v", useExcelize, h.Sheet, h.Notes, err)
		}
	}
}

func TestHXLRowWithoutHeader(t *testing.T) {
	path := writeBook(t, testutil.Sheet{Name: "Data", Rows: [][]any{
		strs("#adm1+name", "#affected+idps"), {"Borno", 10},
	}})
	h, rows := openAll(t, path, ingest.Options{})
	if h.HeaderLine != 1 || h.HXLLine != 1 || h.Columns[0] != "#adm1+name" || len(rows) != 1 || rows[0].Line != 2 {
		t.Fatalf("header %+v rows %+v", h, rows)
	}
}
