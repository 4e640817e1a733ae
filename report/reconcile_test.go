package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/transform"
)

// TestReconChart: invented inputs of each kind the panel must handle: a
// difference split over more codes than are drawn (summed into "other
// codes", never dropped), a rule that added to a figure (negative), a
// file whose totals row disagrees with its rows, a figure the file has no
// column for (left out, said), and an input without a recorded
// reconciliation (said).
func TestReconChart(t *testing.T) {
	total := int64(900)
	many := map[string]int64{}
	var sum int64
	for i := range 10 {
		many[fmt.Sprintf("code-%02d", i)] = int64(10 + i)
		sum += int64(10 + i)
	}
	in := func(file string, recon ...transform.Reconciliation) *inputQuality {
		return &inputQuality{src: &sinks.Source{File: file, Dataset: "site_assessment"}, recon: recon,
			codes: []codeCount{{code: "type-error", severity: "error", n: 2}}}
	}
	inputs := []*inputQuality{
		in("a.csv", transform.Reconciliation{Field: "idp_individuals", Label: "IDP individuals", Column: "IDPs", InFile: 1000 + sum, Written: 1000, Dropped: sum, RowsDropped: sum, ByCode: many}),
		in("b.csv", transform.Reconciliation{Field: "idp_individuals", Label: "IDP individuals", Column: "IDPs", InFile: 1000, Written: 1005, Dropped: -5, CellsEmptied: -5, ByCode: map[string]int64{"changed": -5}, FileTotal: &total, FileTotalRow: 40},
			transform.Reconciliation{Field: "returnee_individuals", Label: "returnees"}),
		in("c.csv"),
	}
	ch := reconChart(inputs)
	if ch == nil || ch.Option == nil {
		t.Fatalf("no chart drawn: %+v", ch)
	}
	if len(ch.Table.Rows) != 2 {
		t.Fatalf("table rows = %d, want 2 (a.csv and b.csv IDPs; returnees left out)", len(ch.Table.Rows))
	}
	notes := strings.Join(ch.Notes, "\n")
	for _, want := range []string{"b.csv: the file's totals row (row 40) says 900 IDP individuals, its rows add up to 1,000.",
		"1 figures are left out", "1 inputs have no reconciliation"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	// Every code's difference is drawn: 7 series and "other codes (4)" (b.csv's "changed" is the 11th code),
	// which together sum to a.csv's difference.
	ss := ch.Option["series"].([]any)
	if len(ss) != maxReconSeries+1 || ss[maxReconSeries].(map[string]any)["name"] != "other codes (4)" {
		t.Fatalf("series: %d, last %v", len(ss), ss[len(ss)-1].(map[string]any)["name"])
	}
	var drawn float64
	for _, s := range ss {
		if v, ok := s.(map[string]any)["data"].([]any)[0].(float64); ok {
			drawn += v
		}
	}
	if drawn != float64(sum) {
		t.Errorf("a.csv drawn difference %v, want %d", drawn, sum)
	}
	if got := ch.Table.Rows[1][7].Text; got != "changed -5" {
		t.Errorf("b.csv by code = %q", got)
	}
	if got := ch.Table.Rows[0][8].Text; got != "type-error ×2 (error)" {
		t.Errorf("top codes beside a.csv = %q", got)
	}
	// Nothing recorded anywhere: no chart.
	if reconChart([]*inputQuality{in("c.csv")}) != nil {
		t.Errorf("a chart without any reconciliation")
	}
}
