package pipeline_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/config"
	"github.com/iom-dtm/dtm/internal/pipeline"
)

// TestJobFileInputs: each file of a file source is an input with the
// source's settings, in path order; a pattern that matches nothing is an
// Unavailable input naming the source and the pattern; DTM API sources are
// left to FetchAPI.
func TestJobFileInputs(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"r2.csv", "r1.csv", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	job, err := config.Parse([]byte(`sources:
  - name: tcd
    kind: site_assessment
    paths: ["*.csv", "r1.csv", "later/*.xlsx"]
    country: TCD
    sheet: [Entry, Exit]
    format: csv
    operation: Lac crisis
    columns: {"Nb ménages": idp_households}
    max_reject_ratio: 0.3
    duplicates: drop
  - name: api
    kind: displacement_admin
    api: {countries: [TCD]}
`), dir)
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := pipeline.JobFileInputs(job)
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) != 3 {
		t.Fatalf("%d inputs %+v, want the unmatched pattern and the two CSV files", len(inputs), inputs)
	}
	miss := inputs[0]
	if miss.Source != "tcd" || miss.Path != filepath.Join(dir, "later", "*.xlsx") || !strings.Contains(miss.Unavailable, `no file matches "later/*.xlsx"`) {
		t.Errorf("unmatched pattern: %+v", miss)
	}
	want := pipeline.Input{Source: "tcd", Kind: "site_assessment", Country: "TCD", Sheets: []string{"Entry", "Exit"}, FormatName: "csv",
		Operation: "Lac crisis", Overrides: map[string]string{"Nb ménages": "idp_households"}, MaxRejectRatio: 0.3, Duplicates: "drop"}
	for i, name := range []string{"r1.csv", "r2.csv"} {
		w := want
		w.Path = filepath.Join(dir, name)
		if got := inputs[i+1]; !reflect.DeepEqual(got, w) {
			t.Errorf("input %d:\n got %+v\nwant %+v", i+1, got, w)
		}
	}
	bad, err := config.Parse([]byte("sources:\n  - {name: a, kind: site_assessment, paths: [\"[\"]}\n"), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.JobFileInputs(bad); err == nil || !strings.Contains(err.Error(), "bad pattern") {
		t.Errorf("malformed pattern: %v", err)
	}
}
