package transform

import (
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

func TestIsErrorCell(t *testing.T) {
	for _, s := range []string{"#DIV/0!", "#N/A", " #ref! ", "#VALUE!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!"} {
		if !IsErrorCell(s) {
			t.Errorf("IsErrorCell(%q) = false", s)
		}
	}
	for _, s := range []string{"", "#", "#1", "N/A", "DIV/0", "#loc+name", "Total", "#DIV/0!x"} {
		if IsErrorCell(s) {
			t.Errorf("IsErrorCell(%q) = true", s)
		}
	}
}

// convertRows converts rows of a site assessment file with the reader's
// error marks, and returns every reject (Finish included), the stored rows
// and the converter (for its stats and reconciliation).
func convertRows(t *testing.T, cols []string, rows []ingest.Row, opts Options) ([]schemas.Reject, []map[string]string, *Converter) {
	t.Helper()
	m, err := Map(ingest.Header{File: "f.xlsx", Sheet: "S", Columns: cols}, schemas.SiteAssessment(), MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := NewConverter(m, Provenance{File: "f.xlsx", Sheet: "S", RunID: "t"}, opts)
	t.Cleanup(c.Release)
	rejects := c.Convert(rows)
	rejects = append(rejects, c.Finish()...)
	var out []map[string]string
	for _, pr := range c.Drain(true) {
		rec := pr.Record
		for r := 0; r < int(rec.NumRows()); r++ {
			row := map[string]string{}
			for j, f := range rec.Schema().Fields() {
				if col := rec.Column(j); !col.IsNull(r) {
					row[f.Name] = cellText(col, r)
				}
			}
			out = append(out, row)
		}
		rec.Release()
	}
	return rejects, out, c
}

// TestCellFaultsKeepTheRow: error cells (marked by the reader or written as
// literals), negative and non-numeric counts empty their cell with a
// warning naming the file, sheet, row, column and value; the row is kept.
// Only an unusable required field drops the row, and the message says so.
func TestCellFaultsKeepTheRow(t *testing.T) {
	cols := []string{"Country Code", "Admin 1 Pcode", "IDP Households", "IDP Individuals", "Remarks"}
	rows := []ingest.Row{
		{Line: 3, Cells: []string{"TCD", "TD01", "80", "#N/A", "ok"}, Errors: []int{3}},    // marked error cell
		{Line: 4, Cells: []string{"TCD", "TD02", "#DIV/0!", "300", "ok"}},                  // literal error cell
		{Line: 5, Cells: []string{"TCD", "TD02", "250", "1,250", "ok"}},                    // thousands separator
		{Line: 6, Cells: []string{"TCD", "TD02", "-4", "410", "#REF!"}},                    // negative count; error in an unmapped column
		{Line: 7, Cells: []string{"TCD", "TD02", "many", "20", "ok"}},                      // not a number
		{Line: 9, Cells: []string{"TCD", "TD03", "1", "5", "#NAME?"}, Errors: []int{4, 4}}, // marked twice: one warning
	}
	rejects, out, c := convertRows(t, cols, rows, Options{})
	if len(out) != 6 {
		t.Fatalf("%d rows kept, want 6: %v", len(out), out)
	}
	want := map[int]string{3: "error-cell", 4: "error-cell", 6: "error-cell constraint-error", 7: "type-error", 9: "error-cell"}
	got := map[int][]string{}
	for _, rj := range rejects {
		got[rj.Row] = append(got[rj.Row], rj.Code)
		if rj.File != "f.xlsx" || rj.Sheet != "S" || rj.Column == "" || rj.Value == "" {
			t.Errorf("reject does not name file, sheet, column and value: %+v", rj)
		}
		if rj.Code == schemas.CodeMissingCell {
			if rj.Severity != schemas.SeverityError || !strings.Contains(rj.Message, "country_iso3") || !strings.Contains(rj.Message, "dropped") {
				t.Errorf("the drop must say which field: %+v", rj)
			}
		} else if rj.Severity != schemas.SeverityWarning {
			t.Errorf("a cell fault is a warning: %+v", rj)
		}
		if rj.Code == schemas.CodeErrorCell && !strings.Contains(rj.Message, strings.TrimSpace(rj.Value)) {
			t.Errorf("error-cell message must name the error: %+v", rj)
		}
	}
	for line, codes := range want {
		if g := strings.Join(got[line], " "); g != codes {
			t.Errorf("row %d: codes %q, want %q", line, g, codes)
		}
	}
	if _, ok := out[0]["idp_individuals"]; ok || out[0]["idp_households"] != "80" {
		t.Errorf("row 3: the error cell is empty, never 0: %v", out[0])
	}
	if out[2]["idp_individuals"] != "1250" {
		t.Errorf("row 5: 1,250 is 1250: %v", out[2])
	}
	if _, ok := out[3]["idp_households"]; ok || out[3]["idp_individuals"] != "410" {
		t.Errorf("row 6: negative count emptied, row kept: %v", out[3])
	}
	if s := c.Stats(); s.RowsIn != 6 || s.RowsWritten != 6 || s.RowsRejected != 0 {
		t.Errorf("stats %+v", s)
	}
	ind := c.Reconciliation()[0]
	// usable IDP individuals: 300 + 1250 + 410 + 20 + 5
	if ind.InFile != 1985 || ind.Written != 1985 || ind.Dropped != 0 || ind.UnusableCells != 1 {
		t.Errorf("reconciliation %+v", ind)
	}

	// A required field that is unusable drops the row, and says which.
	rejects, out, c = convertRows(t, []string{"Country Code", "IDP Individuals"},
		[]ingest.Row{{Line: 2, Cells: []string{"#VALUE!", "5"}, Errors: []int{0}}, {Line: 3, Cells: []string{"TCD", "7"}}}, Options{})
	if len(out) != 1 || codesOf(rejects) != "2:error-cell 2:missing-cell" {
		t.Fatalf("rows %v, rejects %s", out, codesOf(rejects))
	}
	if rj := rejects[1]; rj.Severity != schemas.SeverityError || !strings.Contains(rj.Message, "country_iso3") || !strings.Contains(rj.Message, "dropped") {
		t.Errorf("the drop must say which field: %+v", rj)
	}
	if r := c.Reconciliation()[0]; r.InFile != 12 || r.Written != 7 || r.RowsDropped != 5 || r.ByCode[schemas.CodeMissingCell] != 5 {
		t.Errorf("reconciliation %+v", r)
	}
}

// TestNegativeSADDCellKeepsRow: a negative sex-and-age cell is emptied with
// a warning; the row, its total and its other bands are kept, and the sum
// check says nothing about its incomplete breakdown.
func TestNegativeSADDCellKeepsRow(t *testing.T) {
	cols := []string{"Country Code", "IDP Individuals", "Male <1", "Female <1", "Male 1-17", "Female 1-17"}
	rows := []ingest.Row{
		{Line: 2, Cells: []string{"SDN", "30", "5", "5", "10", "10"}},
		{Line: 3, Cells: []string{"SDN", "28", "5", "5", "-2", "20"}},
		{Line: 4, Cells: []string{"SDN", "40", "5", "#DIV/0!", "10", "10"}},
	}
	rejects, out, _ := convertRows(t, cols, rows, Options{})
	if len(out) != 3 {
		t.Fatalf("%d rows kept, want 3", len(out))
	}
	if got := codesOf(rejects); got != "3:constraint-error 4:error-cell" {
		t.Errorf("rejects %s", got)
	}
	if out[1]["idp_individuals"] != "28" || strings.Count(out[1]["sadd"], "|") != 2 {
		t.Errorf("row 3 keeps its total and its three good bands: %v", out[1])
	}
}
