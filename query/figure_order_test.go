package query_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// TestFigureOrderIsTotal: rows that differ only in a column the figure
// groups by but a weak ORDER BY left out (an admin name under the same or
// no p-code, as in files with spelling variants or without codes) come in
// the order of that column, so an unchanged export is byte-identical.
func TestFigureOrderIsTotal(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	csv := "Country,Admin1 Pcode,Admin1,Admin2 Pcode,Admin2,Site ID,Site Name,Round,IDP Individuals,Origin Admin1\n" +
		// Names in reverse order under no p-code and under one p-code.
		"SSD,,Zeta,,Zeta West,S1,Site 1,3,10,Warrap\n" +
		"SSD,,Mid,,Mid West,S2,Site 2,3,10,Warrap\n" +
		"SSD,,Alpha,,Alpha West,S3,Site 3,3,10,Warrap\n" +
		"SSD,SS01,Upper-Nile,SS0101,Renk,S4,Site 4,3,10,Warrap\n" +
		"SSD,SS01,Upper Nile,SS0101,Renk,S5,Site 5,3,10,Warrap\n" +
		"SSD,SS01,Upper Nile,SS0101,Renk-Town,S6,Site 6,3,10,Warrap\n"
	path := filepath.Join(dir, "ssd_r3.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	wh := filepath.Join(dir, "wh")
	reg := schemas.Default()
	res, err := pipeline.Run(ctx, pipeline.Config{Warehouse: wh, Registry: reg, RunID: "order"},
		[]pipeline.Input{{Path: path, Kind: "site_assessment"}})
	if err != nil || res.RowsWritten != 6 {
		t.Fatalf("ingest: %v, %d rows written (%+v)", err, res.RowsWritten, res.Sources)
	}
	db, err := query.Open(ctx, wh, reg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		figure string
		params map[string]string
		cols   []string
	}{
		{"idps", map[string]string{"admin_level": "1"}, []string{"admin1_pcode", "admin1_name"}},
		{"idps", map[string]string{"admin_level": "2"}, []string{"admin1_pcode", "admin1_name", "admin2_pcode", "admin2_name"}},
		{"idp-trend", map[string]string{"admin_level": "2"}, []string{"admin1_pcode", "admin1_name", "admin2_pcode", "admin2_name"}},
		{"origins", map[string]string{"admin_level": "2"}, []string{"admin1_pcode", "admin1_name", "admin2_pcode", "admin2_name"}},
	} {
		rows := runFigure(t, db, c.figure, c.params)
		keys := make([]string, len(rows))
		for i, r := range rows {
			k := pick(r, c.cols)
			for j, v := range k {
				if v == "" {
					k[j] = "\uffff" // NULLS LAST
				}
			}
			keys[i] = strings.Join(k, "|")
		}
		if !sort.StringsAreSorted(keys) {
			t.Errorf("%s %v: rows not in the order of %v:\n%s", c.figure, c.params, c.cols, strings.Join(keys, "\n"))
		}
		seen := map[string]bool{}
		for _, k := range keys {
			if seen[k] {
				t.Errorf("%s %v: two rows share %s", c.figure, c.params, k)
			}
			seen[k] = true
		}
	}
}
