package report_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// fixtureInputs are the report's test warehouse: the bundled sample (South
// Sudan rounds 37 and 38, Chad round 12), Sudan's SADD fixture (bands as
// published), and the flow fixtures (registry and survey, Chad and Niger;
// two registry rows rejected).
var fixtureInputs = []pipeline.Input{
	{Path: "../internal/sample/data/ssd_site_assessment_r37.csv", Kind: "site_assessment", Source: "ssd-site-assessment", Operation: "South Sudan Mobility Tracking"},
	{Path: "../internal/sample/data/ssd_site_assessment_r38.csv", Kind: "site_assessment", Source: "ssd-site-assessment", Operation: "South Sudan Mobility Tracking"},
	{Path: "../internal/sample/data/tcd_site_assessment_r12_fr.csv", Kind: "site_assessment", Source: "tcd-site-assessment", Country: "TCD"},
	{Path: "../testdata/site/sadd_sudan.csv", Kind: "site_assessment", Source: "sdn-sadd", Country: "SDN"},
	{Path: "../testdata/flow/fmr_daily_en.csv", Kind: "flow_registry", Source: "flow"},
	{Path: "../testdata/flow/fmr_monthly_fr.csv", Kind: "flow_registry", Source: "flow"},
	{Path: "../testdata/flow/fms_kobo_en.csv", Kind: "flow_survey", Source: "flow"},
	{Path: "../testdata/flow/fms_kobo_fr.csv", Kind: "flow_survey", Source: "flow"},
}

// openFixture ingests fixtureInputs into a fresh warehouse and opens it.
func openFixture(t testing.TB) *query.DB {
	t.Helper()
	ctx := context.Background()
	wh := t.TempDir()
	reg := schemas.Default()
	res, err := pipeline.Run(ctx, pipeline.Config{Warehouse: wh, Registry: reg, RunID: "report-test", Command: "test",
		PseudonymKey: "report-test-key"}, fixtureInputs)
	if err != nil {
		t.Fatalf("pipeline run: %v", err)
	}
	for _, s := range res.Sources {
		if s.Status != pipeline.StatusCommitted {
			t.Fatalf("fixture %s: status %s, errors %v", filepath.Base(s.File), s.Status, s.Errors)
		}
	}
	db, err := query.Open(ctx, wh, reg)
	if err != nil {
		t.Fatalf("opening warehouse: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
