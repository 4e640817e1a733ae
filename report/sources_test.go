package report_test

import (
	"context"
	"testing"

	"github.com/iom-dtm/dtm/report"
)

// TestChartSources: each chart lists the files its rows come from, as SQL
// over the views finds them (the latest round's rows for the site figures,
// every round with a number for the trend, one country for a pyramid).
func TestChartSources(t *testing.T) {
	db := openFixture(t)
	for _, opts := range []report.Options{{}, {Country: "SSD", Round: 37}} {
		r, err := report.Build(context.Background(), db, opts)
		if err != nil {
			t.Fatal(err)
		}
		var c, rnd any
		if opts.Country != "" {
			c, rnd = opts.Country, opts.Round
		}
		round := project(sqlRows(t, db, `SELECT DISTINCT source_file FROM site_rounds(CAST($1 AS VARCHAR), CAST($2 AS BIGINT), NULL, NULL) ORDER BY 1`, c, rnd), "source_file")
		rounds := project(sqlRows(t, db, `SELECT DISTINCT source_file FROM site_assessment WHERE round IS NOT NULL
			AND ($1::VARCHAR IS NULL OR country_iso3 = $1::VARCHAR) AND ($2::BIGINT IS NULL OR round <= $2::BIGINT) ORDER BY 1`, c, rnd), "source_file")
		flows := project(sqlRows(t, db, `SELECT DISTINCT source_file FROM flow_registry WHERE $1::VARCHAR IS NULL OR country_iso3 = $1::VARCHAR ORDER BY 1`, c), "source_file")
		want := map[string][]string{"idps-admin1": round, "idps-admin2": round, "reasons": round, "sites": round,
			"trend": rounds, "headline-table": rounds, "flow-direction": flows, "flow-routes": flows}
		if opts.Country == "" {
			want["sadd-1"] = project(sqlRows(t, db, `SELECT DISTINCT source_file FROM site_assessment WHERE country_iso3 = 'SDN'`), "source_file")
		}
		for _, s := range r.Sections {
			for _, ch := range s.Charts {
				if w, ok := want[ch.ID]; ok {
					same(t, opts.Country+" "+ch.ID+" sources", ch.Sources, w)
					delete(want, ch.ID)
				}
			}
		}
		for id := range want {
			if len(want[id]) > 0 {
				t.Errorf("%+v: no chart %s", opts, id)
			}
		}
	}
}
