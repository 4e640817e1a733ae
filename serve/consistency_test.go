package serve_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/serve"
)

// TestConditionalAndNewGeneration checks ETag, Last-Modified,
// Cache-Control and 304, and that a commit is served from the next
// request on with a new ETag, without restart.
func TestConditionalAndNewGeneration(t *testing.T) {
	wh := fixtureWarehouse(t)
	srv := start(t, wh, serve.Options{})
	const path = "/api/v1/figures/idp-trend?country=SSD&format=csv"

	first := srv.get(t, path).mustStatus(t, 200, "first")
	tag := first.header.Get("ETag")
	if !strings.HasPrefix(tag, `"g1-`) {
		t.Fatalf("ETag %q, want generation 1", tag)
	}
	if first.header.Get("Last-Modified") == "" || !strings.Contains(first.header.Get("Cache-Control"), "max-age=60") {
		t.Errorf("headers %v", first.header)
	}
	again := srv.get(t, path).mustStatus(t, 200, "again")
	if again.header.Get("ETag") != tag || again.body != first.body {
		t.Errorf("same request, same generation: ETag %q vs %q", again.header.Get("ETag"), tag)
	}
	nm := srv.get(t, path, "If-None-Match: "+tag).mustStatus(t, 304, "If-None-Match")
	if nm.body != "" || nm.header.Get("ETag") != tag {
		t.Errorf("304: body %q, ETag %q", nm.body, nm.header.Get("ETag"))
	}
	srv.get(t, path, "If-None-Match: W/"+tag).mustStatus(t, 304, "weak If-None-Match")
	srv.get(t, path, `If-None-Match: "g0-x", `+tag).mustStatus(t, 304, "list If-None-Match")
	srv.get(t, path, "If-Modified-Since: "+first.header.Get("Last-Modified")).mustStatus(t, 304, "If-Modified-Since")
	other := srv.get(t, "/api/v1/figures/idp-trend?country=NGA&format=csv").mustStatus(t, 200, "other request")
	if other.header.Get("ETag") == tag {
		t.Error("different parameters share an ETag")
	}
	if j := srv.get(t, "/api/v1/figures/idp-trend?country=SSD").mustStatus(t, 200, "json"); j.header.Get("ETag") == tag {
		t.Error("different formats share an ETag")
	}
	// The catalogue and OpenAPI document revalidate too.
	cat := srv.get(t, "/api/v1/figures").mustStatus(t, 200, "catalogue")
	srv.get(t, "/api/v1/figures", "If-None-Match: "+cat.header.Get("ETag")).mustStatus(t, 304, "catalogue 304")

	// A new round of SSD is committed while the server runs.
	r3 := filepath.Join(t.TempDir(), "ssd_sites_r3.csv")
	b, err := os.ReadFile(filepath.Join("..", "testdata", "figures", "ssd_sites_r2.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if err := os.WriteFile(r3, []byte(strings.ReplaceAll(strings.Join(lines, "\n"), ",R2,", ",R3,")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond) // a distinct manifest modification time on coarse clocks
	gen := ingest(t, wh, "second-run", []pipeline.Input{{Path: r3, Kind: "site_assessment"}})
	if gen != 2 {
		t.Fatalf("second run generation %d", gen)
	}
	after := srv.get(t, path, "If-None-Match: "+tag).mustStatus(t, 200, "after commit")
	if !strings.HasPrefix(after.header.Get("ETag"), `"g2-`) || after.body == first.body {
		t.Errorf("after the commit: ETag %q, body unchanged %v", after.header.Get("ETag"), after.body == first.body)
	}
	if !strings.Contains(after.body, ",,3,3,") { // SSD, no admin columns, round 3, 3 sites
		t.Errorf("round 3 not served:\n%s", after.body)
	}
	ready := srv.get(t, "/readyz").mustStatus(t, 200, "readyz")
	if !strings.Contains(ready.body, `"generation": 2`) {
		t.Errorf("readyz after commit: %s", ready.body)
	}
	if resp := srv.get(t, "/metrics"); !strings.Contains(resp.body, "dtm_serve_generation 2") {
		t.Error("metrics do not show generation 2")
	}
}

// TestIdenticalRequestsShareOneAnswer checks that identical requests
// arriving together wait for the first one's answer (one query), and that
// all get the same body.
func TestIdenticalRequestsShareOneAnswer(t *testing.T) {
	rep := newBlockingReport()
	srv := start(t, fixtureWarehouse(t), serve.Options{Report: rep.render})
	got := make(chan response, 4)
	for i := 0; i < 4; i++ {
		go func() { got <- srv.get(t, "/report/SSD") }()
	}
	<-rep.entered
	time.Sleep(200 * time.Millisecond) // the other three are waiting, not rendering
	select {
	case <-rep.entered:
		t.Fatal("an identical request rendered the report again")
	default:
	}
	close(rep.release)
	var first string
	for i := 0; i < 4; i++ {
		resp := (<-got).mustStatus(t, 200, "shared answer")
		if i == 0 {
			first = resp.body
		} else if resp.body != first {
			t.Errorf("answer %d differs", i)
		}
	}
	if m := srv.get(t, "/metrics").body; !strings.Contains(m, "dtm_serve_cache_hits_total 3") {
		t.Error("the three waiting requests were not answered from the cache")
	}
}
