package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// runCLI runs the dtm command line in-process and returns its exit code.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(&out, &errb)
	root := a.root()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	err := root.ExecuteContext(context.Background())
	return out.String(), errb.String(), a.exitCode(err)
}

// readGolden reads a CSV golden file into "k1|k2|...": row maps keyed by
// the first n columns.
func readGolden(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

// TestGoldenSampleRun runs the bundled example job and compares the
// warehouse, read back three ways (dtm's views, the idps figure, plain
// DuckDB over the Parquet with hive partitioning), with totals computed by
// hand from the sample files (testdata/golden/sample_idps_admin1.csv).
func TestGoldenSampleRun(t *testing.T) {
	wh := filepath.Join(t.TempDir(), "wh")
	out, errOut, code := runCLI(t, "run", "--warehouse", wh, "--log-format", "json")
	if code != 0 {
		t.Fatalf("dtm run exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"committed", "IDPs by country", "Central Equatoria"} {
		if !strings.Contains(out, want) {
			t.Errorf("run output lacks %q:\n%s", want, out)
		}
	}
	golden := readGolden(t, filepath.Join("..", "..", "testdata", "golden", "sample_idps_admin1.csv"))
	want := map[string]string{}
	for _, g := range golden {
		want[strings.Join(g[:4], "|")] = strings.Join(g[4:], "|")
	}

	// 1. dtm's views.
	ctx := context.Background()
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Query(ctx, `SELECT country_iso3, admin1_pcode, admin1_name, round, count(*), sum(idp_households), sum(idp_individuals)
		FROM site_assessment GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	compareTotals(t, "dtm view", rowsToStrings(res.Rows), want)

	// 2. The idps figure, round by round (its default round may be the latest).
	fig, err := query.LookupFigure("idps")
	if err != nil {
		t.Fatal(err)
	}
	var figRows [][]string
	for _, rnd := range []string{"12", "37", "38"} {
		r, err := db.Run(ctx, fig, map[string]string{"round": rnd, "admin_level": "1"}, query.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		col := columnIndex(r.Columns)
		for _, row := range r.Rows {
			figRows = append(figRows, []string{fmt.Sprint(row[col["country_iso3"]]), fmt.Sprint(row[col["admin1_pcode"]]),
				fmt.Sprint(row[col["admin1_name"]]), fmt.Sprint(row[col["round"]]), fmt.Sprint(row[col["sites"]]),
				fmt.Sprint(row[col["idp_households"]]), fmt.Sprint(row[col["idp_individuals"]])})
		}
	}
	compareTotals(t, "idps figure", figRows, want)

	// 3. Plain DuckDB, as any analyst would read the warehouse.
	plain, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	rows, err := plain.Query(fmt.Sprintf(`SELECT country_iso3, admin1_pcode, admin1_name, round, count(*), sum(idp_households), sum(idp_individuals)
		FROM read_parquet('%s/site_assessment/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`, wh))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plainRows [][]string
	for rows.Next() {
		v := make([]any, 7)
		p := make([]any, 7)
		for i := range v {
			p[i] = &v[i]
		}
		if err := rows.Scan(p...); err != nil {
			t.Fatal(err)
		}
		plainRows = append(plainRows, rowToStrings(v))
	}
	compareTotals(t, "plain duckdb", plainRows, want)

	// Accounting: rows in = written + rejected, per file, in the run results.
	res, err = db.Query(ctx, `SELECT s.rows_in, s.rows_written, s.rows_rejected, s.file
		FROM (SELECT unnest(from_json(sources, '[{"file":"VARCHAR","rows_in":"BIGINT","rows_written":"BIGINT","rows_rejected":"BIGINT"}]')) AS s FROM runs)`)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 3 {
		t.Fatalf("runs view: want 3 sources, got %d", len(res.Rows))
	}
	for _, r := range res.Rows {
		in, w, rej := r[0].(int64), r[1].(int64), r[2].(int64)
		if in != w+rej {
			t.Errorf("%v: rows_in %d != written %d + rejected %d", r[3], in, w, rej)
		}
	}

	// A second run changes nothing and says so.
	out, _, code = runCLI(t, "run", "--warehouse", wh, "--log-format", "json")
	if code != 0 || strings.Count(out, "unchanged") != 3 {
		t.Fatalf("re-run: exit %d, want 3 unchanged inputs:\n%s", code, out)
	}
}

func compareTotals(t *testing.T, what string, got [][]string, want map[string]string) {
	t.Helper()
	seen := map[string]bool{}
	for _, g := range got {
		k, v := strings.Join(g[:4], "|"), strings.Join(g[4:], "|")
		seen[k] = true
		if want[k] != v {
			t.Errorf("%s: %s = %s, want %q", what, k, v, want[k])
		}
	}
	var missing []string
	for k := range want {
		if !seen[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%s: missing %v", what, missing)
	}
}

func rowsToStrings(rows [][]any) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = rowToStrings(r)
	}
	return out
}

func rowToStrings(r []any) []string {
	s := make([]string, len(r))
	for i, v := range r {
		s[i] = fmt.Sprint(v)
	}
	return s
}

func columnIndex(cols []string) map[string]int {
	m := map[string]int{}
	for i, c := range cols {
		m[c] = i
	}
	return m
}
