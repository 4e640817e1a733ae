package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// summaryHeader is a site assessment CSV with an HXL row, origins,
// reasons and SADD cells (the Sudan headers: a band per column).
var summaryHeader = []string{
	"Country Code,Admin 1,Admin 1 Pcode,Admin 2,Admin 2 Pcode,Admin 3,Admin 3 Pcode,Site ID,Site Name,Site Type,Round,Assessment Date,IDP Households,IDP Individuals,Displacement Reason,Origin State,Origin State Pcode,1-5M,1-5F,60+M,60+F",
	"#country+code,#adm1+name,#adm1+code,#adm2+name,#adm2+code,#adm3+name,#adm3+code,#loc+code,#loc+name,#loc+type,#round+code,#date+occurred,#affected+idps+hh,#affected+idps+ind,#cause+type,#adm1+name+origin,#adm1+code+origin,,,,",
}

// writeSummaryCSV writes n random site rows of the given country and
// rounds (seeded: the same arguments give the same file), with blanks in
// every optional column now and then.
func writeSummaryCSV(t *testing.T, path string, seed uint64, n int, country string, rounds []int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	pick := func(blankOneIn int, vals ...string) string {
		if rng.IntN(blankOneIn) == 0 {
			return ""
		}
		return vals[rng.IntN(len(vals))]
	}
	lines := append([]string(nil), summaryHeader...)
	for i := range n {
		a1 := rng.IntN(3) + 1
		a2 := rng.IntN(3) + 1
		cc := country[:2]
		a1p, a2p := fmt.Sprintf("%s%02d", cc, a1), fmt.Sprintf("%s%02d%02d", cc, a1, a2)
		a3p := pick(4, a2p+"01", a2p+"02")
		o := rng.IntN(3) + 1
		origin, originP := pick(3, fmt.Sprintf("Origin %d", o)), ""
		if origin != "" {
			originP = fmt.Sprintf("%s%02d", cc, o)
		}
		hh := rng.IntN(300)
		ind := hh*4 + rng.IntN(4)
		hhs := fmt.Sprint(hh)
		if rng.IntN(8) == 0 {
			hhs = ""
		}
		sadd := []string{"", "", "", ""}
		if rng.IntN(2) == 0 { // the bands add up to the individuals
			a, b, c := ind/4, ind/4, ind/4
			sadd = []string{fmt.Sprint(a), fmt.Sprint(b), fmt.Sprint(c), fmt.Sprint(ind - a - b - c)}
		}
		lines = append(lines, strings.Join(append([]string{
			country, fmt.Sprintf("State %d", a1), a1p, pick(10, fmt.Sprintf("County %d", a2), fmt.Sprintf("county %d", a2)), a2p,
			"", a3p, fmt.Sprintf("%s-%d-%d", country, seed, i), fmt.Sprintf("Site %d", i),
			pick(5, "Camp", "Host Community", "Collective Centre"),
			fmt.Sprint(rounds[rng.IntN(len(rounds))]), fmt.Sprintf("2025-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28)),
			hhs, fmt.Sprint(ind), `"` + pick(4, "Conflict", "Flood", "Conflict; Flood", "Flood; Conflict; Flood") + `"`,
			origin, originP,
		}, sadd...), ","))
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// summaryParams are the parameter sets each site figure is compared on
// (those a figure does not declare are left out); fewParams after each
// later change of the warehouse.
var summaryParams = []map[string]string{
	{},
	{"country": "ssd"},
	{"country": "NGA", "round": "6"},
	{"round": "2"},
	{"round": "99"},
	{"admin_level": "2"},
	{"admin_level": "3", "country": "SSD"},
	{"admin_level": "0"},
	{"from": "2025-03-01"}, // read from the rows either way
}

var fewParams = []map[string]string{{}, {"country": "sdn"}, {"round": "5"}}

// compareSummaryFigures runs every figure that has a summary variant on
// the warehouse, reading the summaries and reading the rows, and fails on
// any difference of columns, types or values. It returns how many result
// rows the site figures gave, by figure.
func compareSummaryFigures(t *testing.T, wh string, wantSummary bool, paramSets []map[string]string) map[string]int {
	t.Helper()
	ctx := context.Background()
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.HasFigureSummary() != wantSummary {
		t.Fatalf("HasFigureSummary = %v, want %v", db.HasFigureSummary(), wantSummary)
	}
	figs, err := query.Figures()
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int{}
	for _, f := range figs {
		if f.SummarySQL == "" {
			continue
		}
		declared := map[string]bool{}
		for _, p := range f.Params {
			declared[p.Name] = true
		}
		for _, ps := range paramSets {
			params := map[string]string{}
			for k, v := range ps {
				if declared[k] {
					params[k] = v
				}
			}
			if f.Name == "idp-trend" && params["admin_level"] == "" {
				params["admin_level"] = "2"
			}
			db.UseFigureSummary(true)
			got, gerr := db.Run(ctx, f, params, query.RunOptions{})
			db.UseFigureSummary(false)
			want, err := db.Run(ctx, f, params, query.RunOptions{})
			if err != nil || gerr != nil { // a parameter out of range: the same error both ways
				if err == nil || gerr == nil || err.Error() != gerr.Error() {
					t.Fatalf("%s %v: from the summary: %v; from the rows: %v", f.Name, params, gerr, err)
				}
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %v: the summary gives\n%v %v\n%v\nthe rows give\n%v %v\n%v", f.Name, params,
					got.Columns, got.Types, got.Rows, want.Columns, want.Types, want.Rows)
			}
			rows[f.Name] += len(want.Rows)
		}
	}
	return rows
}

func TestFigureSummaryEqualsRows(t *testing.T) {
	ctx := context.Background()
	dir, wh := t.TempDir(), t.TempDir()
	reg := schemas.Default()
	// run runs the files and checks which summaries it wrote and how: by
	// file, "go" (built as the rows were written) or "duckdb" (read back
	// from the files: committed sources).
	run := func(runID string, wantBy map[string]string, files ...string) {
		t.Helper()
		var inputs []pipeline.Input
		for _, f := range files {
			inputs = append(inputs, pipeline.Input{Path: filepath.Join(dir, f), Kind: "site_assessment"})
		}
		core, logs := observer.New(zap.DebugLevel)
		res, err := pipeline.Run(ctx, pipeline.Config{Warehouse: wh, Registry: reg, RunID: runID, MaxRejectRatio: 1, SummaryMinRows: 1,
			Logger: zap.New(core)}, inputs)
		by := map[string]string{}
		for _, e := range logs.FilterMessage("figure summary written").All() {
			f := e.ContextMap()
			by[filepath.Base(f["source"].(string))] = f["by"].(string)
		}
		if !reflect.DeepEqual(by, wantBy) {
			t.Errorf("run %s wrote summaries %v, want %v", runID, by, wantBy)
		}
		if err != nil {
			t.Fatalf("run %s: %v", runID, err)
		}
		for _, s := range res.Sources {
			if s.Status != pipeline.StatusCommitted && s.Status != pipeline.StatusUnchanged {
				t.Fatalf("run %s: %s: %s %v", runID, s.File, s.Status, s.Errors)
			}
		}
		if len(res.Notes) > 0 {
			t.Fatalf("run %s: notes %v", runID, res.Notes)
		}
	}
	writeSummaryCSV(t, filepath.Join(dir, "ssd.csv"), 1, 300, "SSD", []int{1, 2})
	writeSummaryCSV(t, filepath.Join(dir, "nga.csv"), 2, 200, "NGA", []int{5, 6})
	writeSummaryCSV(t, filepath.Join(dir, "sdn.csv"), 3, 150, "SDN", []int{3})
	run("r1", map[string]string{"ssd.csv": "go", "nga.csv": "go", "sdn.csv": "go"}, "ssd.csv", "nga.csv", "sdn.csv")
	rows := compareSummaryFigures(t, wh, true, summaryParams)
	for _, f := range []string{"idps", "idp-trend", "origins", "reasons", "sadd", "sites"} {
		if rows[f] == 0 {
			t.Errorf("figure %s gave no rows: the comparison proves nothing for it", f)
		}
	}

	// A corrected file (new content, same name) replaces its rows and its
	// summary; a new file adds a later SSD round.
	writeSummaryCSV(t, filepath.Join(dir, "nga.csv"), 22, 180, "NGA", []int{5, 6, 7})
	writeSummaryCSV(t, filepath.Join(dir, "ssd3.csv"), 4, 120, "SSD", []int{3})
	run("r2", map[string]string{"nga.csv": "go", "ssd3.csv": "go"}, "ssd.csv", "nga.csv", "sdn.csv", "ssd3.csv")
	compareSummaryFigures(t, wh, true, fewParams)

	// A removed file takes its summary with it.
	if _, err := pipeline.Remove(ctx, pipeline.Config{Warehouse: wh, Registry: reg, RunID: "r3", SummaryMinRows: 1}, []string{filepath.Join(dir, "ssd3.csv")}); err != nil {
		t.Fatal(err)
	}
	compareSummaryFigures(t, wh, true, fewParams)

	// A source below the summary threshold has none: the figures
	// aggregate its rows with the others' summaries.
	writeSummaryCSV(t, filepath.Join(dir, "ssd4.csv"), 6, 60, "SSD", []int{2, 4})
	if _, err := pipeline.Run(ctx, pipeline.Config{Warehouse: wh, Registry: reg, RunID: "r3b", MaxRejectRatio: 1, SummaryMinRows: 1000},
		[]pipeline.Input{{Path: filepath.Join(dir, "ssd4.csv"), Kind: "site_assessment"}}); err != nil {
		t.Fatal(err)
	}
	compareSummaryFigures(t, wh, true, summaryParams)

	// A warehouse written before summaries existed: the figures read the
	// rows; the next commit backfills every summary.
	stripSummaries(t, wh)
	compareSummaryFigures(t, wh, false, fewParams)
	writeSummaryCSV(t, filepath.Join(dir, "sdn2.csv"), 5, 90, "SDN", []int{3, 4})
	run("r4", map[string]string{"ssd.csv": "duckdb", "nga.csv": "duckdb", "sdn.csv": "duckdb", "ssd4.csv": "duckdb", "sdn2.csv": "go"},
		"ssd.csv", "nga.csv", "sdn.csv", "sdn2.csv")
	compareSummaryFigures(t, wh, true, fewParams)

	// A source that replaces site-rounds of others: the view compares
	// sources row by row, so the figures read the rows.
	writeSummaryCSV(t, filepath.Join(dir, "sdn_fix.csv"), 5, 40, "SDN", []int{4})
	if _, err := pipeline.Run(ctx, pipeline.Config{Warehouse: wh, Registry: reg, RunID: "r5", MaxRejectRatio: 1, SummaryMinRows: 1},
		[]pipeline.Input{{Path: filepath.Join(dir, "sdn_fix.csv"), Kind: "site_assessment", Replaces: "round"}}); err != nil {
		t.Fatal(err)
	}
	compareSummaryFigures(t, wh, false, fewParams)
}

// stripSummaries rewrites the warehouse's manifest without summaries, as
// a dtm before them wrote it.
func stripSummaries(t *testing.T, wh string) {
	t.Helper()
	p := filepath.Join(wh, "_dtm", "manifest.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, s := range m["sources"].(map[string]any) {
		delete(s.(map[string]any), "summary")
		delete(s.(map[string]any), "summary_version")
	}
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
