package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/query/export"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// openFixture ingests the site fixtures of testdata/figures (South Sudan
// rounds 1-2, Nigeria rounds 4-5: 9 rows) and opens the warehouse.
func openFixture(t *testing.T) *query.DB {
	t.Helper()
	ctx := context.Background()
	wh := t.TempDir()
	var inputs []pipeline.Input
	for _, f := range []string{"ssd_sites_r1.csv", "ssd_sites_r2.csv", "nga_sites_r4_r5.csv"} {
		inputs = append(inputs, pipeline.Input{Path: filepath.Join("..", "..", "testdata", "figures", f), Kind: "site_assessment"})
	}
	res, err := pipeline.Run(ctx, pipeline.Config{Warehouse: wh, Registry: schemas.Default(), RunID: "export-test"}, inputs)
	if err != nil || res.RowsWritten != 9 {
		t.Fatalf("fixture run: %v, %d rows", err, res.RowsWritten)
	}
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustDataset(t *testing.T, name string) *schemas.Dataset {
	t.Helper()
	ds, err := schemas.Default().Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestNewPlanRefusesBadRequests(t *testing.T) {
	reg := schemas.Default()
	cases := []struct {
		name string
		req  export.Request
		msg  string
	}{
		{"unknown format", export.Request{Name: "idps", Format: "xls"}, "unknown --format"},
		{"parquet to stdout", export.Request{Name: "idps", Format: "parquet"}, "needs --out"},
		{"negative min-cell", export.Request{Name: "idps", Format: "csv", MinCell: -1}, "--min-cell"},
		{"unknown name", export.Request{Name: "nope", Format: "csv"}, "neither a figure nor a dataset"},
		{"raw microdata", export.Request{Name: "flow_survey", Format: "csv"}, "not exported raw"},
		{"undeclared figure parameter", export.Request{Name: "sites", Format: "csv", Params: map[string]string{"admin_level": "2"}}, `no parameter "admin_level"`},
		{"figure parameter on a dataset", export.Request{Name: "site_assessment", Format: "csv", Params: map[string]string{"admin_level": "2"}}, "--admin-level applies to figures"},
		{"filter the dataset lacks", export.Request{Name: "flow_registry", Format: "csv", Params: map[string]string{"round": "2"}}, "no round field"},
		{"country not a code", export.Request{Name: "site_assessment", Format: "csv", Params: map[string]string{"country": "ssd'--"}}, "alpha-3"},
		{"round not a number", export.Request{Name: "site_assessment", Format: "csv", Params: map[string]string{"round": "1 OR 1=1"}}, "whole number"},
		{"dates reversed", export.Request{Name: "site_assessment", Format: "csv", Params: map[string]string{"from": "2025-02-01", "to": "2025-01-01"}}, "before --from"},
		{"geojson without coordinates", export.Request{Name: "displacement_admin", Format: "geojson"}, "no latitude and longitude"},
		{"rejects as geojson", export.Request{Name: "rejects", Format: "geojson"}, "no coordinates"},
		{"rejects filtered", export.Request{Name: "rejects", Format: "csv", Params: map[string]string{"round": "1"}}, "exported whole"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := export.NewPlan(reg, tc.req)
			if err == nil {
				t.Fatalf("planned %+v", p)
			}
			if !errors.Is(err, export.ErrUsage) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v (usage: %v), want a usage error with %q", err, errors.Is(err, export.ErrUsage), tc.msg)
			}
		})
	}
}

func TestNewPlanKinds(t *testing.T) {
	reg := schemas.Default()
	p, err := export.NewPlan(reg, export.Request{Name: "survey-profile", Format: "csv"})
	if err != nil || p.Figure == nil || !p.Suppressed() {
		t.Errorf("survey-profile: %v, %+v", err, p)
	}
	p, err = export.NewPlan(reg, export.Request{Name: "idps", Format: "csv", Params: map[string]string{"country": "SSD"}})
	if err != nil || p.Figure == nil || p.Suppressed() {
		t.Errorf("idps: %v, %+v", err, p)
	}
	p, err = export.NewPlan(reg, export.Request{Name: "site_assessment", Format: "geojson", Out: "-", Params: map[string]string{"country": "SSD", "round": "2"}})
	if err != nil || p.Dataset == nil || p.Dataset.Name != "site_assessment" {
		t.Errorf("site_assessment: %v, %+v", err, p)
	}
	p, err = export.NewPlan(reg, export.Request{Name: "rejects", Format: "parquet", Out: "r.parquet"})
	if err != nil || !p.Rejects {
		t.Errorf("rejects: %v, %+v", err, p)
	}
}

// TestCheckFigure: a figure over a dataset with sensitive fields must
// declare suppression; other figures need not.
func TestCheckFigure(t *testing.T) {
	reg := schemas.Default()
	if err := export.CheckFigure(reg, query.Figure{Name: "toy", Dataset: "flow_survey"}); !errors.Is(err, export.ErrUsage) {
		t.Errorf("unsuppressed survey figure: %v", err)
	}
	if err := export.CheckFigure(reg, query.Figure{Name: "toy", Dataset: "flow_survey", Suppress: "respondents"}); err != nil {
		t.Errorf("suppressed survey figure: %v", err)
	}
	if err := export.CheckFigure(reg, query.Figure{Name: "toy", Dataset: "site_assessment"}); err != nil {
		t.Errorf("site figure: %v", err)
	}
}

func TestDateField(t *testing.T) {
	for ds, want := range map[string]string{"site_assessment": "assessment_date", "displacement_admin": "reporting_date", "flow_registry": "period_start", "flow_survey": "period_start"} {
		if got := export.DateField(mustDataset(t, ds)); got != want {
			t.Errorf("%s: date field %q, want %q", ds, got, want)
		}
	}
	if got := export.DateField(&schemas.Dataset{Name: "toy", Fields: []schemas.Field{{Name: "n", Kind: schemas.Int}}}); got != "" {
		t.Errorf("a dataset without dates: %q", got)
	}
}

func TestParseFilterAndStatement(t *testing.T) {
	ds := mustDataset(t, "site_assessment")
	f, err := export.ParseFilter(ds, map[string]string{"country": "SSD", "round": " 2 ", "from": "2025-01-01", "to": ""})
	if err != nil {
		t.Fatal(err)
	}
	stmt, args := export.DatasetStatement(ds, f)
	if !strings.HasSuffix(stmt, ` FROM "site_assessment" WHERE "country_iso3" = ? AND "round" = ? AND "assessment_date" >= ?`) {
		t.Errorf("statement %s", stmt)
	}
	if !strings.HasPrefix(stmt, `SELECT "`) || strings.Contains(stmt, "SSD") {
		t.Errorf("statement %s: values must be bound, not spliced", stmt)
	}
	want := []any{"SSD", int64(2), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	if !reflect.DeepEqual(args, want) {
		t.Errorf("args %#v, want %#v", args, want)
	}
	stmt, args = export.DatasetStatement(ds, export.Filter{})
	if strings.Contains(stmt, "WHERE") || len(args) != 0 {
		t.Errorf("no filter: %s %v", stmt, args)
	}
	if got := strings.Join(export.Filters(mustDataset(t, "flow_registry")), ","); got != "--country,--from,--to" {
		t.Errorf("flow_registry filters %s", got)
	}
}

// TestRunWritesFilteredRows runs plans against a fixture warehouse: a
// filtered dataset in CSV (streamed) and in GeoParquet, a figure in
// Parquet, all with a checked allocator that must end at zero, and a
// figure as GeoJSON, refused without touching an existing file.
func TestRunWritesFilteredRows(t *testing.T) {
	db := openFixture(t)
	ctx := context.Background()
	reg := schemas.Default()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opt := export.Options{Allocator: mem}

	p, err := export.NewPlan(reg, export.Request{Name: "site_assessment", Format: "csv", Params: map[string]string{"country": "NGA", "round": "5"}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	res, err := p.Run(ctx, db, &buf, opt)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 2 || len(recs) != 3 {
		t.Fatalf("%d rows counted, %d records", res.Rows, len(recs))
	}
	ci, ri := -1, -1
	for i, h := range recs[0] {
		switch h {
		case "country_iso3":
			ci = i
		case "round":
			ri = i
		}
	}
	for _, r := range recs[1:] {
		if r[ci] != "NGA" || r[ri] != "5" {
			t.Errorf("row of %s round %s, want NGA round 5", r[ci], r[ri])
		}
	}

	dir := t.TempDir()
	geo := filepath.Join(dir, "ssd.parquet")
	p, err = export.NewPlan(reg, export.Request{Name: "site_assessment", Format: "parquet", Out: geo, Params: map[string]string{"country": "SSD", "to": "2025-01-10"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Run(ctx, db, nil, opt); err != nil {
		t.Fatal(err)
	}
	got, err := db.Query(ctx, `SELECT string_agg(site_id, ' ' ORDER BY site_id), count(geometry) FROM read_parquet(?)`, geo)
	if err != nil {
		t.Fatal(err)
	}
	if s := sinks.FormatValue(got.Rows[0][0]) + "|" + sinks.FormatValue(got.Rows[0][1]); s != "SSD-S1 SSD-S2|2" {
		t.Errorf("geoparquet rows %s", s)
	}

	fig := filepath.Join(dir, "idps.parquet")
	p, err = export.NewPlan(reg, export.Request{Name: "idps", Format: "parquet", Out: fig, Params: map[string]string{"country": "NGA"}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := p.Run(ctx, db, nil, opt); err != nil || res.Rows < 1 {
		t.Fatalf("figure parquet: %v, %+v", err, res)
	}

	keep := filepath.Join(dir, "keep.geojson")
	if err := os.WriteFile(keep, []byte("good"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err = export.NewPlan(reg, export.Request{Name: "idps", Format: "geojson", Out: keep})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Run(ctx, db, nil, opt); !errors.Is(err, export.ErrUsage) {
		t.Errorf("idps as geojson: %v, want a usage error", err)
	}
	if b, _ := os.ReadFile(keep); string(b) != "good" {
		t.Errorf("the refused export touched the existing file: %q", b)
	}
}

// TestRunErrorPathsReleaseArrowMemory: exports that fail after the plan
// (a destination directory that does not exist, a cancelled context) leave
// no Arrow buffer outstanding and no file behind.
func TestRunErrorPathsReleaseArrowMemory(t *testing.T) {
	db := openFixture(t)
	reg := schemas.Default()
	dir := t.TempDir()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		req  export.Request
		ctx  context.Context
	}{
		{"dataset geoparquet, no such directory", export.Request{Name: "site_assessment", Format: "parquet", Out: filepath.Join(dir, "no", "s.parquet")}, context.Background()},
		{"figure parquet, no such directory", export.Request{Name: "idps", Format: "parquet", Out: filepath.Join(dir, "no", "f.parquet")}, context.Background()},
		{"dataset geoparquet, cancelled", export.Request{Name: "site_assessment", Format: "parquet", Out: filepath.Join(dir, "s.parquet")}, cancelled},
		{"dataset csv, no such directory", export.Request{Name: "site_assessment", Format: "csv", Out: filepath.Join(dir, "no", "s.csv")}, context.Background()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			p, err := export.NewPlan(reg, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Run(tc.ctx, db, nil, export.Options{Allocator: mem}); err == nil {
				t.Fatal("want an error")
			}
		})
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
}
