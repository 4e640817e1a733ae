package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// cli runs dtm in-process with the given warehouse and returns stdout,
// stderr and the exit code.
func cli(t *testing.T, wh string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(&out, &errb)
	root := a.root()
	root.SetArgs(append([]string{"--warehouse", wh, "--quiet"}, args...))
	root.SetOut(&out)
	root.SetErr(&errb)
	err := root.ExecuteContext(context.Background())
	if err != nil {
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), a.exitCode(err)
}

// exportWarehouse ingests the figure fixtures (testdata/figures: 9 sites
// of SSD and NGA; site S4 is named =HYPERLINK(...), N2 is named -Host N2).
func exportWarehouse(t *testing.T) string {
	t.Helper()
	wh := t.TempDir()
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "figures", "*.csv"))
	if len(files) != 3 {
		t.Fatalf("fixtures: %v", files)
	}
	_, errs, code := cli(t, wh, append([]string{"ingest", "--kind", "site_assessment"}, files...)...)
	if code != 0 {
		t.Fatalf("ingest exit %d: %s", code, errs)
	}
	return wh
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, s)
	}
	return rows
}

func col(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %s in %v", name, header)
	return -1
}

func TestExportDatasetCSVNeutralisesFormulas(t *testing.T) {
	wh := exportWarehouse(t)
	out := filepath.Join(t.TempDir(), "sites.csv")
	if _, errs, code := cli(t, wh, "export", "site_assessment", "--format", "hxl", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, string(b))
	if len(rows) != 2+9 {
		t.Fatalf("%d rows", len(rows))
	}
	name, ind, id := col(t, rows[0], "site_name"), col(t, rows[0], "idp_individuals"), col(t, rows[0], "site_id")
	if rows[1][name] != "#loc+name" || rows[1][ind] != "#affected+idps+ind" || rows[1][col(t, rows[0], "country_iso3")] != "#country+code" {
		t.Errorf("HXL row %v", rows[1])
	}
	byID := map[string][]string{}
	for _, r := range rows[2:] {
		byID[r[id]] = r
	}
	checks := []struct{ id, col, want string }{
		{"SSD-S4", "site_name", `'=HYPERLINK("http://x")`},
		{"NGA-N2", "site_name", "'-Host N2"},
		{"SSD-S1", "site_name", "Site one"},
		{"SSD-S4", "idp_individuals", "60"},
		{"SSD-S1", "latitude", "4.85"},
		{"SSD-S1", "longitude", "31.6"},
		{"SSD-S1", "assessment_date", "2025-04-10"},
	}
	for _, c := range checks {
		r, ok := byID[c.id]
		if !ok {
			t.Fatalf("no row %s", c.id)
		}
		if got := r[col(t, rows[0], c.col)]; got != c.want {
			t.Errorf("%s %s = %q, want %q", c.id, c.col, got, c.want)
		}
	}
}

func TestExportFigureHXL(t *testing.T) {
	wh := exportWarehouse(t)
	stdout, errs, code := cli(t, wh, "export", "idps", "--format", "hxl", "--country", "SSD", "--round", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows := readCSV(t, stdout)
	want := [][]string{
		{"country_iso3", "admin1_pcode", "admin1_name", "admin2_pcode", "admin2_name", "admin3_pcode", "admin3_name", "round", "sites", "idp_households", "idp_individuals"},
		{"#country+code", "#adm1+code", "#adm1+name", "#adm2+code", "#adm2+name", "#adm3+code", "#adm3+name", "#round+code", "", "#affected+idps+hh", "#affected+idps+ind"},
		{"SSD", "SS01", "Central Equatoria", "", "", "", "", "1", "2", "30", "150"},
		{"SSD", "SS02", "Eastern Equatoria", "", "", "", "", "1", "1", "30", "150"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
}

func TestExportGeoJSON(t *testing.T) {
	wh := exportWarehouse(t)
	out := filepath.Join(t.TempDir(), "sites.geojson")
	if _, errs, code := cli(t, wh, "export", "site_assessment", "--format", "geojson", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(out)
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			Geometry struct {
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 9 {
		t.Fatalf("%s with %d features", fc.Type, len(fc.Features))
	}
	found := 0
	for _, f := range fc.Features {
		c := f.Geometry.Coordinates
		if f.Type != "Feature" || f.Geometry.Type != "Point" || len(c) != 2 || c[0] < -180 || c[0] > 180 || c[1] < -90 || c[1] > 90 {
			t.Errorf("feature %+v", f)
			continue
		}
		if f.Properties["site_id"] == "NGA-N1" {
			found++
			if c[0] != 13.16 || c[1] != 11.85 {
				t.Errorf("N1 at %v, want [13.16 11.85] (lon, lat)", c)
			}
			if n, ok := f.Properties["idp_individuals"].(float64); !ok || (n != 150 && n != 200) {
				t.Errorf("N1 idp_individuals %v", f.Properties["idp_individuals"])
			}
		}
	}
	if found != 2 {
		t.Errorf("N1 features: %d, want 2 (rounds 4 and 5)", found)
	}
	// A figure without coordinates cannot be GeoJSON: a usage error.
	if _, _, code := cli(t, wh, "export", "idps", "--format", "geojson"); code != 2 {
		t.Errorf("idps as geojson: exit %d, want 2", code)
	}
}

// parquetQuery reads a Parquet file back with DuckDB.
func parquetQuery(t *testing.T, wh, stmt string, args ...any) *query.Result {
	t.Helper()
	db, err := query.Open(context.Background(), wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Query(context.Background(), stmt, args...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestExportGeoParquet(t *testing.T) {
	wh := exportWarehouse(t)
	out := filepath.Join(t.TempDir(), "sites.parquet")
	if _, errs, code := cli(t, wh, "export", "site_assessment", "--format", "parquet", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	res := parquetQuery(t, wh, `SELECT decode(value) FROM parquet_kv_metadata(?) WHERE decode(key) = 'geo'`, out)
	if len(res.Rows) != 1 {
		t.Fatalf("geo key: %v", res.Rows)
	}
	var geo struct {
		Version       string `json:"version"`
		PrimaryColumn string `json:"primary_column"`
		Columns       map[string]struct {
			Encoding      string    `json:"encoding"`
			GeometryTypes []string  `json:"geometry_types"`
			BBox          []float64 `json:"bbox"`
		} `json:"columns"`
	}
	if err := json.Unmarshal([]byte(res.Rows[0][0].(string)), &geo); err != nil {
		t.Fatal(err)
	}
	g := geo.Columns["geometry"]
	if geo.Version != "1.1.0" || geo.PrimaryColumn != "geometry" || g.Encoding != "WKB" || len(g.GeometryTypes) != 1 || g.GeometryTypes[0] != "Point" {
		t.Errorf("geo metadata %+v", geo)
	}
	if len(g.BBox) != 4 || g.BBox[0] != 13.16 || g.BBox[1] != 3.96 || g.BBox[2] != 32.57 || g.BBox[3] != 11.88 {
		t.Errorf("bbox %v", g.BBox)
	}
	// DuckDB reads the column as a geometry, thanks to the metadata.
	res = parquetQuery(t, wh, `SELECT DISTINCT typeof(geometry) FROM read_parquet(?)`, out)
	if got := rowToStrings(res.Rows[0]); !strings.HasPrefix(got[0], "GEOMETRY") {
		t.Errorf("geometry read as %v", got)
	}
	// Every row kept with its columns; each point is 21 bytes of WKB.
	db, err := query.Open(context.Background(), wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Exec(context.Background(), "SET enable_geoparquet_conversion = false"); err != nil {
		t.Fatal(err)
	}
	res, err = db.Query(context.Background(), `SELECT count(*), count(geometry), min(octet_length(geometry)), max(octet_length(geometry)), sum(idp_individuals), count(sadd), hex(any_value(geometry) FILTER (site_id = 'SSD-S4')) FROM read_parquet(?)`, out)
	if err != nil {
		t.Fatal(err)
	}
	// S4 is at lon 32.30, lat 3.96: 01 01000000 then the two doubles, little endian.
	want := "9,9,21,21,930,5,0101000000" + "6666666666264040" + "AE47E17A14AE0F40"
	if got := strings.Join(rowToStrings(res.Rows[0]), ","); got != want {
		t.Errorf("read back %v, want %s", got, want)
	}
}

func TestExportFigureParquetAndJSON(t *testing.T) {
	wh := exportWarehouse(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "idps.parquet")
	if _, errs, code := cli(t, wh, "export", "idps", "--format", "parquet", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	res := parquetQuery(t, wh, `SELECT country_iso3, admin1_pcode, round, idp_individuals, typeof(idp_individuals) FROM read_parquet(?) ORDER BY 1, 2`, out)
	want := []string{"NGA|NG008|5|240|BIGINT", "SSD|SS01|2|180|BIGINT", "SSD|SS02|2|60|BIGINT"}
	if len(res.Rows) != len(want) {
		t.Fatalf("rows %v", res.Rows)
	}
	for i, w := range want {
		if got := strings.Join(rowToStrings(res.Rows[i]), "|"); got != w {
			t.Errorf("row %d = %s, want %s", i, got, w)
		}
	}
	stdout, errs, code := cli(t, wh, "export", "sites", "--format", "jsonl", "--country", "NGA")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"site_type":"camp","sites":1,"idp_households":40,"idp_individuals":200`) {
		t.Errorf("jsonl %q", stdout)
	}
}

func TestExportRefusalsAndUsage(t *testing.T) {
	wh := exportWarehouse(t)
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"raw survey microdata", []string{"export", "flow_survey", "--format", "csv", "--out", filepath.Join(dir, "s.csv")}, 2, "not exported raw"},
		{"unknown name", []string{"export", "nope", "--format", "csv"}, 2, "neither a figure nor a dataset"},
		{"unknown format", []string{"export", "idps", "--format", "xls"}, 2, "unknown --format"},
		{"parquet to stdout", []string{"export", "idps", "--format", "parquet"}, 2, "needs --out"},
		{"bad min-cell", []string{"export", "idps", "--min-cell", "0"}, 2, "--min-cell"},
		{"figure parameter on a dataset", []string{"export", "site_assessment", "--admin-level", "2"}, 2, "applies to figures"},
		{"parameter a figure lacks", []string{"export", "sites", "--admin-level", "2"}, 2, "no parameter"},
		{"bad typed parameter", []string{"export", "idps", "--round", "1; DROP VIEW site_assessment"}, 2, "whole number"},
		{"path-like parameter", []string{"export", "idps", "--country", "../../etc/passwd", "--out", filepath.Join(dir, "p.csv")}, 2, "unknown country"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := cli(t, wh, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) {
				t.Errorf("exit %d (%s), want %d with %q", code, errs, tc.code, tc.msg)
			}
		})
	}
	// Nothing was written: every export above is refused.
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files in the output directory: %v", ents)
	}
}

func TestQueryCommand(t *testing.T) {
	wh := exportWarehouse(t)
	dir := t.TempDir()
	const q = `SELECT site_id, idp_individuals FROM site_assessment WHERE country_iso3 = 'NGA' ORDER BY round, site_id`
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"query", q}, "site_id  idp_individuals\nNGA-N1   150\nNGA-N1   200\nNGA-N2   40\n(3 rows)\n"},
		{[]string{"query", "--format", "csv", q}, "site_id,idp_individuals\nNGA-N1,150\nNGA-N1,200\nNGA-N2,40\n"},
		{[]string{"query", "--format", "json", q + ";"}, "[\n{\"site_id\":\"NGA-N1\",\"idp_individuals\":150},\n{\"site_id\":\"NGA-N1\",\"idp_individuals\":200},\n{\"site_id\":\"NGA-N2\",\"idp_individuals\":40}\n]\n"},
		{[]string{"query", "--format", "jsonl", q}, "{\"site_id\":\"NGA-N1\",\"idp_individuals\":150}\n{\"site_id\":\"NGA-N1\",\"idp_individuals\":200}\n{\"site_id\":\"NGA-N2\",\"idp_individuals\":40}\n"},
	}
	for _, tc := range tests {
		stdout, errs, code := cli(t, wh, tc.args...)
		if code != 0 || stdout != tc.want {
			t.Errorf("%v: exit %d %s\ngot  %q\nwant %q", tc.args[:len(tc.args)-1], code, errs, stdout, tc.want)
		}
	}
	out := filepath.Join(dir, "q.parquet")
	if _, errs, code := cli(t, wh, "query", "--format", "parquet", "--out", out, q); code != 0 {
		t.Fatalf("parquet: exit %d %s", code, errs)
	}
	res := parquetQuery(t, wh, `SELECT count(*), sum(idp_individuals) FROM read_parquet(?)`, out)
	if got := strings.Join(rowToStrings(res.Rows[0]), ","); got != "3,390" {
		t.Errorf("parquet read back %s", got)
	}
	stdout, _, code := cli(t, wh, "query", "--explain", q)
	if code != 0 || !strings.Contains(stdout, "physical_plan:\n") || !strings.Contains(stdout, "ORDER_BY") || !strings.Contains(stdout, "\n│") {
		t.Errorf("explain: exit %d\n%s", code, stdout)
	}
	for _, bad := range []string{"SELEC 1", "SELECT nope FROM site_assessment", "SELECT * FROM no_such_view"} {
		_, errs, code := cli(t, wh, "query", bad)
		if code != 2 || !strings.Contains(errs, " Error: ") || strings.Contains(errs, "goroutine") {
			t.Errorf("%q: exit %d, stderr %q", bad, code, errs)
		}
	}
}

// TestExportSurveyFigureSuppressed shows a figure derived from flow_survey
// is exported through small-cell suppression, with --min-cell honoured.
func TestExportSurveyFigureSuppressed(t *testing.T) {
	wh := t.TempDir()
	if _, errs, code := cli(t, wh, "ingest", "--kind", "flow_survey", filepath.Join("..", "..", "testdata", "flow", "fms_kobo_en.csv")); code != 0 {
		t.Fatalf("ingest exit %d: %s", code, errs)
	}
	count := func(minCell string) (small, suppressed, rows int) {
		args := []string{"export", "survey-profile", "--format", "csv"}
		if minCell != "" {
			args = append(args, "--min-cell", minCell)
		}
		stdout, errs, code := cli(t, wh, args...)
		if code != 0 {
			t.Fatalf("export exit %d: %s", code, errs)
		}
		recs := readCSV(t, stdout)
		ci := col(t, recs[0], "respondents")
		for _, r := range recs[1:] {
			rows++
			switch v := r[ci]; v {
			case "":
				suppressed++
			case "0":
			default:
				if len(v) == 1 && v < "5" {
					small++
				}
			}
		}
		return small, suppressed, rows
	}
	small, suppressed, rows := count("")
	if rows == 0 || suppressed == 0 || small != 0 {
		t.Errorf("default threshold: %d rows, %d suppressed, %d published below 5", rows, suppressed, small)
	}
	small, suppressed, _ = count("1")
	if suppressed != 0 || small == 0 {
		t.Errorf("--min-cell 1: %d suppressed, %d small cells published", suppressed, small)
	}
}
