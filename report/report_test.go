package report_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/report"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// render renders a report of db into memory and parses its tables.
func render(t *testing.T, db *query.DB, opts report.Options) ([]byte, map[string]*pageTable) {
	t.Helper()
	var buf bytes.Buffer
	if err := report.Render(context.Background(), db, opts, &buf); err != nil {
		t.Fatalf("render %+v: %v", opts, err)
	}
	return buf.Bytes(), parsePage(t, buf.Bytes())
}

// figure runs a named figure and returns its rows as text by column.
func figure(t *testing.T, db *query.DB, name string, params map[string]string) []map[string]string {
	t.Helper()
	fig, err := query.LookupFigure(name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.Run(context.Background(), fig, params, query.RunOptions{})
	if err != nil {
		t.Fatalf("figure %s: %v", name, err)
	}
	return rowsOf(res)
}

// sqlRows runs SQL over the views and returns its rows as text by column.
func sqlRows(t *testing.T, db *query.DB, stmt string, args ...any) []map[string]string {
	t.Helper()
	res, err := db.Query(context.Background(), stmt, args...)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	return rowsOf(res)
}

func rowsOf(res *query.Result) []map[string]string {
	out := make([]map[string]string, len(res.Rows))
	for i, r := range res.Rows {
		m := map[string]string{}
		for j, c := range res.Columns {
			m[c] = sinks.FormatValue(r[j])
		}
		out[i] = m
	}
	return out
}

// project renders rows as "a|b|c" lines of the given columns.
func project(rows []map[string]string, cols ...string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		vals := make([]string, len(cols))
		for j, c := range cols {
			v, ok := r[c]
			if !ok {
				v = "<no column " + c + ">"
			}
			vals[j] = v
		}
		out[i] = strings.Join(vals, "|")
	}
	return out
}

func sorted(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func same(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot\n  %s\nwant\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// table returns a chart's table, failing when the page lacks it.
func table(t *testing.T, tabs map[string]*pageTable, id string) *pageTable {
	t.Helper()
	tb := tabs[id]
	if tb == nil {
		ids := make([]string, 0, len(tabs))
		for k := range tabs {
			ids = append(ids, k)
		}
		t.Fatalf("no table %q in the report (tables: %v)", id, sorted(ids))
	}
	return tb
}

// TestReportTablesMatchFigures renders the report of the bundled sample,
// Sudan's SADD fixture and the flow fixtures, reads the tables back from
// the HTML, and checks each against the figures (and, where the report
// aggregates, against SQL over the dataset that does not go through the
// figure), plus a few numbers known from the fixture files.
func TestReportTablesMatchFigures(t *testing.T) {
	db := openFixture(t)
	_, tabs := render(t, db, report.Options{})

	ids := make([]string, 0, len(tabs))
	for id := range tabs {
		ids = append(ids, id)
	}
	same(t, "chart tables", sorted(ids), sorted([]string{"headline-table", "trend", "idps-admin1", "idps-admin2", "sadd-1",
		"reasons", "sites", "flow-direction", "flow-routes", "survey-sex", "survey-age-band", "survey-nationality",
		"survey-reason", "quality-inputs", "quality-reconciliation", "quality-codes"}))
	for id, tb := range tabs {
		checkCSVIsTable(t, id, tb)
	}

	// Headline: each country's latest row of idp-trend.
	trend := figure(t, db, "idp-trend", nil)
	latest := map[string]map[string]string{}
	for _, r := range trend {
		latest[r["country_iso3"]] = r
	}
	var want []map[string]string
	for _, c := range sorted(keysOf(latest)) {
		want = append(want, latest[c])
	}
	cols := []string{"country_iso3", "round", "previous_round", "sites", "idp_households", "idp_individuals", "change_individuals", "change_pct"}
	same(t, "headline", project(table(t, tabs, "headline-table").records(), cols...), project(want, cols...))
	same(t, "headline (known from the sample files)", project(table(t, tabs, "headline-table").records(), "country_iso3", "round", "idp_individuals", "change_individuals", "change_pct"),
		[]string{"SSD|38|47466|2244|5", "TCD|12|23774||"})

	// Trend: every row of idp-trend at country level.
	same(t, "trend", sorted(project(table(t, tabs, "trend").records(), "country_iso3", "round", "idp_individuals")),
		sorted(project(trend, "country_iso3", "round", "idp_individuals")))

	// Areas: the idps figure's rows (fewer than MaxBars: no "other" bar),
	// largest first.
	for level, id := range map[string]string{"1": "idps-admin1", "2": "idps-admin2"} {
		cols := []string{"country_iso3", "round", "admin1_pcode", "admin1_name", "sites", "idp_households", "idp_individuals"}
		if level == "2" {
			cols = append(cols, "admin2_pcode", "admin2_name")
		}
		got := table(t, tabs, id).records()
		fig := figure(t, db, "idps", map[string]string{"admin_level": level})
		same(t, id, sorted(project(got, cols...)), sorted(project(fig, cols...)))
		for i := 1; i < len(got); i++ {
			if atoi(got[i]["idp_individuals"]) > atoi(got[i-1]["idp_individuals"]) {
				t.Errorf("%s: row %d has more IDPs than the row above", id, i)
			}
		}
	}

	// SADD: Sudan's bands exactly as the sadd figure gives them.
	saddCols := []string{"age_band", "age_min", "age_max", "sex", "sites", "individuals"}
	same(t, "sadd", project(table(t, tabs, "sadd-1").records(), saddCols...),
		project(figure(t, db, "sadd", map[string]string{"country": "SDN"}), saddCols...))
	same(t, "sadd bands (as published in sadd_sudan.csv)", sorted(dedupe(table(t, tabs, "sadd-1").col(t, "age_band"))),
		[]string{"0-0", "1-5", "18-59", "6-17", "60+"})

	// Reasons: the figure's rows in its order.
	rc := []string{"country_iso3", "round", "displacement_reason", "sites", "idp_households", "idp_individuals"}
	same(t, "reasons", project(table(t, tabs, "reasons").records(), rc...), project(figure(t, db, "reasons", nil), rc...))

	// Sites: every located site row of each country's latest round,
	// counted straight from the dataset.
	located := sqlRows(t, db, `SELECT s.site_id, s.idp_individuals FROM site_assessment s
		JOIN (SELECT country_iso3, max(round) AS r FROM site_assessment GROUP BY 1) l
		  ON l.country_iso3 = s.country_iso3 AND s.round IS NOT DISTINCT FROM l.r
		WHERE s.latitude IS NOT NULL AND s.longitude IS NOT NULL`)
	same(t, "sites", sorted(project(table(t, tabs, "sites").records(), "site_id", "idp_individuals")), sorted(project(located, "site_id", "idp_individuals")))

	// Flow by direction and month: summed straight from flow_registry,
	// and the totals known from the fixtures.
	flowSQL := sqlRows(t, db, `SELECT CAST(date_trunc('month', period_start) AS DATE) AS period_start, direction, sum(individuals) AS individuals
		FROM flow_registry GROUP BY ALL`)
	fd := table(t, tabs, "flow-direction").records()
	same(t, "flow by direction", sorted(project(fd, "period_start", "direction", "individuals")), sorted(project(flowSQL, "period_start", "direction", "individuals")))
	same(t, "flow by direction (known from the fixtures)", project(fd, "period_start", "direction", "individuals"),
		[]string{"2023-01-01|incoming|146", "2023-01-01|outgoing|19", "2023-02-01|incoming|40", "2023-02-01|outgoing|15"})

	// Routes: the figure's rows, most individuals first.
	routeCols := []string{"country_iso3", "origin_country", "final_destination_country", "individuals", "fmps", "records"}
	same(t, "routes", sorted(project(table(t, tabs, "flow-routes").records(), routeCols...)), sorted(project(figure(t, db, "flow-routes", nil), routeCols...)))

	// Survey: the suppressed figure, cell for cell.
	survey := figure(t, db, "survey-profile", nil)
	for _, dim := range []string{"sex", "age_band", "nationality", "reason"} {
		var want []string
		for _, r := range survey {
			if r["dimension"] == dim {
				n := r["respondents"]
				if r["suppressed"] == "true" && n == "" {
					n = "suppressed"
				}
				want = append(want, r["country_iso3"]+"|"+r["category"]+"|"+n)
			}
		}
		same(t, "survey "+dim, project(table(t, tabs, "survey-"+strings.ReplaceAll(dim, "_", "-")).records(), "country_iso3", "category", "respondents"), want)
	}
	if n := strings.Count(strings.Join(table(t, tabs, "survey-sex").col(t, "respondents"), "|"), "suppressed"); n == 0 {
		t.Errorf("survey by sex: no suppressed cell; the fixtures have fewer than 5 respondents of some sex")
	}

	// Quality: the manifest's ledger and the rejects view, per input.
	inputs := map[string]string{}
	for _, s := range db.Manifest().Sources {
		w := sqlRows(t, db, `SELECT count(*) AS n FROM rejects WHERE file = $1 AND severity = 'warning'`, s.File)[0]["n"]
		inputs[s.File] = fmt.Sprintf("%s|%d|%d|%d|%s", s.Dataset, s.RowsIn, s.RowsWritten, s.RowsRejected, w)
	}
	var wantInputs []string
	for _, f := range sorted(keysOf(inputs)) {
		wantInputs = append(wantInputs, f+"|"+inputs[f])
	}
	same(t, "quality inputs", sorted(project(table(t, tabs, "quality-inputs").records(), "file", "dataset", "rows_in", "rows_written", "rows_rejected", "warnings")), wantInputs)
	codes := sqlRows(t, db, `SELECT code, severity, count(*) AS rejects, count(DISTINCT file) AS inputs FROM rejects GROUP BY ALL`)
	same(t, "quality codes", sorted(project(table(t, tabs, "quality-codes").records(), "code", "severity", "rejects", "inputs")),
		sorted(project(codes, "code", "severity", "rejects", "inputs")))
	var daily string
	for _, r := range table(t, tabs, "quality-inputs").records() {
		if strings.HasSuffix(r["file"], "fmr_daily_en.csv") {
			daily = r["rows_in"] + "|" + r["rows_written"] + "|" + r["rows_rejected"]
		}
	}
	same(t, "fmr_daily_en.csv accounting (two rows rejected in the fixture)", []string{daily}, []string{"8|6|2"})
}

// checkCSVIsTable checks that a chart's CSV download holds its table.
func checkCSVIsTable(t *testing.T, id string, tb *pageTable) {
	t.Helper()
	if len(tb.csv) == 0 {
		t.Errorf("%s: no CSV download", id)
		return
	}
	same(t, id+" CSV header", tb.csv[0], tb.cols)
	if len(tb.csv)-1 != len(tb.rows) {
		t.Errorf("%s: CSV has %d rows, table %d", id, len(tb.csv)-1, len(tb.rows))
		return
	}
	for i, r := range tb.rows {
		want := make([]string, len(r))
		for j, c := range r {
			if c == "suppressed" {
				c = ""
			}
			want[j] = c
		}
		same(t, fmt.Sprintf("%s CSV row %d", id, i+1), tb.csv[i+1], want)
	}
}

// TestReportOneCountryAndRound: the scope narrows every chart: South
// Sudan's round 37 is its first (no change), later rounds are left out of
// the trend, flow charts say there is no flow data, the quality panel
// lists South Sudan's inputs only.
func TestReportOneCountryAndRound(t *testing.T) {
	db := openFixture(t)
	page, tabs := render(t, db, report.Options{Country: "ssd", Round: 37})
	same(t, "headline", project(table(t, tabs, "headline-table").records(), "country_iso3", "round", "previous_round", "idp_individuals", "change_individuals"),
		[]string{"SSD|37||45222|"})
	same(t, "trend (admin 1 lines, rounds up to 37)", dedupe(table(t, tabs, "trend").col(t, "round")), []string{"37"})
	fig := figure(t, db, "idps", map[string]string{"country": "SSD", "round": "37", "admin_level": "1"})
	cols := []string{"admin1_pcode", "sites", "idp_individuals"}
	same(t, "admin 1, round 37", sorted(project(table(t, tabs, "idps-admin1").records(), cols...)), sorted(project(fig, cols...)))
	same(t, "trend admin 1 = idps admin 1 in round 37", sorted(project(table(t, tabs, "trend").records(), "admin1_pcode", "idp_individuals")),
		sorted(project(fig, "admin1_pcode", "idp_individuals")))
	for _, id := range []string{"flow-direction", "flow-routes", "sadd-1", "survey-sex"} {
		if tabs[id] != nil {
			t.Errorf("%s: drawn for South Sudan, which has no such data", id)
		}
	}
	if !bytes.Contains(page, []byte("No flow monitoring registry rows for SSD")) {
		t.Errorf("the flow section does not say that South Sudan has no flow data")
	}
	var files []string
	for _, f := range table(t, tabs, "quality-inputs").col(t, "file") {
		files = append(files, filepath.Base(f))
	}
	same(t, "quality inputs of SSD", sorted(files), []string{"ssd_site_assessment_r37.csv", "ssd_site_assessment_r38.csv"})
	if !bytes.Contains(page, []byte("<title>DTM displacement report — SSD</title>")) {
		t.Errorf("title does not name the country")
	}
}

// TestReportCaps: bars beyond MaxBars are summed into one "other areas"
// row, and the site plot keeps the MaxSites largest sites; nothing is
// dropped without saying so.
func TestReportCaps(t *testing.T) {
	db := openFixture(t)
	page, tabs := render(t, db, report.Options{MaxBars: 3, MaxSites: 5})
	fig := figure(t, db, "idps", map[string]string{"admin_level": "2"})
	got := table(t, tabs, "idps-admin2").records()
	if len(got) != 4 {
		t.Fatalf("admin 2 rows = %d, want 3 areas and one other row", len(got))
	}
	var total, shown int64
	for _, r := range fig {
		total += atoi(r["idp_individuals"])
	}
	for _, r := range got[:3] {
		shown += atoi(r["idp_individuals"])
	}
	other := got[3]
	if other["admin2_name"] != fmt.Sprintf("other areas (%d)", len(fig)-3) || atoi(other["idp_individuals"]) != total-shown {
		t.Errorf("other row = %v, want other areas (%d) with %d IDPs", other, len(fig)-3, total-shown)
	}
	sites := table(t, tabs, "sites").records()
	top := sqlRows(t, db, `SELECT site_id FROM site_assessment WHERE round = 38 AND country_iso3 = 'SSD' AND latitude IS NOT NULL ORDER BY idp_individuals DESC LIMIT 5`)
	same(t, "the 5 largest sites", sorted(project(sites, "site_id")), sorted(project(top, "site_id")))
	located := sqlRows(t, db, `SELECT count(*) AS n FROM site_assessment s WHERE latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
		AND round = (SELECT max(round) FROM site_assessment t WHERE t.country_iso3 = s.country_iso3)`)[0]["n"]
	for _, note := range []string{"The 3 areas with most IDPs are drawn; the other 11 are summed into the last bar.",
		"The 5 sites with most IDPs of " + located + " located sites are shown"} {
		if !bytes.Contains(page, []byte(note)) {
			t.Errorf("page does not say %q", note)
		}
	}
}

// TestReportEmptyWarehouse: a warehouse with nothing committed gives a
// page that says so in every section, with nothing to draw.
func TestReportEmptyWarehouse(t *testing.T) {
	db, err := query.Open(context.Background(), t.TempDir(), schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, tabs := render(t, db, report.Options{})
	if len(tabs) != 0 {
		t.Errorf("empty warehouse: %d tables", len(tabs))
	}
	if bytes.Contains(page, []byte(`data-chart="`)) {
		t.Errorf("empty warehouse: a chart to draw")
	}
	for _, s := range []string{"No site assessment rows with a round in this warehouse generation.", "No committed inputs in this scope."} {
		if !bytes.Contains(page, []byte(s)) {
			t.Errorf("empty warehouse page does not say %q", s)
		}
	}
}

func TestReportBadOptions(t *testing.T) {
	db, err := query.Open(context.Background(), t.TempDir(), schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, o := range []report.Options{{Country: "South Sudan"}, {Country: "S'D"}, {Round: -1}, {MinCell: -2}} {
		var buf bytes.Buffer
		err := report.Render(context.Background(), db, o, &buf)
		if !errors.Is(err, report.ErrBadOptions) {
			t.Errorf("%+v: err = %v, want ErrBadOptions", o, err)
		}
		if buf.Len() != 0 {
			t.Errorf("%+v: %d bytes written on error", o, buf.Len())
		}
	}
}

// TestReportDeterministic: the same generation and options give the same
// bytes (a server can use the generation as ETag), and GeneratedAt is
// printed only when set.
func TestReportDeterministic(t *testing.T) {
	db := openFixture(t)
	a, _ := render(t, db, report.Options{})
	b, _ := render(t, db, report.Options{})
	if !bytes.Equal(a, b) {
		t.Errorf("two renders of one generation differ")
	}
	if bytes.Contains(a, []byte("report generated")) {
		t.Errorf("GeneratedAt printed although zero")
	}
	if dir := os.Getenv("DTM_REPORT_ARTIFACTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "report.html"), a, 0o644)
	}
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func dedupe(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func atoi(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

// TestReportReconciliation: the data-quality panel shows, per input, the
// reconciliation of its headline figures exactly as the run results record
// it (read back here with DuckDB's JSON functions, not the report's
// decoder), next to the input's top reject codes; what was written agrees
// with the warehouse (the sum of the figure over the input's rows); and
// numbers known from the fixtures.
func TestReportReconciliation(t *testing.T) {
	db := openFixture(t)
	_, tabs := render(t, db, report.Options{})
	tb := table(t, tabs, "quality-reconciliation")
	checkCSVIsTable(t, "quality-reconciliation", tb)
	got := tb.records()
	runs := sqlRows(t, db, `WITH s AS (
			SELECT unnest(from_json(sources, '[{"file":"VARCHAR","status":"VARCHAR","reconciliation":[{"field":"VARCHAR","label":"VARCHAR","in_file":"BIGINT","written":"BIGINT","dropped":"BIGINT","rows_dropped":"BIGINT","cells_emptied":"BIGINT","column":"VARCHAR"}]}]')) AS s FROM runs),
		r AS (SELECT s.file AS file, s.status AS status, unnest(s.reconciliation) AS r FROM s)
		SELECT file, r.field AS field, r.label AS figure, r.in_file AS in_file, r.written AS written, r.dropped AS dropped,
		       r.rows_dropped AS rows_dropped, r.cells_emptied AS cells_emptied
		FROM r WHERE status = 'committed'
		  AND NOT (coalesce(r."column", '') = '' AND r.in_file = 0 AND r.written = 0 AND r.dropped = 0)`)
	cols := []string{"file", "field", "figure", "in_file", "written", "dropped", "rows_dropped", "cells_emptied"}
	same(t, "reconciliation = run results", sorted(project(got, cols...)), sorted(project(runs, cols...)))
	if len(got) == 0 {
		t.Fatal("no reconciliation rows")
	}
	// Written agrees with the warehouse, figure by figure.
	for _, r := range got {
		ds := r["dataset"]
		if !strings.Contains("site_assessment flow_registry", ds) || ds == "" {
			continue
		}
		w := sqlRows(t, db, fmt.Sprintf(`SELECT coalesce(sum(%q), 0) AS n FROM %q WHERE source_file = $1`, r["field"], ds), r["file"])[0]["n"]
		if w != r["written"] {
			t.Errorf("%s %s: written %s in the report, %s in the warehouse", r["file"], r["field"], r["written"], w)
		}
	}
	// The top reject codes beside each input's figures are the input's.
	codes := map[string]string{}
	for _, r := range table(t, tabs, "quality-inputs").records() {
		codes[r["file"]] = r["top_codes"]
	}
	for _, r := range got {
		if r["top_codes"] != codes[r["file"]] {
			t.Errorf("%s: top codes %q beside the reconciliation, %q in the inputs table", r["file"], r["top_codes"], codes[r["file"]])
		}
	}
	// Known from the files: South Sudan round 38 has 47,466 IDPs, all
	// written.
	var r38 []string
	for _, r := range got {
		if strings.HasSuffix(r["file"], "ssd_site_assessment_r38.csv") && r["field"] == "idp_individuals" {
			r38 = append(r38, r["in_file"]+"|"+r["written"]+"|"+r["dropped"])
		}
	}
	same(t, "ssd r38 IDP individuals", r38, []string{"47466|47466|0"})
	for _, r := range got {
		t.Logf("%s | %s | %s | %s | %s | %s | %s", filepath.Base(r["file"]), r["figure"], r["in_file"], r["written"], r["dropped"], r["by_code"], r["top_codes"])
	}
}
