package serve_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/serve"
)

// Load test knobs: DTM_SERVE_LOAD is the duration (default 2s, which
// `make test` runs; `make bench` runs 20s), DTM_SERVE_LOAD_CLIENTS the
// number of concurrent clients (default 32).
func loadParams(t *testing.T) (time.Duration, int) {
	d, clients := 2*time.Second, 32
	if v := os.Getenv("DTM_SERVE_LOAD"); v != "" {
		x, err := time.ParseDuration(v)
		if err != nil || x <= 0 || x > 5*time.Minute {
			t.Fatalf("DTM_SERVE_LOAD=%q: want a duration up to 5m", v)
		}
		d = x
	}
	if v := os.Getenv("DTM_SERVE_LOAD_CLIENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 256 {
			t.Fatalf("DTM_SERVE_LOAD_CLIENTS=%q: want 1..256", v)
		}
		clients = n
	}
	return d, clients
}

// writeLoadInputs writes the two load-test site files of step k: site
// LOAD-A with 1000+k IDPs and LOAD-B with 2000+k, both SSD round 1 in
// admin 1 SS01. A response mixing two steps is then visible: its two
// values differ from 1000 by different amounts.
func writeLoadInputs(t testing.TB, dir string, k int) []pipeline.Input {
	const header = "Country Code,State,State Pcode,County,County Pcode,Site ID,Site Name,Site Type,Latitude,Longitude,Round,Survey Date,Total IDP (Households),Total IDP (Individuals)\n"
	var in []pipeline.Input
	for i, site := range []string{"A", "B"} {
		p := filepath.Join(dir, "load_"+site+".csv")
		row := fmt.Sprintf("SSD,Central Equatoria,SS01,Juba,SS0101,LOAD-%s,Load %s,Camp,4.85,31.60,R1,2025-01-10,%d,%d\n",
			site, site, 10+i, 1000*(i+1)+k)
		if err := os.WriteFile(p, []byte(header+row), 0o644); err != nil {
			t.Fatal(err)
		}
		in = append(in, pipeline.Input{Path: p, Kind: "site_assessment", Source: "load"})
	}
	return in
}

// sample is one answered request of the load test.
type sample struct {
	latency time.Duration
	status  int
	gen     int64
	values  []int64 // idp_individuals of LOAD-A and LOAD-B (dataset) or their sum (figure)
	kind    string
	etag    string
	err     string
}

var etagGen = regexp.MustCompile(`^"g(\d+)-`)

// TestLoadWhileCommitting runs 32 clients against the real server on
// loopback while the pipeline commits a new generation of the served data
// in a loop. It requires no error and no mixed-generation answer (each
// response's values belong to the generation its ETag names) and reports
// latency percentiles, throughput and peak memory.
func TestLoadWhileCommitting(t *testing.T) {
	dur, clients := loadParams(t)
	wh := t.TempDir()
	inDir := t.TempDir()
	var mu sync.Mutex
	stepOf := map[int64]int{} // generation -> step k committed in it
	stepOf[ingest(t, wh, "load-0", writeLoadInputs(t, inDir, 0))] = 0
	srv := start(t, wh, serve.Options{MaxInFlight: 2 * clients})

	deadline := time.Now().Add(dur)
	stopCommits := make(chan struct{})
	commitsDone := make(chan int)
	go func() { // the nightly job, many times a second
		k := 0
		defer func() { commitsDone <- k }()
		for {
			select {
			case <-stopCommits:
				return
			default:
			}
			k++
			gen := ingest(t, wh, fmt.Sprintf("load-%d", k), writeLoadInputs(t, inDir, k))
			mu.Lock()
			stepOf[gen] = k
			mu.Unlock()
			time.Sleep(50 * time.Millisecond)
		}
	}()

	var peakHeap, peakRSS atomic.Uint64
	stopMem := make(chan struct{})
	var memWG sync.WaitGroup
	memWG.Add(1)
	go func() {
		defer memWG.Done()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peakHeap.Load() {
				peakHeap.Store(ms.HeapInuse)
			}
			if rss := vmRSS(); rss > peakRSS.Load() {
				peakRSS.Store(rss)
			}
			select {
			case <-stopMem:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()

	requests := []struct{ kind, path string }{
		{"figure-json", "/api/v1/figures/idps?country=SSD"},
		{"figure-csv", "/api/v1/figures/idps?country=SSD&format=csv"},
		{"dataset-jsonl", "/api/v1/datasets/site_assessment?country_iso3=SSD&format=jsonl"},
		{"dataset-json", "/api/v1/datasets/site_assessment?country_iso3=SSD&round=1"},
	}
	results := make([][]sample, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			lastTag := map[string]string{}
			for i := 0; time.Now().Before(deadline); i++ {
				rq := requests[(c+i)%len(requests)]
				var hdr []string
				if i%7 == 3 && lastTag[rq.path] != "" { // revalidate sometimes: 304 or the new generation
					hdr = append(hdr, "If-None-Match: "+lastTag[rq.path])
				}
				s := loadRequest(srv, rq.kind, rq.path, hdr)
				if s.status == 200 {
					lastTag[rq.path] = s.etag
				}
				results[c] = append(results[c], s)
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopCommits)
	commits := <-commitsDone
	close(stopMem)
	memWG.Wait()

	var all []sample
	for _, r := range results {
		all = append(all, r...)
	}
	var errs, mixed, notModified int
	var lat []time.Duration
	for _, s := range all {
		lat = append(lat, s.latency)
		switch {
		case s.err != "":
			errs++
			if errs <= 5 {
				t.Errorf("%s: %s", s.kind, s.err)
			}
			continue
		case s.status == 304:
			notModified++
			continue
		case s.status != 200:
			errs++
			if errs <= 5 {
				t.Errorf("%s: status %d", s.kind, s.status)
			}
			continue
		}
		mu.Lock()
		k, ok := stepOf[s.gen]
		mu.Unlock()
		if !ok {
			mixed++
			t.Errorf("%s: generation %d in the ETag was never committed", s.kind, s.gen)
			continue
		}
		var want []int64
		if strings.HasPrefix(s.kind, "figure") {
			want = []int64{int64(3000 + 2*k)}
		} else {
			want = []int64{int64(1000 + k), int64(2000 + k)}
		}
		if fmt.Sprint(s.values) != fmt.Sprint(want) {
			mixed++
			if mixed <= 5 {
				t.Errorf("%s: generation %d (step %d) answered %v, want %v", s.kind, s.gen, k, s.values, want)
			}
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	metrics := srv.get(t, "/metrics").body
	retries := metricValue(metrics, "dtm_serve_generation_retries_total")
	gens := map[int64]bool{}
	for _, s := range all {
		if s.status == 200 {
			gens[s.gen] = true
		}
	}
	t.Logf("load: %d clients, %s, %d requests (%d x 304), %.0f req/s, p50 %s, p99 %s, max %s, errors %d, mixed-generation answers %d, "+
		"generations committed %d, generations served %d, answered again after a commit %s, peak Go heap %d MiB, peak RSS %d MiB",
		clients, elapsed.Round(time.Millisecond), len(all), notModified, float64(len(all))/elapsed.Seconds(),
		pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond),
		errs, mixed, commits, len(gens), retries, peakHeap.Load()>>20, peakRSS.Load()>>20)
	if errs != 0 {
		for i, e := range srv.logs.FilterMessage("request failed").All() {
			if i < 3 {
				t.Logf("server: %v", e.ContextMap())
			}
		}
	}
	if errs != 0 || mixed != 0 {
		t.Fatalf("%d errors, %d mixed-generation answers", errs, mixed)
	}
	if commits < 2 || len(gens) < 2 {
		t.Errorf("only %d commits and %d generations served: the test did not exercise commits under load", commits, len(gens))
	}
}

// loadRequest makes one request and reads the load values from its body.
func loadRequest(srv *running, kind, path string, hdr []string) sample {
	s := sample{kind: kind}
	req, err := http.NewRequest(http.MethodGet, srv.url+path, nil)
	if err != nil {
		s.err = err.Error()
		return s
	}
	for _, h := range hdr {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	t0 := time.Now()
	resp, err := srv.client.Do(req)
	if err != nil {
		s.err = err.Error()
		s.latency = time.Since(t0)
		return s
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	s.latency = time.Since(t0)
	s.status = resp.StatusCode
	if err != nil {
		s.err = "reading body: " + err.Error()
		return s
	}
	if s.status != 200 {
		return s
	}
	s.etag = resp.Header.Get("ETag")
	m := etagGen.FindStringSubmatch(s.etag)
	if m == nil {
		s.err = "no generation ETag: " + resp.Header.Get("ETag")
		return s
	}
	s.gen, _ = strconv.ParseInt(m[1], 10, 64)
	switch kind {
	case "figure-json":
		var rows []struct {
			IDPs int64 `json:"idp_individuals"`
		}
		if err := json.Unmarshal(body, &rows); err != nil {
			s.err = err.Error()
			return s
		}
		var sum int64
		for _, r := range rows {
			sum += r.IDPs
		}
		s.values = []int64{sum}
	case "figure-csv":
		lines := strings.Split(strings.TrimSpace(string(body)), "\n")
		var sum int64
		for _, l := range lines[1:] {
			f := strings.Split(l, ",")
			n, err := strconv.ParseInt(f[len(f)-1], 10, 64)
			if err != nil {
				s.err = "csv: " + l
				return s
			}
			sum += n
		}
		s.values = []int64{sum}
	case "dataset-jsonl", "dataset-json":
		var rows []map[string]any
		if kind == "dataset-json" {
			if err := json.Unmarshal(body, &rows); err != nil {
				s.err = err.Error()
				return s
			}
		} else {
			sc := bufio.NewScanner(strings.NewReader(string(body)))
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				var m map[string]any
				if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
					s.err = err.Error()
					return s
				}
				rows = append(rows, m)
			}
		}
		vals := map[string]int64{}
		for _, r := range rows {
			n, _ := r["idp_individuals"].(float64)
			vals[fmt.Sprint(r["site_id"])] = int64(n)
		}
		if len(rows) != 2 {
			s.err = fmt.Sprintf("dataset: %d rows, want 2", len(rows))
			return s
		}
		s.values = []int64{vals["LOAD-A"], vals["LOAD-B"]}
	}
	return s
}

// vmRSS is the process's resident set size in bytes (0 when unknown).
func vmRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// metricValue is the value of an unlabelled series in Prometheus text.
func metricValue(text, name string) string {
	for _, l := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(l, name+" "); ok {
			return v
		}
	}
	return "?"
}
