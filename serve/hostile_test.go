package serve_test

import (
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/serve"
)

// TestHostileParameters sends SQL, path traversal, huge values and
// hostile unicode in every place a client controls (figure and dataset
// names, parameter names and values, format, Accept) and checks that each
// is refused or matches nothing, that no answer leaks a path, a stack, a
// DuckDB message or a file's content, and that the warehouse is unchanged.
func TestHostileParameters(t *testing.T) {
	wh := fixtureWarehouse(t)
	srv := start(t, wh, serve.Options{})
	before := treeState(t, wh)
	passwd, _ := os.ReadFile("/etc/passwd")

	values := []string{
		"SSD' OR '1'='1", "SSD'; DROP VIEW site_assessment; --", "'); COPY (SELECT 1) TO '/tmp/x.csv'; --",
		"1 UNION SELECT * FROM read_csv('/etc/passwd')", "read_text('/etc/passwd')", "$country", "?", "NULL",
		"../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "/etc/passwd", `..\..\windows\win.ini`, "file:///etc/passwd",
		strings.Repeat("9", 400), "99999999999999999999999", "-1", "1e309", "0x7fffffff", strings.Repeat("A", 190),
		"SS\u00adD", "ＳＳＤ", "\u202eDSS", "😀😀😀", "ssd\x00", "\xff\xfe", "İ", "%00", "\u0000",
		"<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}",
	}
	names := []string{"country", "admin_level", "round", "from", "to", "format", "limit", "offset",
		"location_code", "admin1_code", "output_format", "country_iso3", "site_name", "sql", "query", "../x"}
	paths := []string{"/api/v1/figures/idps", "/api/v1/figures/survey-profile", "/api/v1/affected-people/idps",
		"/api/v1/datasets/site_assessment", "/api/v1/runs"}
	var n int
	check := func(what string, resp response) {
		t.Helper()
		n++
		if resp.status >= 500 {
			t.Errorf("%s: status %d: %s", what, resp.status, clipBody(resp.body))
		}
		for _, leak := range []string{wh, "/tmp/", "goroutine", "panic", "Binder Error", "Parser Error", "IO Error", "duckdb", ".parquet", "root:x:"} {
			if strings.Contains(resp.body, leak) && !strings.Contains(what, leak) { // echoing the client's own text is not a leak
				t.Errorf("%s: body leaks %q: %s", what, leak, clipBody(resp.body))
			}
		}
		if len(passwd) > 0 && strings.Contains(resp.body, string(passwd[:min(len(passwd), 30)])) {
			t.Errorf("%s: body has /etc/passwd", what)
		}
	}
	for _, p := range paths {
		for _, name := range names {
			for _, v := range values {
				q := url.Values{name: {v}}.Encode()
				resp := srv.get(t, p+"?"+q)
				check(p+"?"+name+"="+v, resp)
				if resp.status == 200 && strings.Contains(p, "/figures/") && name == "country" {
					t.Errorf("%s?country=%q accepted", p, v)
				}
			}
		}
	}
	for _, v := range values {
		esc := url.PathEscape(v)
		check("figure "+v, srv.get(t, "/api/v1/figures/"+esc))
		check("dataset "+v, srv.get(t, "/api/v1/datasets/"+esc))
		check("accept "+v, srv.get(t, "/api/v1/figures/idps", "Accept: "+strings.ToValidUTF8(strings.ReplaceAll(v, "\x00", ""), "?")))
	}
	for _, raw := range []string{"/api/v1/datasets/..%2F_dtm%2Fmanifest.json", "/api/v1/datasets/../../etc/passwd",
		"/api/v1/figures/..%2F..%2Fetc%2Fpasswd", "/api/v1/figures/idps%00", "/api/v1/figures/%2e%2e", "/%2e%2e/%2e%2e/etc/passwd",
		"/api/v1/datasets/flow_survey%20", "/api/v1/datasets/Flow_Survey", "/api/v1/datasets/flow_survey?limit=1"} {
		resp := srv.get(t, raw)
		check(raw, resp)
		if resp.status == 200 {
			t.Errorf("%s: answered 200", raw)
		}
	}
	if after := treeState(t, wh); after != before {
		t.Errorf("hostile requests changed the warehouse:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	// The data are intact and still served.
	resp := srv.get(t, "/api/v1/datasets/site_assessment?format=csv").mustStatus(t, 200, "after the hostile requests")
	if rows := readCSV(t, resp.body); len(rows) != 10 {
		t.Errorf("site_assessment has %d rows after the hostile requests, want 9", len(rows)-1)
	}
	t.Logf("%d hostile requests", n)
}
