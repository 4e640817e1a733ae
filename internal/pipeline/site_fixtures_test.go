package pipeline_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/internal/testutil"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// siteDir holds the site assessment fixtures, one per defect class of
// DTM_FORMATS.md ("Defects seen in real files") and per SADD shape.
var siteDir = filepath.Join("..", "..", "testdata", "site")

// siteRun is one fixture ingested into a fresh warehouse.
type siteRun struct {
	res *pipeline.RunResult
	db  *query.DB
}

// ingestSite runs the pipeline over files into a t.TempDir() warehouse and
// opens it with DuckDB.
func ingestSite(t *testing.T, files []string, country, sheet string, gazetteer map[string]string) siteRun {
	t.Helper()
	ctx := context.Background()
	wh := t.TempDir()
	var inputs []pipeline.Input
	for _, f := range files {
		in := pipeline.Input{Path: f, Kind: "site_assessment", Country: country}
		if sheet != "" {
			in.Sheets = []string{sheet}
		}
		inputs = append(inputs, in)
	}
	reg := schemas.Default()
	res, err := pipeline.Run(ctx, pipeline.Config{Warehouse: wh, Registry: reg, RunID: "site-fixtures", Gazetteer: gazetteer, MaxRejectRatio: 1}, inputs)
	if err != nil {
		t.Fatalf("pipeline run: %v", err)
	}
	for _, s := range res.Sources {
		if s.Status != pipeline.StatusCommitted {
			t.Fatalf("%s: status %s, errors %v", s.File, s.Status, s.Errors)
		}
		if s.RowsIn != s.RowsWritten+s.RowsRejected {
			t.Errorf("%s: rows in %d != written %d + rejected %d", s.File, s.RowsIn, s.RowsWritten, s.RowsRejected)
		}
	}
	db, err := query.Open(ctx, wh, reg)
	if err != nil {
		t.Fatalf("opening the warehouse: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return siteRun{res: res, db: db}
}

// rows runs a query and returns its rows as text ("" for NULL, lists as
// "[a b]").
func (r siteRun) rows(t *testing.T, stmt string) [][]string {
	t.Helper()
	res, err := r.db.Query(context.Background(), stmt)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	out := make([][]string, len(res.Rows))
	for i, row := range res.Rows {
		for _, v := range row {
			out[i] = append(out[i], asText(v))
		}
	}
	return out
}

// one runs a query returning one value.
func (r siteRun) one(t *testing.T, stmt string) string {
	t.Helper()
	rows := r.rows(t, stmt)
	if len(rows) != 1 || len(rows[0]) != 1 {
		t.Fatalf("%s: want one value, got %v", stmt, rows)
	}
	return rows[0][0]
}

func asText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.Format("2006-01-02")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = asText(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprint(v)
}

// codes counts the rejects by code, checking that every reject names its
// file, row (or is a whole-file one) and code.
func (r siteRun) codes(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, row := range r.rows(t, `SELECT file, sheet, "row", "column", code, severity FROM rejects`) {
		if row[0] == "" || row[4] == "" {
			t.Errorf("reject without file or code: %v", row)
		}
		out[row[4]]++
	}
	return out
}

// siteCheck is one SQL query over the warehouse and its expected text.
type siteCheck struct{ sql, want string }

type siteCase struct {
	name      string
	files     []string
	country   string
	sheet     string
	gazetteer map[string]string
	written   int64
	rejected  int64
	checks    []siteCheck
	// codes are reject counts by code that must match exactly (others may
	// appear unless noOther is set).
	codes   map[string]int
	noOther bool
}

func sitePath(name string) string { return filepath.Join(siteDir, name) }

func runSiteCase(t *testing.T, c siteCase) {
	t.Helper()
	r := ingestSite(t, c.files, c.country, c.sheet, c.gazetteer)
	if r.res.RowsWritten != c.written || r.res.RowsRejected != c.rejected {
		t.Errorf("written %d rejected %d, want %d and %d (sources %+v)", r.res.RowsWritten, r.res.RowsRejected, c.written, c.rejected, r.res.Sources)
	}
	for _, ch := range c.checks {
		if got := r.one(t, ch.sql); got != ch.want {
			t.Errorf("%s\n got %q\nwant %q", ch.sql, got, ch.want)
		}
	}
	got := r.codes(t)
	for code, n := range c.codes {
		if got[code] != n {
			t.Errorf("rejects %s: %d, want %d (all: %v)", code, got[code], n, got)
		}
	}
	if c.noOther {
		for code, n := range got {
			if _, ok := c.codes[code]; !ok {
				t.Errorf("unexpected rejects %s: %d", code, n)
			}
		}
	}
}

const siteSum = `SELECT CAST(sum(idp_individuals) AS VARCHAR) || '/' || CAST(coalesce(sum(idp_households), 0) AS VARCHAR) FROM site_assessment`

func TestSiteDefectFixtures(t *testing.T) {
	cases := []siteCase{
		{
			name: "1 title and banner rows above the header", files: []string{sitePath("d01_title_banner.csv")},
			written: 3, noOther: true,
			checks: []siteCheck{
				{siteSum, "9770/2150"},
				{`SELECT string_agg(admin2_pcode, ',' ORDER BY source_row) FROM site_assessment`, "NG008017,NG008012,NG002020"},
				{`SELECT min(source_row) FROM site_assessment`, "6"},
				{`SELECT CAST(min(assessment_date) AS VARCHAR) FROM site_assessment`, "2025-04-02"},
			},
		},
		{
			name: "2 HXL row tagging only some columns", files: []string{sitePath("d02_hxl_partial.csv")},
			written: 2, noOther: true,
			codes: map[string]int{schemas.CodePersonalData: 1}, // free-text remarks are never read
			checks: []siteCheck{
				{siteSum, "3758/808"},
				{`SELECT string_agg(admin1_name || ':' || admin2_name || ':' || round, ',' ORDER BY source_row) FROM site_assessment`, "Central Equatoria:Juba:38,Jonglei:Bor South:38"},
				{`SELECT min(source_row) FROM site_assessment`, "3"},
			},
		},
		{
			name: "3 broken HXL, admin2 name and code tags swapped", files: []string{sitePath("d03_broken_hxl.csv")},
			written: 3, noOther: true,
			checks: []siteCheck{
				{siteSum, "5254/1020"},
				{`SELECT string_agg(admin2_pcode || '=' || admin2_name, ',' ORDER BY source_row) FROM site_assessment`, "TD0701=Mamdi,TD0704=Kaya,TD0501=Kanem"},
				{`SELECT string_agg(admin1_name || '/' || admin1_pcode, ',' ORDER BY source_row) FROM site_assessment`, "Lac/TD07,Lac/TD07,Kanem/TD05"},
				{`SELECT string_agg(country_iso3, ',') FROM site_assessment`, "TCD,TCD,TCD"},
				{`SELECT CAST(max(assessment_date) AS VARCHAR) FROM site_assessment`, "2025-04-12"},
			},
		},
		{
			name: "4 HTML, multi-line, prefixed, duplicate headers, 300 trailing empty columns", files: []string{sitePath("d04_messy_headers.csv")},
			written: 2,
			codes:   map[string]int{schemas.CodeDuplicateHeader: 1},
			checks: []siteCheck{
				{siteSum, "1520/300"}, // the first "Total IDP (Individuals)" block is used
				{`SELECT string_agg(admin1_name || '/' || admin1_pcode || '/' || admin2_name || '/' || admin2_pcode || '/' || site_name, ',' ORDER BY source_row) FROM site_assessment`,
					"Unity/SS08/Rubkona/SS0805/Bentiu POC,Unity/SS08/Guit/SS0804/Guit town"},
			},
		},
		{
			name: "5 dates in every published form", files: []string{sitePath("d05_dates.csv")},
			written: 5, noOther: true,
			checks: []siteCheck{
				{`SELECT string_agg(CAST(assessment_date AS VARCHAR), ',' ORDER BY source_row) FROM site_assessment`,
					"2022-01-31,2022-04-30,2021-03-30,2021-03-30,2023-01-16"},
				{`SELECT string_agg(CAST(assessment_date_end AS VARCHAR), ',' ORDER BY source_row) FROM site_assessment`,
					"2022-01-31,2022-04-30,2021-03-30,2021-03-30,2023-01-23"},
				{`SELECT string_agg(coalesce(CAST(reporting_date AS VARCHAR), 'null'), ',' ORDER BY source_row) FROM site_assessment`,
					"2017-09-30,2021-11-26,2021-03-30,null,null"},
				{`SELECT sum(idp_individuals) FROM site_assessment`, "1500"},
			},
		},
		{
			name: "6 missing tokens and thousands separators (French)", files: []string{sitePath("d06_missing_numbers_fr.csv")},
			written: 4, noOther: true,
			checks: []siteCheck{
				{`SELECT string_agg(coalesce(CAST(idp_individuals AS VARCHAR), 'null'), ',' ORDER BY source_row) FROM site_assessment`, "5678,1234,2000,null"},
				{`SELECT string_agg(coalesce(CAST(idp_households AS VARCHAR), 'null'), ',' ORDER BY source_row) FROM site_assessment`, "1234,250,null,null"},
				{`SELECT string_agg(coalesce(CAST(host_individuals AS VARCHAR), 'null'), ',' ORDER BY source_row) FROM site_assessment`, "12500,null,null,null"},
				{`SELECT count(returnee_individuals) FROM site_assessment`, "0"},
			},
		},
		{
			name: "6 missing tokens and thousands separators (English)", files: []string{sitePath("d06_missing_numbers_en.csv")},
			written: 3, noOther: true,
			checks: []siteCheck{
				{`SELECT string_agg(coalesce(CAST(idp_individuals AS VARCHAR), 'null'), ',' ORDER BY source_row) FROM site_assessment`, "5678,12345,null"},
				{`SELECT string_agg(coalesce(CAST(returnee_individuals AS VARCHAR), 'null'), ',' ORDER BY source_row) FROM site_assessment`, "null,null,1000"},
			},
		},
		{
			name: "7 drifting categories and multi-valued reasons", files: []string{sitePath("d07_categories.csv")},
			written: 4,
			checks: []siteCheck{
				{`SELECT string_agg(coalesce(site_type, 'null'), ',' ORDER BY source_row) FROM site_assessment`, "rural,rural,urban,displacement_site"},
				{`SELECT string_agg(array_to_string(displacement_reasons, '|'), ',' ORDER BY source_row) FROM site_assessment WHERE displacement_reasons IS NOT NULL`,
					"Conflict|Drought,Communal clashes|Floods,Communal clashes"},
				{`SELECT count(displacement_reasons) FROM site_assessment`, "3"},
			},
		},
		{
			name: "7 KoboToolbox export: groups, options, system columns, geopoint", files: []string{sitePath("d07_kobo_export.csv")},
			country: "NGA", written: 2, noOther: true,
			codes: map[string]int{schemas.CodePersonalData: 4},
			checks: []siteCheck{
				{siteSum, "2390/0"},
				{`SELECT string_agg(site_id || ':' || site_name || ':' || site_type, ',' ORDER BY source_row) FROM site_assessment`,
					"SSID-0001:Kawuri:host_community,SSID-0002:Dalori:displacement_site"},
				{`SELECT string_agg(array_to_string(displacement_reasons, '|'), ',' ORDER BY source_row) FROM site_assessment`, "climate_floods|armed_conflict,armed_conflict"},
				{`SELECT CAST(round(sum(latitude), 4) AS VARCHAR) || ' ' || CAST(round(sum(longitude), 4) AS VARCHAR) FROM site_assessment`, "23.6211 26.361"},
				{`SELECT string_agg(admin1_pcode || '/' || admin2_pcode, ',' ORDER BY source_row) FROM site_assessment`, "NG008/NG008017,NG008/NG008012"},
			},
		},
		{
			name: "7 DTM m-codes", files: []string{sitePath("d07_mcodes.csv")},
			written: 2, noOther: true,
			checks: []siteCheck{
				{`SELECT sum(idp_individuals) || '/' || sum(returnee_internal_individuals) FROM site_assessment`, "4650/120"},
				{`SELECT string_agg(country_iso3 || ':' || admin2_pcode || ':' || site_id || ':' || site_type || ':' || round || ':' || round_label, ',' ORDER BY source_row) FROM site_assessment`,
					"ETH:ET0401:SSID-9001:camp:1:B2_01,ETH:ET0402:SSID-9002:dispersed:1:B2_01"},
				{`SELECT CAST(min(assessment_date) AS VARCHAR) FROM site_assessment`, "2023-11-10"},
			},
		},
		{
			name: "8 pseudo p-codes beside COD p-codes, with a gazetteer", files: []string{sitePath("d08_pseudo_pcodes.csv")},
			gazetteer: map[string]string{
				transform.GazetteerKey(1, "TD07"): "Lac", transform.GazetteerKey(1, "TD05"): "Kanem",
				transform.GazetteerKey(2, "TD0701"): "Mamdi", transform.GazetteerKey(2, "TD0704"): "Kaya",
				transform.GazetteerKey(2, "TD0799"): "Mani",
			},
			written: 8, noOther: true,
			codes: map[string]int{schemas.CodePseudoPcode: 2, schemas.CodeUnknownPcode: 2, schemas.CodePcodeShape: 1,
				schemas.CodePcodeHierarchy: 1, schemas.CodePcodeName: 1},
			checks: []siteCheck{
				{`SELECT string_agg(admin2_pcode, ',' ORDER BY source_row) FROM site_assessment`, "TD0701,TD0704,Temp03,DTM12,TD0701,TD0799,TD0702,TDX"},
				// name and hierarchy are judged on the whole file (warnings in
				// rejects at its end), so they are not among a row's flags.
				{`SELECT string_agg(array_to_string(pcode_flags, '|'), ',' ORDER BY source_row) FROM site_assessment WHERE pcode_flags IS NOT NULL AND len(pcode_flags) > 0`,
					"admin2_pcode:pseudo,admin2_pcode:pseudo,admin2_pcode:unknown,admin2_pcode:shape|admin2_pcode:unknown"},
				{`SELECT string_agg(code || '@' || "row", ',' ORDER BY "row") FROM rejects WHERE code IN ('pcode-name', 'pcode-hierarchy')`, "pcode-name@6,pcode-hierarchy@7"},
				{`SELECT sum(idp_individuals) FROM site_assessment`, "6300"},
			},
		},
		{
			name:    "9 encodings and delimiters",
			files:   []string{sitePath("d09_cp1252_semicolon.csv"), sitePath("d09_utf8_bom.csv"), sitePath("d09_utf16le_tab.txt")},
			written: 6, noOther: true,
			// 10/04/2025 and 11/04/2025: no date of the column proves the
			// order; read day-first (French headers), with a warning each.
			codes: map[string]int{schemas.CodeAmbiguousDate: 6},
			checks: []siteCheck{
				{`SELECT count(DISTINCT site_name || site_type || admin1_name) FROM site_assessment`, "2"},
				{`SELECT string_agg(DISTINCT site_name, ',' ORDER BY site_name) FROM site_assessment`, "Baga Sola,Kiskra"},
				{`SELECT string_agg(DISTINCT site_type, ',' ORDER BY site_type) FROM site_assessment`, "displacement_site,host_community"},
				{`SELECT sum(idp_individuals) || '/' || sum(idp_households) FROM site_assessment`, "10947/2097"},
				{`SELECT string_agg(DISTINCT country_iso3, ',') FROM site_assessment`, "TCD"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runSiteCase(t, c) })
	}
}

// saddBands renders the SADD cells of one row as "group/sex:min-max=count".
func saddBands(t *testing.T, r siteRun, row int) string {
	t.Helper()
	rows := r.rows(t, fmt.Sprintf(`SELECT s."group", s.sex, s.age_min, s.age_max, s.count FROM (SELECT unnest(sadd) AS s FROM site_assessment WHERE source_row = %d)`, row))
	var parts []string
	for _, c := range rows {
		p := c[1] + ":" + c[2] + "-" + c[3] + "=" + c[4]
		if c[0] != "" {
			p = c[0] + "/" + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

func TestSiteSADDShapes(t *testing.T) {
	cases := []struct {
		name, file, country string
		bands               string // row 2, as published
		total               string
		mismatchRow         string
	}{
		{"Chad", "sadd_chad.csv", "", "m:0-0=10 f:0-0=12 m:1-5=40 f:1-5=42 m:6-12=50 f:6-12=55 m:13-17=30 f:13-17=33 m:18-59=100 f:18-59=110 m:60-=8 f:60-=10 returnee/m:18-59=7 returnee/f:18-59=9", "500", "3"},
		{"Burundi", "sadd_burundi.csv", "BDI", "m:0-0=3 m:1-5=20 m:6-17=30 m:18-59=40 m:60-=7 f:0-0=4 f:1-5=22 f:6-17=28 f:18-59=44 f:60-=12", "210", "3"},
		{"Sudan", "sadd_sudan.csv", "SDN", "m:0-0=10 f:0-0=11 m:1-5=50 f:1-5=52 m:6-17=80 f:6-17=85 m:18-59=120 f:18-59=130 m:60-=20 f:60-=22", "580", "3"},
		{"Ukraine", "sadd_ukraine.csv", "UKR", "m:0-0=5 m:1-4=20 m:5-17=60 m:18-59=200 m:60-=50 f:0-0=6 f:1-4=22 f:5-17=58 f:18-59=230 f:60-=80", "731", "3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ingestSite(t, []string{sitePath(c.file)}, c.country, "", nil)
			if r.res.RowsWritten != 2 || r.res.RowsRejected != 0 {
				t.Fatalf("written %d rejected %d, want 2 and 0: %+v", r.res.RowsWritten, r.res.RowsRejected, r.res.Sources)
			}
			if got := saddBands(t, r, 2); got != c.bands {
				t.Errorf("bands of row 2:\n got %s\nwant %s", got, c.bands)
			}
			if got := r.one(t, `SELECT CAST(idp_individuals AS VARCHAR) FROM site_assessment WHERE source_row = 2`); got != c.total {
				t.Errorf("total %s, want %s", got, c.total)
			}
			mm := r.rows(t, `SELECT CAST("row" AS VARCHAR), severity, "column" FROM rejects WHERE code = 'sadd-sum-mismatch'`)
			if len(mm) != 1 || mm[0][0] != c.mismatchRow || mm[0][1] != "warning" || mm[0][2] == "" {
				t.Errorf("sadd-sum-mismatch rejects %v, want one warning on row %s naming its column", mm, c.mismatchRow)
			}
			// Never re-binned: the stored IDP bands sum exactly to the published cells.
			if got := r.one(t, `SELECT count(*) FROM site_assessment WHERE len(sadd) = 0`); got != "0" {
				t.Errorf("%s rows without SADD cells", got)
			}
		})
	}
}

// writeWorkbooks writes the XLSX fixtures into dir and returns their paths.
func writeWorkbooks(t *testing.T, dir string) (titled, multi string) {
	t.Helper()
	serial := func(y int, m time.Month, d int) float64 {
		return float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	}
	trailing := func(row []any) []any {
		for i := 0; i < 250; i++ {
			row = append(row, "")
		}
		return row
	}
	titled = filepath.Join(dir, "d01_d04_titled.xlsx")
	testutil.WriteXLSX(t, titled, []testutil.Sheet{{Name: "Site assessment R12", Rows: [][]any{
		{"DTM Tchad — Évaluation des sites, Round 12"},
		nil,
		{"DATE", "LOCALISATION", nil, nil, nil, "POPULATION"},
		trailing([]any{"A1. Date de l'évaluation", "Pays", "<b>Province</b>", "P-code admin 1\n(Province)", "Nom localité", "B1a. Nombre TOTAL de Ménages PDI actuels", "2.1.b.7: Personnes Déplacées Internes"}),
		trailing([]any{serial(2025, 4, 10), "Tchad", "Lac", "TD07", "Bol", 120, 600}),
		trailing([]any{time.Date(2025, 4, 11, 0, 0, 0, 0, time.UTC), "Tchad", "Lac", "TD07", "Baga", "1 234", "5 000"}),
		trailing([]any{"12/04/2025", "Tchad", "Lac", "TD07", "Kiskra", 10, 45}),
	}}})
	multi = filepath.Join(dir, "d10_sheets.xlsx")
	testutil.WriteXLSX(t, multi, []testutil.Sheet{
		{Name: "Read me", Rows: [][]any{{"Displacement Tracking Matrix — South Sudan"}, {"See the Data sheet. Contact: dtm@example.org"}}},
		{Name: "Summary", Rows: [][]any{{"State", "Total IDP (Individuals)"}, {"Unity", 1520}, {"Grand total", 1520}}},
		{Name: "Pivot", Rows: [][]any{{"Sum of IDPs", "Column Labels"}, {"Row Labels", "R37", "R38"}, {"Unity", 700, 820}}},
		{Name: "Data", Rows: [][]any{
			{"Country Code", "State", "State Pcode", "County", "County Pcode", "Site Name", "Round", "Total IDP (Individuals)", "Total IDP (Households)"},
			{"#country+code", "#adm1+name", "#adm1+code", "#adm2+name", "#adm2+code", "#loc+name", "#round+code", "#affected+idps+ind", "#affected+idps+hh"},
			{"SSD", "Unity", "SS08", "Rubkona", "SS0805", "Bentiu", "R38", 1050, 210},
			{"SSD", "Unity", "SS08", "Guit", "SS0804", "Guit", "R38", 470, 90},
		}},
		{Name: "metadata", Rows: [][]any{{"Column", "Description"}, {"Total IDP (Individuals)", "Number of IDPs"}, {"State Pcode", "COD p-code"}}},
	})
	return titled, multi
}

func TestSiteWorkbooks(t *testing.T) {
	titled, multi := writeWorkbooks(t, t.TempDir())
	t.Run("1 and 4 title rows, banner, cleaned headers, trailing columns, Excel serial dates", func(t *testing.T) {
		r := ingestSite(t, []string{titled}, "", "", nil)
		if r.res.RowsWritten != 3 || r.res.RowsRejected != 0 {
			t.Fatalf("written %d rejected %d: %+v", r.res.RowsWritten, r.res.RowsRejected, r.res.Sources)
		}
		for _, ch := range []siteCheck{
			{`SELECT string_agg(CAST(assessment_date AS VARCHAR), ',' ORDER BY source_row) FROM site_assessment`, "2025-04-10,2025-04-11,2025-04-12"},
			{siteSum, "5645/1364"},
			{`SELECT string_agg(DISTINCT admin1_name || '/' || admin1_pcode || '/' || country_iso3 || '/' || source_sheet, ',') FROM site_assessment`, "Lac/TD07/TCD/Site assessment R12"},
			{`SELECT min(source_row) FROM site_assessment`, "5"},
		} {
			if got := r.one(t, ch.sql); got != ch.want {
				t.Errorf("%s\n got %q\nwant %q", ch.sql, got, ch.want)
			}
		}
	})
	t.Run("10 several sheets: the data sheet is chosen", func(t *testing.T) {
		r := ingestSite(t, []string{multi}, "", "", nil)
		if got := r.res.Sources[0].Sheet; got != "Data" {
			t.Fatalf("sheet %q, want Data", got)
		}
		if got := r.one(t, siteSum); got != "1520/300" {
			t.Errorf("totals %s", got)
		}
		if got := r.one(t, `SELECT string_agg(DISTINCT source_sheet || ':' || round, ',') FROM site_assessment`); got != "Data:38" {
			t.Errorf("sheet and round %s", got)
		}
	})
	t.Run("10 --sheet overrides the choice; its rejects name the sheet", func(t *testing.T) {
		r := ingestSite(t, []string{multi}, "SSD", "Summary", nil)
		if got := r.res.Sources[0].Sheet; got != "Summary" {
			t.Fatalf("sheet %q, want Summary", got)
		}
		rows := r.rows(t, `SELECT DISTINCT sheet FROM rejects`)
		for _, row := range rows {
			if row[0] != "Summary" {
				t.Errorf("reject names sheet %q", row[0])
			}
		}
	})
}

// TestSiteFixturesNeverPanic runs every fixture through a validation run,
// as each dataset, and requires that each finishes with a result and that
// every reject names its file, row or whole file, and code.
func TestSiteFixturesNeverPanic(t *testing.T) {
	titled, multi := writeWorkbooks(t, t.TempDir())
	files, err := filepath.Glob(filepath.Join(siteDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, titled, multi)
	sort.Strings(files)
	for _, kind := range []string{"site_assessment", "displacement_admin"} {
		var inputs []pipeline.Input
		for _, f := range files {
			inputs = append(inputs, pipeline.Input{Path: f, Kind: kind})
		}
		res, err := pipeline.Run(context.Background(), pipeline.Config{Warehouse: t.TempDir(), Registry: schemas.Default(), RunID: "never-panic", DryRun: true, MaxRejectRatio: 1}, inputs)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		for _, s := range res.Sources {
			for _, e := range s.Errors {
				if strings.Contains(e, "internal error") {
					t.Errorf("%s as %s: %s", s.File, kind, e)
				}
			}
			for _, rj := range s.RejectSamples {
				if rj.File == "" || rj.Code == "" || rj.Severity == "" {
					t.Errorf("%s as %s: reject without file, code or severity: %+v", s.File, kind, rj)
				}
				if strings.HasSuffix(s.File, ".xlsx") && rj.Sheet == "" {
					t.Errorf("%s as %s: reject without sheet: %+v", s.File, kind, rj)
				}
			}
		}
	}
}
