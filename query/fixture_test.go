package query_test

import (
	"context"
	"fmt"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// fixtureFiles are the site assessment fixtures of testdata/figures: South
// Sudan rounds 1 and 2 (sites S1-S4, S3 only in round 1, S4 only in round 2)
// and Nigeria rounds 4 and 5 (N1 in both, N2 only in round 5).
var fixtureFiles = []string{"ssd_sites_r1.csv", "ssd_sites_r2.csv", "nga_sites_r4_r5.csv"}

// openFixture ingests the fixtures into a fresh warehouse with the pipeline
// and opens it. It returns the DB and the warehouse directory.
func openFixture(t *testing.T) (*query.DB, string) {
	t.Helper()
	ctx := context.Background()
	wh := t.TempDir()
	var inputs []pipeline.Input
	for _, f := range fixtureFiles {
		inputs = append(inputs, pipeline.Input{
			Path: filepath.Join("..", "testdata", "figures", f), Kind: "site_assessment", Source: "fixture",
		})
	}
	reg := schemas.Default()
	res, err := pipeline.Run(ctx, pipeline.Config{Warehouse: wh, Registry: reg, RunID: "test-run"}, inputs)
	if err != nil {
		t.Fatalf("pipeline run: %v", err)
	}
	for _, s := range res.Sources {
		if s.RowsRejected != 0 || s.Status != pipeline.StatusCommitted {
			t.Fatalf("fixture %s: status %s, %d rejected, errors %v", s.File, s.Status, s.RowsRejected, s.Errors)
		}
	}
	if res.RowsWritten != 9 {
		t.Fatalf("fixture rows written = %d, want 9", res.RowsWritten)
	}
	db, err := query.Open(ctx, wh, reg)
	if err != nil {
		t.Fatalf("opening warehouse: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, wh
}

// runFigure runs a figure by name and returns its rows as text, keyed by
// column name.
func runFigure(t *testing.T, db *query.DB, name string, params map[string]string) []map[string]string {
	t.Helper()
	fig, err := query.LookupFigure(name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.Run(context.Background(), fig, params, query.RunOptions{})
	if err != nil {
		t.Fatalf("figure %s %v: %v", name, params, err)
	}
	out := make([]map[string]string, len(res.Rows))
	for i, r := range res.Rows {
		m := map[string]string{}
		for j, c := range res.Columns {
			m[c] = text(r[j])
		}
		out[i] = m
	}
	return out
}

// text renders a driver value for comparison ("" for NULL).
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case *big.Int:
		return x.String()
	case time.Time:
		return x.Format("2006-01-02")
	case float64:
		return fmt.Sprintf("%g", x)
	}
	return fmt.Sprint(v)
}

// expectRows compares the given columns of the rows, in order.
func expectRows(t *testing.T, got []map[string]string, cols []string, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d rows, want %d:", len(got), len(want))
		for _, g := range got {
			t.Errorf("  %v", pick(g, cols))
		}
		return
	}
	for i, w := range want {
		g := pick(got[i], cols)
		for j := range cols {
			if g[j] != w[j] {
				t.Errorf("row %d: %s = %q, want %q (row %v)", i, cols[j], g[j], w[j], g)
			}
		}
	}
}

func pick(m map[string]string, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		v, ok := m[c]
		if !ok {
			v = "<no column " + c + ">"
		}
		out[i] = v
	}
	return out
}
