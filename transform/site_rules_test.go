package transform

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// convertSite maps cols, converts rows (cells only; lines from 2) and
// returns the rejects and the stored rows as field -> text.
func convertSite(t *testing.T, cols []string, rows [][]string, opts Options) ([]schemas.Reject, []map[string]string) {
	t.Helper()
	h := ingest.Header{File: "site.xlsx", Sheet: "Data", Columns: cols}
	m, err := Map(h, schemas.SiteAssessment(), MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in := make([]ingest.Row, len(rows))
	for i, r := range rows {
		in[i] = ingest.Row{Line: i + 2, Cells: r}
	}
	m.FixSwappedAdmin(in)
	c := NewConverter(m, Provenance{File: h.File, Sheet: h.Sheet, RunID: "t"}, opts)
	defer c.Release()
	rejects := c.Convert(in)
	rejects = append(rejects, c.Finish()...)
	var out []map[string]string
	for _, pr := range c.Drain(true) {
		rec := pr.Record
		for r := 0; r < int(rec.NumRows()); r++ {
			row := map[string]string{}
			for j, f := range rec.Schema().Fields() {
				col := rec.Column(j)
				if col.IsNull(r) {
					continue
				}
				row[f.Name] = cellText(col, r)
			}
			out = append(out, row)
		}
		rec.Release()
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["source_row"] < out[j]["source_row"] })
	for _, rj := range rejects {
		if rj.File != "site.xlsx" || rj.Sheet != "Data" || rj.Row == 0 || rj.Code == "" {
			t.Errorf("reject does not name file, sheet, row and code: %+v", rj)
		}
	}
	return rejects, out
}

func cellText(col interface{ ValueStr(int) string }, i int) string {
	if l, ok := col.(*array.List); ok {
		start, end := l.ValueOffsets(i)
		var parts []string
		for k := start; k < end; k++ {
			parts = append(parts, l.ListValues().ValueStr(int(k)))
		}
		return strings.Join(parts, "|")
	}
	return col.ValueStr(i)
}

// codesOf renders rejects as "row:code" in order.
func codesOf(rs []schemas.Reject) string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%d:%s", r.Row, r.Code))
	}
	return strings.Join(out, " ")
}

func TestSiteSADDSum(t *testing.T) {
	cols := []string{"Country Code", "Total IDP (Individuals)", "1-5M", "1-5F", "18-59M", "18-59F", "18-59M_ret"}
	rows := [][]string{
		{"SDN", "100", "20", "30", "25", "25", "7"}, // sums (the returnee cell is another group)
		{"SDN", "101", "20", "30", "25", "25", "7"}, // does not
		{"SDN", "", "20", "30", "25", "25", ""},     // no total: nothing to check
		{"SDN", "50", "20", "x", "", "", ""},        // a band that is not a count: that cell empty, the row kept
	}
	rejects, out := convertSite(t, cols, rows, Options{})
	if got, want := codesOf(rejects), "3:sadd-sum-mismatch 5:type-error"; got != want {
		t.Errorf("rejects %s, want %s", got, want)
	}
	if len(out) != 4 {
		t.Fatalf("%d rows stored, want 4", len(out))
	}
	if rejects[1].Severity != schemas.SeverityWarning || out[3]["idp_individuals"] != "50" || out[3]["sadd"] == "" {
		t.Errorf("a bad band cell keeps the row, its total and its other bands: %+v %v", rejects[1], out[3])
	}
	if rejects[0].Severity != schemas.SeverityWarning || rejects[0].Column != "Total IDP (Individuals)" || rejects[0].Value != "101" {
		t.Errorf("mismatch reject %+v", rejects[0])
	}
	if out[1]["idp_individuals"] != "101" {
		t.Errorf("the published total is kept: %v", out[1])
	}
}

func TestSitePcodeChecks(t *testing.T) {
	gaz := map[string]string{
		GazetteerKey(1, "TD07"): "Lac", GazetteerKey(1, "TD05"): "Kanem",
		GazetteerKey(2, "TD0701"): "Mamdi", GazetteerKey(2, "TD0799"): "Mani",
	}
	cols := []string{"Country Code", "Province", "Province Pcode", "Département", "Departement Pcode", "IDP Indiv"}
	rows := [][]string{
		{"TCD", "Lac", "TD07", "Mamdi", "TD0701", "10"},     // fine
		{"TCD", "Lac", "TD07", "Nouveau", "Temp03", "10"},   // pseudo
		{"TCD", "Lac", "TD07", "Site", "DTM12", "10"},       // pseudo
		{"TCD", "Lac", "TD07", "Mamdi Sud", "TD0701", "10"}, // another name for a code
		{"TCD", "Kanem", "TD05", "Mani", "TD0799", "10"},    // not under its admin1 by prefix, as 4 of 5 rows are
		{"TCD", "Lac", "TD07", "Bol", "TD0702", "10"},       // not in the gazetteer
		{"TCD", "Lac", "TD07", "Ghost", "X1", "10"},         // bad shape, unknown
		{"TCD", "Lac", "TD07", "Mamdi", "TD0701", "10"},     // fine (same as row 2)
	}
	rejects, out := convertSite(t, cols, rows, Options{Pcodes: NewPcodeBook(gaz)})
	// The name and nesting checks run at the end of the file (Finish): row 5
	// is the odd one out of three rows naming TD0701, row 6 the one row of
	// five whose codes do not nest.
	want := "3:pseudo-pcode 4:pseudo-pcode 7:unknown-pcode 8:pcode-shape 8:unknown-pcode 9:duplicate-row 5:pcode-name 6:pcode-hierarchy"
	if got := codesOf(rejects); got != want {
		t.Errorf("rejects\n got %s\nwant %s", got, want)
	}
	if len(out) != len(rows) { // row 9 repeats row 2 in every column: kept, with a warning
		t.Fatalf("%d rows stored", len(out))
	}
	for _, rj := range rejects {
		if rj.Severity != schemas.SeverityWarning {
			t.Errorf("p-code problems and repeated rows are warnings: %+v", rj)
		}
	}
	if out[1]["admin2_pcode"] != "Temp03" || out[1]["pcode_flags"] != "admin2_pcode:pseudo" {
		t.Errorf("pseudo code kept and flagged: %v", out[1])
	}
	if out[6]["pcode_flags"] != "admin2_pcode:shape|admin2_pcode:unknown" {
		t.Errorf("flags %q", out[6]["pcode_flags"])
	}
}

func TestSiteRowRules(t *testing.T) {
	cols := []string{"Country Code", "Survey Date", "Total IDP (Households)", "Total IDP (Individuals)", "Latitude", "Round"}
	rows := [][]string{
		{"NGA", "16 - 23 Jan 2023", "10", "50", "11.8", "R38"},
		{"NGA", "2021-03-30", "60", "50", "11.8", "Round3"},    // households > individuals
		{"NGA", "44592", "10", "50", "118", "B2_01"},           // latitude out of range
		{"", "30/03/2021", "10", "50", "", "no round"},         // no country and no default
		{"Nigeria", "April-30-2022", "1,234", "5 678", "", ""}, // country by name
	}
	rejects, out := convertSite(t, cols, rows, Options{})
	want := "3:constraint-error 4:constraint-error 5:type-error 5:missing-cell"
	if got := codesOf(rejects); got != want {
		t.Errorf("rejects\n got %s\nwant %s", got, want)
	}
	// Households above individuals and a latitude out of range are faults
	// of cells: warnings, the rows kept (the latitude emptied). Only the
	// row without a country (required) is dropped.
	if len(out) != 4 {
		t.Fatalf("%d rows stored, want 4: %v", len(out), out)
	}
	if _, ok := out[2]["latitude"]; ok || out[2]["idp_individuals"] != "50" {
		t.Errorf("row 4: latitude emptied, row kept: %v", out[2])
	}
	out = []map[string]string{out[0], out[3]}
	r := out[0]
	if r["assessment_date"] != "2023-01-16" || r["assessment_date_end"] != "2023-01-23" || r["round"] != "38" || r["round_label"] != "R38" {
		t.Errorf("row 2: %v", r)
	}
	r = out[1]
	if r["assessment_date"] != "2022-04-30" || r["assessment_date_end"] != "2022-04-30" || r["country_iso3"] != "NGA" ||
		r["idp_households"] != "1234" || r["idp_individuals"] != "5678" {
		t.Errorf("row 6: %v", r)
	}
}
