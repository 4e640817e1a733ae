package report_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/report"
)

// TestReportEqualsFigures: the report reads site assessment through its own
// aggregates (sitedata.go), not through the figures; in every scope (all
// countries or one, latest round or a chosen one) each site chart's table
// must still equal the named figure run with the same country and round,
// and the site plot the rows site_rounds picks.
func TestReportEqualsFigures(t *testing.T) {
	db := openFixture(t)
	for _, sc := range []struct{ country, round string }{
		{"", ""}, {"SSD", ""}, {"TCD", ""}, {"SDN", ""}, {"", "37"}, {"", "12"}, {"SSD", "37"}, {"SSD", "38"}, {"SSD", "99"},
	} {
		t.Run(sc.country+"_"+sc.round, func(t *testing.T) {
			opts := report.Options{Country: sc.country, MaxBars: 1000, MaxSites: 100000}
			if sc.round != "" {
				opts.Round, _ = strconv.ParseInt(sc.round, 10, 64)
			}
			_, tabs := render(t, db, opts)
			params := func(extra ...string) map[string]string {
				p := map[string]string{}
				if sc.country != "" {
					p["country"] = sc.country
				}
				if sc.round != "" {
					p["round"] = sc.round
				}
				for i := 0; i+1 < len(extra); i += 2 {
					p[extra[i]] = extra[i+1]
				}
				return p
			}
			// tableOrNone is a chart's records, or none when the report
			// has no such chart (a scope without rows says so instead).
			tableOrNone := func(id string) []map[string]string {
				if tb := tabs[id]; tb != nil {
					return tb.records()
				}
				return nil
			}

			// Headline: idp-trend (country level) in the report's round,
			// or each country's latest round.
			trendParams := map[string]string{"admin_level": "0"}
			if sc.country != "" {
				trendParams["country"] = sc.country
			}
			trend := figure(t, db, "idp-trend", trendParams)
			latest := map[string]map[string]string{}
			for _, r := range trend {
				if sc.round == "" || r["round"] == sc.round {
					latest[r["country_iso3"]] = r
				}
			}
			var head []map[string]string
			for _, c := range sorted(keysOf(latest)) {
				head = append(head, latest[c])
			}
			hc := []string{"country_iso3", "round", "previous_round", "sites", "idp_households", "idp_individuals", "change_individuals", "change_pct"}
			same(t, "headline", project(tableOrNone("headline-table"), hc...), project(head, hc...))

			// Trend: idp-trend at country level (every country) or admin 1
			// (one country), rounds up to the report's.
			tc := []string{"country_iso3", "round", "idp_individuals"}
			if sc.country != "" {
				tc = []string{"admin1_pcode", "admin1_name", "round", "idp_individuals"}
				trendParams["admin_level"] = "1"
			}
			var wantTrend []map[string]string
			for _, r := range figure(t, db, "idp-trend", trendParams) {
				if sc.round == "" || atoi(r["round"]) <= atoi(sc.round) {
					wantTrend = append(wantTrend, r)
				}
			}
			same(t, "trend", sorted(project(tableOrNone("trend"), tc...)), sorted(project(wantTrend, tc...)))

			// Areas: figure idps at admin 1 and 2.
			for lvl, id := range map[string]string{"1": "idps-admin1", "2": "idps-admin2"} {
				cols := []string{"country_iso3", "round", "admin1_pcode", "admin1_name", "sites", "idp_households", "idp_individuals"}
				if lvl == "2" {
					cols = append(cols, "admin2_pcode", "admin2_name")
				}
				same(t, id, sorted(project(tableOrNone(id), cols...)), sorted(project(figure(t, db, "idps", params("admin_level", lvl)), cols...)))
			}

			// Reasons: the figure's rows in its order.
			rc := []string{"country_iso3", "round", "displacement_reason", "sites", "idp_households", "idp_individuals"}
			same(t, "reasons", project(tableOrNone("reasons"), rc...), project(figure(t, db, "reasons", params()), rc...))

			// SADD: every pyramid's cells are the figure's rows.
			var sadd []map[string]string
			for id, tb := range tabs {
				if strings.HasPrefix(id, "sadd-") {
					sadd = append(sadd, tb.records()...)
				}
			}
			sc2 := []string{"age_band", "age_min", "age_max", "sex", "sites", "individuals"}
			same(t, "sadd", sorted(project(sadd, sc2...)), sorted(project(figure(t, db, "sadd", params()), sc2...)))

			// Sites: the located rows site_rounds picks.
			var c, rnd any
			if sc.country != "" {
				c = sc.country
			}
			if sc.round != "" {
				rnd = atoi(sc.round)
			}
			located := sqlRows(t, db, `SELECT site_id, idp_individuals FROM site_rounds(CAST($1 AS VARCHAR), CAST($2 AS BIGINT), NULL, NULL)
				WHERE latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180`, c, rnd)
			same(t, "sites", sorted(project(tableOrNone("sites"), "site_id", "idp_individuals")), sorted(project(located, "site_id", "idp_individuals")))
			if t.Failed() {
				t.Logf("scope %s", fmt.Sprint(sc))
			}
		})
	}
}
