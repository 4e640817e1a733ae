package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/schemas"
)

// TestRunReleasesEveryArrowBuffer runs the pipeline with a checked
// allocator over good inputs, inputs that fail (unreadable, over the reject
// threshold, hostile) and a dry run, and asserts that every Arrow buffer
// the run allocated (builders, records, rejects, Parquet encoders) was
// released when Run returned.
func TestRunReleasesEveryArrowBuffer(t *testing.T) {
	root := filepath.Join("..", "..", "testdata")
	garbage := filepath.Join(t.TempDir(), "not_a_workbook.xlsx")
	if err := os.WriteFile(garbage, []byte("PK\x03\x04 this is no zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	hostile, _ := filepath.Glob(filepath.Join(root, "hostile", "*.csv"))
	cases := []struct {
		name     string
		inputs   []pipeline.Input
		maxRatio float64
		dryRun   bool
	}{
		{name: "site and flow", maxRatio: 1, inputs: []pipeline.Input{
			{Path: filepath.Join(root, "site", "sadd_chad.csv"), Kind: "site_assessment", Country: "TCD"},
			{Path: filepath.Join(root, "site", "d09_cp1252_semicolon.csv"), Kind: "site_assessment", Country: "TCD"},
			{Path: filepath.Join(root, "flow", "fmr_daily_en.csv"), Kind: "flow_registry"},
		}},
		{name: "over the reject threshold", maxRatio: 0, inputs: []pipeline.Input{
			{Path: filepath.Join(root, "site", "d06_missing_numbers_en.csv"), Kind: "site_assessment", Country: "SSD"},
		}},
		{name: "unreadable", maxRatio: 1, inputs: []pipeline.Input{
			{Path: garbage, Kind: "site_assessment", Country: "SSD"},
			{Path: filepath.Join(root, "site", "no_such_file.csv"), Kind: "site_assessment", Country: "SSD"},
		}},
		{name: "dry run", maxRatio: 1, dryRun: true, inputs: []pipeline.Input{
			{Path: filepath.Join(root, "site", "sadd_sudan.csv"), Kind: "site_assessment", Country: "SDN"},
		}},
	}
	hostileCase := struct {
		name     string
		inputs   []pipeline.Input
		maxRatio float64
		dryRun   bool
	}{name: "hostile", maxRatio: 1}
	for _, h := range hostile {
		hostileCase.inputs = append(hostileCase.inputs, pipeline.Input{Path: h, Kind: "site_assessment", Country: "SSD"})
	}
	cases = append(cases, hostileCase)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			cfg := pipeline.Config{Warehouse: t.TempDir(), Registry: schemas.Default(), RunID: "alloc", MaxRejectRatio: tc.maxRatio,
				DryRun: tc.dryRun, Allocator: mem, Concurrency: 2}
			if _, err := pipeline.Run(context.Background(), cfg, tc.inputs); err != nil {
				t.Logf("run: %v", err) // failing inputs are the point of some cases
			}
		})
	}
}
