package serve_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/serve"
)

// TestHAPIIdps checks /api/v1/affected-people/idps against the hand-checked
// CSV that `dtm export hapi-idps --format csv` must equal
// (testdata/hapi/expected_hapi_idps.csv, see query's TestHAPIIdpsExport),
// its JSON {"data": [...]} shape, its filters and paging. The comparison
// with the CLI's export itself is in cmd/dtm (TestServeHAPIEqualsExport).
func TestHAPIIdps(t *testing.T) {
	srv := start(t, fixtureWarehouse(t), serve.Options{})
	want, err := os.ReadFile(filepath.Join("..", "testdata", "hapi", "expected_hapi_idps.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got := srv.get(t, "/api/v1/affected-people/idps?output_format=csv").mustStatus(t, 200, "hapi csv")
	if got.body != string(want) {
		t.Errorf("HAPI CSV differs from the export:\ngot:\n%s\nwant:\n%s", got.body, want)
	}
	wantRows := readCSV(t, string(want))
	header := wantRows[0]

	var doc struct {
		Data []map[string]any `json:"data"`
	}
	mustJSON(t, srv.get(t, "/api/v1/affected-people/idps?app_identifier=dGVzdDp0ZXN0").mustStatus(t, 200, "hapi json").body, &doc)
	if len(doc.Data) != len(wantRows)-1 {
		t.Fatalf("HAPI JSON: %d rows, want %d", len(doc.Data), len(wantRows)-1)
	}
	for i, row := range doc.Data {
		if len(row) != len(header) {
			t.Fatalf("HAPI JSON row %d has %d keys, want %v", i, len(row), header)
		}
		for j, col := range header {
			if text(row[col]) != wantRows[i+1][j] {
				t.Errorf("HAPI JSON row %d %s = %v, want %q", i, col, row[col], wantRows[i+1][j])
			}
		}
	}

	// Filters and paging select from the same rows.
	count := func(q string, keep func(r []string) bool) int {
		n := 0
		for _, r := range wantRows[1:] {
			if keep(r) {
				n++
			}
		}
		return n
	}
	cases := []struct {
		q    string
		keep func(r []string) bool
	}{
		{"location_code=som", func(r []string) bool { return r[0] == "SOM" }},
		{"location_code=NGA", func(r []string) bool { return false }},
		{"admin_level=2", func(r []string) bool { return r[5] == "2" }},
		{"admin1_code=" + wantRows[1][1], func(r []string) bool { return r[1] == wantRows[1][1] }},
		{"start_date=2024-04-01", func(r []string) bool { return r[10] >= "2024-04-01" }},
		{"end_date=2024-03-31", func(r []string) bool { return r[10] <= "2024-03-31" }},
	}
	for _, c := range cases {
		resp := srv.get(t, "/api/v1/affected-people/idps?output_format=csv&"+c.q).mustStatus(t, 200, c.q)
		if n, want := len(readCSV(t, resp.body))-1, count(c.q, c.keep); n != want {
			t.Errorf("%s: %d rows, want %d", c.q, n, want)
		}
	}
	page := srv.get(t, "/api/v1/affected-people/idps?output_format=csv&limit=2&offset=1").mustStatus(t, 200, "page")
	pr := readCSV(t, page.body)
	if len(pr) != 3 || strings.Join(pr[1], ",") != strings.Join(wantRows[2], ",") || strings.Join(pr[2], ",") != strings.Join(wantRows[3], ",") {
		t.Errorf("limit=2&offset=1: %v", pr)
	}
	for _, bad := range []string{"limit=0", "limit=10001", "offset=-1", "admin_level=3", "location_code=SOMALIA",
		"output_format=xml", "start_date=31/03/2024", "output_format=csv&format=csv", "round=15"} {
		srv.get(t, "/api/v1/affected-people/idps?"+bad).mustStatus(t, 400, bad)
	}
}

// text renders a JSON value as the CSV export writes it.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		b, _ := json.Marshal(x)
		return string(b)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
