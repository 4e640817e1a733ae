package query_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// TestHAPIIdpsExport ingests saved DTM API responses (testdata/hapi) and
// compares the hapi-idps export with a hand-checked CSV: reasons and
// origins summed, a re-published response flagged "Duplicate row", a pseudo
// p-code and an admin2 code outside its admin1 warned. Re-ingesting the
// same responses leaves the warehouse unchanged.
func TestHAPIIdpsExport(t *testing.T) {
	dir := filepath.Join("..", "testdata", "hapi")
	var inputs []pipeline.Input
	for _, f := range []string{"som_admin1.json", "som_admin2.json", "som_admin1_republished.json"} {
		inputs = append(inputs, pipeline.Input{Path: filepath.Join(dir, f), Kind: "displacement_admin"})
	}
	wh := t.TempDir()
	ctx := context.Background()
	cfg := pipeline.Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r1", Command: "test"}
	res, err := pipeline.Run(ctx, cfg, inputs)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("ingest: exit %d, err %v, %+v", res.ExitCode, err, res.Sources)
	}
	got := hapiCSV(t, ctx, wh)
	want, err := os.ReadFile(filepath.Join(dir, "expected_hapi_idps.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("hapi-idps export differs from the hand-checked CSV\ngot:\n%s\nwant:\n%s", got, want)
	}

	before, err := os.ReadFile(filepath.Join(wh, "_dtm", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RunID = "r2"
	res, err = pipeline.Run(ctx, cfg, inputs)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("re-ingest: exit %d, err %v", res.ExitCode, err)
	}
	for _, s := range res.Sources {
		if s.Status != pipeline.StatusUnchanged || s.RowsWritten != 0 {
			t.Errorf("re-ingest of %s: status %s, %d rows written; want unchanged", s.File, s.Status, s.RowsWritten)
		}
	}
	after, _ := os.ReadFile(filepath.Join(wh, "_dtm", "manifest.json"))
	if !bytes.Equal(before, after) {
		t.Error("re-ingesting the same responses changed the manifest")
	}
	if again := hapiCSV(t, ctx, wh); !bytes.Equal(again, got) {
		t.Errorf("re-ingest changed the figure:\n%s", again)
	}
}

func hapiCSV(t *testing.T, ctx context.Context, wh string) []byte {
	t.Helper()
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fig, err := query.LookupFigure("hapi-idps")
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.Run(ctx, fig, nil, query.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sinks.WriteCSV(&buf, &sinks.Table{Columns: r.Columns, Rows: r.Rows}, false); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestAPIIdpsHXL checks that api-idps publishes HDX's DTM API columns with
// one HXL tag per column, in HDX's order.
func TestAPIIdpsHXL(t *testing.T) {
	fig, err := query.LookupFigure("api-idps")
	if err != nil {
		t.Fatal(err)
	}
	wh := t.TempDir()
	ctx := context.Background()
	in := pipeline.Input{Path: filepath.Join("..", "testdata", "hapi", "som_admin1.json"), Kind: "displacement_admin"}
	if _, err := pipeline.Run(ctx, pipeline.Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r1"}, []pipeline.Input{in}); err != nil {
		t.Fatal(err)
	}
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.Run(ctx, fig, nil, query.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fig.HXL) != len(r.Columns) || len(r.Rows) != 6 {
		t.Fatalf("%d HXL tags for %d columns, %d rows", len(fig.HXL), len(r.Columns), len(r.Rows))
	}
	want := map[string]string{"numPresentIdpInd": "#affected+idps", "admin1Pcode": "#adm1+code", "assessmentType": "#assessment+type", "adminLevel": "#adm+level"}
	for i, c := range r.Columns {
		if tag, ok := want[c]; ok && fig.HXL[i] != tag {
			t.Errorf("column %s tagged %s, want %s", c, fig.HXL[i], tag)
		}
	}
}
