package query_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/query"
)

// hostileValues are parameter values an attacker might try: SQL injection,
// path traversal, COPY to a file, control characters and very long strings.
var hostileValues = []string{
	`'`,
	`"`,
	`SSD'; DROP VIEW site_assessment; --`,
	`1; DROP VIEW site_assessment`,
	`' OR '1'='1`,
	`SSD' UNION SELECT * FROM runs --`,
	`$country`,
	`?`,
	`); COPY (SELECT 1) TO 'pwned.csv'; --`,
	`'; COPY (SELECT 1) TO 'pwned.csv'; --`,
	`../../../../etc/passwd`,
	`/tmp/pwned.parquet`,
	`read_parquet('../../x.parquet')`,
	"\x00",
	"SSD\nSSD",
	"=cmd|' /C calc'!A0",
	strings.Repeat("A", 999),
	strings.Repeat("'", 1000),
	strings.Repeat("x", 1001),
	strings.Repeat("'; DROP VIEW site_assessment; --", 10000),
	"2025-01-01'; --",
	"-1",
	"99999999999999999999999",
}

// TestHostileParams feeds every hostile value to every declared parameter
// of every figure (including figures added later). Each run must either
// fail with ErrBadParam or succeed with the value treated as a value: the
// views are intact afterwards and no file is created anywhere we can see.
func TestHostileParams(t *testing.T) {
	db, wh := openFixture(t)
	cwd := t.TempDir()
	t.Chdir(cwd)
	before := listFiles(t, wh)
	figs, err := query.Figures()
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) < 6 {
		t.Fatalf("only %d figures", len(figs))
	}
	ctx := context.Background()
	baseline := map[string]int{}
	for _, fig := range figs {
		res, err := db.Run(ctx, fig, nil, query.RunOptions{})
		if err != nil {
			// A figure whose protection is not available may fail closed;
			// it must still do so for every hostile value (checked below).
			baseline[fig.Name] = -1
			continue
		}
		baseline[fig.Name] = len(res.Rows)
	}
	runs := 0
	for _, fig := range figs {
		for _, p := range fig.Params {
			for _, v := range hostileValues {
				runs++
				res, err := db.Run(ctx, fig, map[string]string{p.Name: v}, query.RunOptions{})
				label := fig.Name + " --" + p.Name + " " + short(v)
				switch {
				case err != nil && errors.Is(err, query.ErrBadParam):
					if p.Type == "VARCHAR" && len(v) <= 1000 {
						t.Errorf("%s: text value refused: %v", label, err)
					}
				case err != nil:
					if baseline[fig.Name] >= 0 {
						t.Errorf("%s: %v (want ErrBadParam or rows)", label, err)
					}
				case p.Type == "VARCHAR" && p.Name == "country":
					// No country is called that: the value matched nothing.
					if len(res.Rows) != 0 {
						t.Errorf("%s: %d rows, want 0 (value must match no country)", label, len(res.Rows))
					}
				}
			}
		}
		// No value was ever spliced in: the views still exist and hold
		// the fixture (a DROP or DELETE would show here).
		if n := countRows(t, db, "site_assessment"); n != 9 {
			t.Fatalf("%s: site_assessment has %d rows afterwards, want 9", fig.Name, n)
		}
	}
	if runs == 0 {
		t.Fatal("no parameter was exercised")
	}
	for _, view := range []string{"site_assessment", "displacement_admin", "rejects", "runs"} {
		if _, err := db.Query(ctx, `SELECT count(*) FROM `+view); err != nil {
			t.Errorf("view %s gone: %v", view, err)
		}
	}
	if got := listFiles(t, cwd); len(got) != 0 {
		t.Errorf("files created in the working directory: %v", got)
	}
	if after := listFiles(t, wh); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Errorf("warehouse changed:\nbefore %v\nafter  %v", before, after)
	}
	for _, p := range []string{"/tmp/pwned.parquet", filepath.Join(filepath.Dir(cwd), "pwned.csv")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s exists", p)
		}
	}
}

// TestHostileCountryMatchesNothing checks the text parameter is compared as
// a value: the classic tautology returns no rows rather than every row.
func TestHostileCountryMatchesNothing(t *testing.T) {
	db, _ := openFixture(t)
	for _, name := range []string{"idps", "sites", "reasons", "origins", "sadd", "idp-trend"} {
		rows := runFigure(t, db, name, map[string]string{"country": `' OR '1'='1`})
		if len(rows) != 0 {
			t.Errorf("%s: %d rows for a tautology country", name, len(rows))
		}
	}
}

func countRows(t *testing.T, db *query.DB, view string) int64 {
	t.Helper()
	res, err := db.Query(context.Background(), `SELECT count(*) FROM `+view)
	if err != nil {
		t.Fatalf("counting %s: %v", view, err)
	}
	n, _ := res.Rows[0][0].(int64)
	return n
}

func listFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != root {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
