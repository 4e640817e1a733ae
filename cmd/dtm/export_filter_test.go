package main

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestExportDatasetFilters runs the built binary: `dtm export DATASET`
// takes --country, --round and --from/--to (on the dataset's date field,
// both days included) where the dataset has the fields, in text formats
// and in Parquet, and refuses a filter the dataset cannot take (exit 2,
// naming the filters it has).
func TestExportDatasetFilters(t *testing.T) {
	wh := t.TempDir()
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "figures", "*.csv"))
	if r := opsRun(t, nil, append([]string{"--warehouse", wh, "--quiet", "ingest", "--kind", "site_assessment"}, files...)...); r.code != 0 {
		t.Fatalf("ingest exit %d: %s", r.code, r.stderr)
	}
	// sites lists "site_id/round/date" of an export's rows, sorted.
	sites := func(args ...string) []string {
		t.Helper()
		r := opsRun(t, nil, append([]string{"--warehouse", wh, "--quiet", "export", "site_assessment", "--format", "csv"}, args...)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		recs := readCSV(t, r.stdout)
		id, round, date := col(t, recs[0], "site_id"), col(t, recs[0], "round"), col(t, recs[0], "assessment_date")
		var out []string
		for _, rec := range recs[1:] {
			out = append(out, rec[id]+"/"+rec[round]+"/"+rec[date])
		}
		sort.Strings(out)
		return out
	}
	all := sites()
	if len(all) != 9 {
		t.Fatalf("unfiltered export: %d rows %v, want the 9 of the fixtures", len(all), all)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--country", "NGA"}, "NGA-N1/4/2024-12-01 NGA-N1/5/2025-03-01 NGA-N2/5/2025-03-02"},
		{[]string{"--country", "Nigeria", "--round", "5"}, "NGA-N1/5/2025-03-01 NGA-N2/5/2025-03-02"},
		{[]string{"--round", "4"}, "NGA-N1/4/2024-12-01"},
		{[]string{"--from", "2025-03-01", "--to", "2025-03-02"}, "NGA-N1/5/2025-03-01 NGA-N2/5/2025-03-02"},
		{[]string{"--to", "2024-12-01"}, "NGA-N1/4/2024-12-01"},
		{[]string{"--country", "SSD", "--round", "4"}, ""},
	}
	for _, tc := range cases {
		if got := strings.Join(sites(tc.args...), " "); got != tc.want {
			t.Errorf("%v: rows %q, want %q", tc.args, got, tc.want)
		}
	}
	// Parquet (DuckDB's writer, then the GeoParquet points) is filtered alike.
	out := filepath.Join(t.TempDir(), "nga.parquet")
	if r := opsRun(t, nil, "--warehouse", wh, "--quiet", "export", "site_assessment", "--format", "parquet", "--out", out, "--country", "NGA", "--from", "2025-01-01"); r.code != 0 {
		t.Fatalf("parquet: exit %d: %s", r.code, r.stderr)
	}
	res := parquetQuery(t, wh, `SELECT string_agg(site_id || '/' || round, ' ' ORDER BY site_id), count(geometry) FROM read_parquet(?)`, out)
	if got := strings.Join(rowToStrings(res.Rows[0]), ","); got != "NGA-N1/5 NGA-N2/5,2" {
		t.Errorf("parquet rows %s", got)
	}
	dir := t.TempDir()
	refused := []struct {
		args []string
		msg  string
	}{
		{[]string{"site_assessment", "--admin-level", "2"}, "applies to figures"},
		{[]string{"site_assessment", "--param", "dimension=sex"}, "applies to figures"},
		{[]string{"flow_registry", "--round", "3"}, "--round does not apply to flow_registry: it has no round field (its filters: --country, --from, --to)"},
		{[]string{"site_assessment", "--round", "four"}, "--round must be a whole number"},
		{[]string{"site_assessment", "--from", "2025-13-01"}, "--from must be a date YYYY-MM-DD"},
		{[]string{"site_assessment", "--from", "2025-03-02", "--to", "2025-03-01"}, "--to 2025-03-01 is before --from 2025-03-02"},
		{[]string{"site_assessment", "--country", "Atlantis"}, "--country"},
		{[]string{"rejects", "--country", "NGA"}, "rejects are exported whole"},
	}
	for _, tc := range refused {
		args := append([]string{"--warehouse", wh, "export"}, tc.args...)
		args = append(args, "--out", filepath.Join(dir, "x.csv"))
		if r := opsRun(t, nil, args...); r.code != 2 || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%v: exit %d (%s), want 2 with %q", tc.args, r.code, r.stderr, tc.msg)
		}
	}
	if ents, _ := filepath.Glob(filepath.Join(dir, "*")); len(ents) != 0 {
		t.Errorf("refused exports wrote %v", ents)
	}
}
