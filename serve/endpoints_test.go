package serve_test

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/serve"
)

// TestEndpoints runs the real server on loopback over the fixtures and
// asks every endpoint in every format it offers.
func TestEndpoints(t *testing.T) {
	srv := start(t, fixtureWarehouse(t), serve.Options{})

	// The catalogue lists every figure of `dtm figures list`, with columns and HXL.
	var cat struct {
		Figures []struct {
			Name       string `json:"name"`
			Dataset    string `json:"dataset"`
			URL        string `json:"url"`
			Suppressed bool   `json:"small_cell_suppressed"`
			Parameters []struct {
				Name, Type, Default string
			} `json:"parameters"`
			Columns []struct{ Name, Type, HXL string } `json:"columns"`
			Formats []string                           `json:"formats"`
		} `json:"figures"`
	}
	resp := srv.get(t, "/api/v1/figures").mustStatus(t, 200, "catalogue")
	if err := json.Unmarshal([]byte(resp.body), &cat); err != nil {
		t.Fatalf("catalogue: %v", err)
	}
	figs, err := query.Figures()
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Figures) != len(figs) {
		t.Fatalf("catalogue has %d figures, query.Figures %d", len(cat.Figures), len(figs))
	}
	for i, f := range figs {
		c := cat.Figures[i]
		if c.Name != f.Name || c.Dataset != f.Dataset || len(c.Parameters) != len(f.Params) || len(c.Columns) == 0 {
			t.Errorf("catalogue entry %d = %+v, want figure %s", i, c, f.Name)
		}
		if c.Suppressed != (f.Suppress != "") {
			t.Errorf("figure %s: suppressed %v", f.Name, c.Suppressed)
		}
	}
	idps := cat.Figures[indexOf(t, cat.Figures, "idps")]
	if idps.Columns[0].Name != "country_iso3" || idps.Columns[0].HXL != "#country+code" {
		t.Errorf("idps first column = %+v, want country_iso3 #country+code", idps.Columns[0])
	}
	if idps.Parameters[0].Name != "country" || idps.Parameters[0].Default != "every country" {
		t.Errorf("idps first parameter = %+v", idps.Parameters[0])
	}

	// Every figure, every format.
	for _, c := range cat.Figures {
		for _, f := range c.Formats {
			resp := srv.get(t, c.URL+"?format="+f).mustStatus(t, 200, c.Name+" "+f)
			checkFormat(t, c.Name+" "+f, f, resp, len(c.Columns))
		}
	}
	// The same by Accept.
	for accept, f := range map[string]string{"text/csv": "csv", "application/x-ndjson": "jsonl",
		"text/csv; hxl=present": "hxl", "application/json": "json", "*/*": "json", "text/html, text/csv;q=0.5": "csv"} {
		resp := srv.get(t, "/api/v1/figures/idps", "Accept: "+accept).mustStatus(t, 200, "Accept "+accept)
		checkFormat(t, "Accept "+accept, f, resp, len(idps.Columns))
	}
	srv.get(t, "/api/v1/figures/idps", "Accept: image/png").mustStatus(t, 406, "Accept image/png")

	// Parameters are bound: one country, one round.
	resp = srv.get(t, "/api/v1/figures/idps?country=ssd&round=1&admin_level=2&format=csv").mustStatus(t, 200, "idps ssd r1")
	rows := readCSV(t, resp.body)
	if len(rows) < 2 {
		t.Fatalf("idps SSD round 1: no rows:\n%s", resp.body)
	}
	for _, r := range rows[1:] {
		if r[0] != "SSD" || r[7] != "1" {
			t.Errorf("idps SSD round 1 row %v", r)
		}
	}

	// The survey figure is suppressed with the server's threshold.
	resp = srv.get(t, "/api/v1/figures/survey-profile?format=csv").mustStatus(t, 200, "survey-profile")
	if !strings.Contains(resp.body, "respondents") {
		t.Errorf("survey-profile: %s", clipBody(resp.body))
	}

	// Datasets: site_assessment in every format (geojson too), paged.
	for _, f := range []string{"json", "csv", "hxl", "jsonl", "geojson"} {
		resp := srv.get(t, "/api/v1/datasets/site_assessment?limit=3&format="+f).mustStatus(t, 200, "dataset "+f)
		checkFormat(t, "dataset "+f, f, resp, -1)
	}
	var page1, page2, all []map[string]any
	mustJSON(t, srv.get(t, "/api/v1/datasets/site_assessment?limit=4").mustStatus(t, 200, "page 1").body, &page1)
	mustJSON(t, srv.get(t, "/api/v1/datasets/site_assessment?limit=4&offset=4").mustStatus(t, 200, "page 2").body, &page2)
	mustJSON(t, srv.get(t, "/api/v1/datasets/site_assessment").mustStatus(t, 200, "all").body, &all)
	if len(all) != 9 || len(page1) != 4 || len(page2) != 4 {
		t.Fatalf("pages of 9 rows: %d, %d, all %d", len(page1), len(page2), len(all))
	}
	for i := range page1 {
		if page1[i]["site_id"] != all[i]["site_id"] || page2[i]["site_id"] != all[4+i]["site_id"] {
			t.Errorf("page row %d differs from the full list", i)
		}
	}
	var ssd []map[string]any
	mustJSON(t, srv.get(t, "/api/v1/datasets/site_assessment?country_iso3=ssd&round=2").mustStatus(t, 200, "filter").body, &ssd)
	if len(ssd) == 0 {
		t.Error("filter country_iso3=ssd&round=2: no rows")
	}
	for _, r := range ssd {
		if r["country_iso3"] != "SSD" || r["round"] != float64(2) {
			t.Errorf("filtered row %v", r)
		}
	}
	for _, ds := range []string{"flow_registry", "displacement_admin"} {
		srv.get(t, "/api/v1/datasets/"+ds+"?format=csv").mustStatus(t, 200, ds)
	}
	srv.get(t, "/api/v1/datasets/flow_registry?format=geojson").mustStatus(t, 400, "geojson without coordinates")
	for _, ds := range []string{"flow_survey", "rejects", "runs", "FLOW_SURVEY"} {
		srv.get(t, "/api/v1/datasets/"+ds).mustStatus(t, 404, ds)
	}
	var dsl []struct{ Name string }
	mustJSON(t, srv.get(t, "/api/v1/datasets").mustStatus(t, 200, "dataset list").body, &dsl)
	for _, d := range dsl {
		if d.Name == "flow_survey" {
			t.Error("dataset list offers flow_survey")
		}
	}

	// Runs: the fixture run, without the warehouse path.
	resp = srv.get(t, "/api/v1/runs").mustStatus(t, 200, "runs")
	var runs struct {
		Runs []map[string]any `json:"runs"`
	}
	mustJSON(t, resp.body, &runs)
	if len(runs.Runs) != 1 || runs.Runs[0]["run_id"] != "fixture-run" || runs.Runs[0]["generation"] != float64(1) {
		t.Errorf("runs = %v", runs.Runs)
	}
	if strings.Contains(resp.body, srv.wh) || strings.Contains(resp.body, "warehouse") {
		t.Errorf("runs leak the warehouse path: %s", resp.body)
	}

	// Health, readiness, metrics, OpenAPI.
	srv.get(t, "/healthz").mustStatus(t, 200, "healthz")
	resp = srv.get(t, "/readyz").mustStatus(t, 200, "readyz")
	if !strings.Contains(resp.body, `"generation": 1`) {
		t.Errorf("readyz: %s", resp.body)
	}
	resp = srv.get(t, "/metrics").mustStatus(t, 200, "metrics")
	for _, want := range []string{`dtm_serve_requests_total{code="200",route="GET /api/v1/figures/{name}"}`,
		"dtm_serve_request_duration_seconds_bucket", "dtm_serve_generation 1", `dtm_serve_requests_total{code="404"`} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	mustJSON(t, srv.get(t, "/api/v1/openapi.json").mustStatus(t, 200, "openapi").body, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	for _, c := range cat.Figures {
		if doc.Paths[c.URL]["get"] == nil {
			t.Errorf("openapi lacks %s", c.URL)
		}
	}
	for _, p := range []string{"/api/v1/affected-people/idps", "/api/v1/datasets/site_assessment", "/api/v1/runs"} {
		if doc.Paths[p] == nil {
			t.Errorf("openapi lacks %s", p)
		}
	}
	if doc.Paths["/api/v1/datasets/flow_survey"] != nil {
		t.Error("openapi offers flow_survey")
	}

	// HEAD answers the headers only; other methods are refused.
	resp = srv.do(t, http.MethodHead, "/api/v1/figures/idps?format=csv").mustStatus(t, 200, "HEAD")
	if resp.body != "" || resp.header.Get("ETag") == "" || !strings.HasPrefix(resp.header.Get("Content-Type"), "text/csv") {
		t.Errorf("HEAD: %q %v", resp.body, resp.header)
	}
	srv.do(t, http.MethodPost, "/api/v1/figures/idps").mustStatus(t, 405, "POST")
	srv.do(t, http.MethodDelete, "/api/v1/datasets/site_assessment").mustStatus(t, 405, "DELETE")
	srv.get(t, "/").mustStatus(t, 404, "no report hook")
}

// checkFormat checks that a body is well-formed in a format, with ncols
// columns (-1: any).
func checkFormat(t *testing.T, what, f string, resp response, ncols int) {
	t.Helper()
	ct := resp.header.Get("Content-Type")
	switch f {
	case "json":
		var rows []map[string]any
		if err := json.Unmarshal([]byte(resp.body), &rows); err != nil || !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: not a JSON array (%s): %v", what, ct, err)
		}
		if ncols >= 0 && len(rows) > 0 && len(rows[0]) != ncols {
			t.Errorf("%s: %d columns, want %d", what, len(rows[0]), ncols)
		}
	case "jsonl":
		sc := bufio.NewScanner(strings.NewReader(resp.body))
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Errorf("%s: line %q: %v", what, sc.Text(), err)
			}
		}
		if ct != "application/x-ndjson" {
			t.Errorf("%s: content type %s", what, ct)
		}
	case "csv", "hxl":
		rows := readCSV(t, resp.body)
		if len(rows) == 0 || (ncols >= 0 && len(rows[0]) != ncols) || !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("%s: header %v (%s)", what, rows, ct)
		}
		if f == "hxl" {
			if len(rows) < 2 || !strings.Contains(strings.Join(rows[1], ""), "#") {
				t.Errorf("%s: no HXL row: %v", what, rows)
			}
		} else if len(rows) > 1 && strings.HasPrefix(strings.Join(rows[1], ""), "#") {
			t.Errorf("%s: HXL row in plain CSV", what)
		}
	case "geojson":
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				Geometry *struct{ Coordinates []float64 } `json:"geometry"`
			} `json:"features"`
		}
		if err := json.Unmarshal([]byte(resp.body), &fc); err != nil || fc.Type != "FeatureCollection" || ct != "application/geo+json" {
			t.Errorf("%s: not GeoJSON (%s): %v", what, ct, err)
		}
	}
}

func readCSV(t testing.TB, s string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, clipBody(s))
	}
	return rows
}

func mustJSON(t testing.TB, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("json: %v\n%s", err, clipBody(s))
	}
}

func indexOf[T any](t *testing.T, list []T, name string) int {
	t.Helper()
	for i, e := range list {
		b, _ := json.Marshal(e)
		var m map[string]any
		json.Unmarshal(b, &m)
		if m["name"] == name || m["Name"] == name {
			return i
		}
	}
	t.Fatalf("no %s", name)
	return -1
}
