package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPlanSizes: an input is read before it is hashed only when its size
// is its own in the ledger's sources of its dataset (all of known size)
// and in the run's inputs of its dataset.
func TestPlanSizes(t *testing.T) {
	dir := t.TempDir()
	file := func(name string, n int) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, []byte(strings.Repeat("x", n)))
		return p
	}
	a, b, c, d := file("a.csv", 10), file("b.csv", 20), file("c.csv", 20), file("d.csv", 30)
	big := file("big.csv", 100)
	src := func(key, dataset string, bytes int64) *sinks.Source {
		return &sinks.Source{Key: key, Dataset: dataset, Hash: "h" + key, Bytes: bytes}
	}
	site, flow := "site_assessment", "flow_registry"
	cases := []struct {
		name    string
		ledger  []*sinks.Source
		inputs  []Input
		want    []int64
		maxSize int64
	}{
		{"fresh: sizes of their own", nil,
			[]Input{{Path: a, Kind: site}, {Path: d, Kind: site}}, []int64{10, 30}, 1 << 20},
		{"two inputs of one size are hashed", nil,
			[]Input{{Path: a, Kind: site}, {Path: b, Kind: site}, {Path: c, Kind: site}}, []int64{10, -1, -1}, 1 << 20},
		{"of one size in two datasets", nil,
			[]Input{{Path: b, Kind: site}, {Path: c, Kind: flow}}, []int64{20, 20}, 1 << 20},
		{"listed twice counts once", nil,
			[]Input{{Path: b, Kind: site}, {Path: b, Kind: site}}, []int64{20, -1}, 1 << 20},
		{"an embedded input's size counts", nil,
			[]Input{{Path: a, Kind: site}, {Path: "emb", Data: []byte("0123456789"), Kind: site}}, []int64{-1, -1}, 1 << 20},
		{"a ledger source of its size, in its dataset", []*sinks.Source{src("k", site, 10), src("f", flow, 30)},
			[]Input{{Path: a, Kind: site}, {Path: d, Kind: site}}, []int64{-1, 30}, 1 << 20},
		{"a ledger source of unknown size", []*sinks.Source{src("k", site, 0)},
			[]Input{{Path: a, Kind: site}, {Path: d, Kind: flow}}, []int64{-1, 30}, 1 << 20},
		{"missing, too large, unavailable, not regular", nil,
			[]Input{{Path: filepath.Join(dir, "none.csv"), Kind: site}, {Path: big, Kind: site},
				{Path: a, Kind: site, Unavailable: "gone"}, {Path: dir, Kind: site}}, []int64{-1, -1, -1, -1}, 50},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := &sinks.Manifest{Sources: map[string]*sinks.Source{}}
			for _, s := range tc.ledger {
				m.Sources[s.Key] = s
			}
			if got := planSizes(m, tc.inputs, tc.maxSize); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestHashFuture: a future gives the file's hash; a file that is no longer
// of the planned size, or a stopped run, gives an error.
func TestHashFuture(t *testing.T) {
	p := filepath.Join(t.TempDir(), "in.csv")
	body := []byte("a,b\n1,2\n")
	writeFile(t, p, body)
	ok, changed, stopped := newHashFuture(p, int64(len(body))), newHashFuture(p, 3), newHashFuture(p, int64(len(body)))
	hashLater(context.Background(), 1<<20, []*hashFuture{nil, ok, changed})()
	if h, err := ok.wait(); err != nil || h != sha256Hex(body) {
		t.Errorf("hash %q, %v; want %s", h, err, sha256Hex(body))
	}
	if h, err := changed.wait(); err == nil || h != "" || !strings.Contains(err.Error(), "changed") {
		t.Errorf("a file of another size: %q, %v", h, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	hashLater(ctx, 1<<20, []*hashFuture{stopped})()
	if _, err := stopped.wait(); !errors.Is(err, context.Canceled) {
		t.Errorf("a stopped run: %v", err)
	}
	hashLater(context.Background(), 1<<20, nil)() // nothing to hash: returns
}

// siteIngest runs the pipeline over one site assessment file.
func siteIngest(t *testing.T, wh, runID string, cfg Config, ins ...Input) *RunResult {
	t.Helper()
	cfg.Warehouse, cfg.Registry, cfg.RunID = wh, schemas.Default(), runID
	if cfg.MaxRejectRatio == 0 {
		cfg.MaxRejectRatio = 1
	}
	res, err := Run(context.Background(), cfg, ins)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// fileIDs counts the source_file_id values of the rows of a warehouse's
// data files (warehouseContents) from the source file named source ("":
// any), and returns those rows with the run id replaced, by file.
func fileIDs(files map[string][]string, runID, source string) (map[string]int, map[string][]string) {
	ids := map[string]int{}
	norm := map[string][]string{}
	for p, rows := range files {
		if strings.Contains(p, "rejects") {
			continue
		}
		for _, r := range rows {
			if source != "" && !strings.Contains(r, "|"+schemas.ColSourceFile+"="+source+"|") {
				continue
			}
			for _, cell := range strings.Split(r, "|") {
				if v, ok := strings.CutPrefix(cell, schemas.ColSourceFileID+"="); ok {
					ids[v]++
				}
			}
			norm[strings.ReplaceAll(p, runID, "RUN")] = append(norm[strings.ReplaceAll(p, runID, "RUN")], strings.ReplaceAll(r, runID, "RUN"))
		}
	}
	return ids, norm
}

// TestHashLaterSourceFileID: an input read before it is hashed (a fresh
// warehouse) gets the file's SHA-256 as every row's source_file_id, in its
// result and in its ledger entry (with its size), serial and chunked; and
// the same rows as when it is hashed first (a re-run of the same size,
// forced: full refresh). A failed input's ledger entry has the hash too.
func TestHashLaterSourceFileID(t *testing.T) {
	dir := t.TempDir()
	body := []byte(awkwardSiteCSV(600, 3))
	path := filepath.Join(dir, "sites.csv")
	writeFile(t, path, body)
	want := sha256Hex(body)
	for _, tc := range []struct{ workers, batch int }{{1, 0}, {2, 53}, {8, 7}} {
		t.Run(fmt.Sprintf("%d workers", tc.workers), func(t *testing.T) {
			wh := filepath.Join(t.TempDir(), "wh")
			cfg := Config{ChunkWorkers: tc.workers, BatchRows: tc.batch, RecordRows: 100}
			in := Input{Path: path, Kind: "site_assessment"}
			first := siteIngest(t, wh, "run-later", cfg, in)
			if sr := first.Sources[0]; sr.Status != StatusCommitted || sr.Hash != want || sr.Bytes != int64(len(body)) || sr.Reason != "new" {
				t.Fatalf("result: %s %s %d %q", sr.Status, sr.Hash, sr.Bytes, sr.Reason)
			}
			m, err := sinks.ReadManifest(wh)
			if err != nil {
				t.Fatal(err)
			}
			if s := m.Sources[in.Key()]; s == nil || s.Hash != want || s.Bytes != int64(len(body)) {
				t.Fatalf("ledger entry %+v", s)
			}
			ids, later := fileIDs(warehouseContents(t, wh), "run-later", "")
			if len(ids) != 1 || ids[want] != int(first.Sources[0].RowsWritten) {
				t.Errorf("source_file_id values %v, want %d rows of %s", ids, first.Sources[0].RowsWritten, want)
			}
			// The same size as its ledger entry: hashed first.
			cfg.FullRefresh = true
			again := siteIngest(t, wh, "run-first", cfg, in)
			if sr := again.Sources[0]; sr.Status != StatusCommitted || sr.Hash != want || sr.Reason != "full refresh" {
				t.Fatalf("re-run: %s %s %q", sr.Status, sr.Hash, sr.Reason)
			}
			a, b := comparable(first)[0], comparable(again)[0]
			a.Reason, a.Replaced, b.Reason, b.Replaced = "", false, "", false
			if !reflect.DeepEqual(a, b) {
				t.Errorf("results differ:\n%+v\n%+v", a, b)
			}
			_, first2 := fileIDs(warehouseContents(t, wh), "run-first", "")
			if !reflect.DeepEqual(later, first2) {
				t.Errorf("the rows differ when the file is hashed first")
			}
		})
	}
	t.Run("failed input", func(t *testing.T) {
		wh := filepath.Join(t.TempDir(), "wh")
		// Rows of no country (none in the cells, p-codes or file name): rejected.
		bad := []byte(strings.ReplaceAll(strings.ReplaceAll(string(body), "SSD", ""), "SS", "QQ"))
		path := filepath.Join(t.TempDir(), "bad.csv")
		writeFile(t, path, bad)
		in := Input{Path: path, Kind: "site_assessment"}
		res := siteIngest(t, wh, "r", Config{MaxRejectRatio: 0.2}, in)
		if sr := res.Sources[0]; sr.Status != StatusFailed || sr.Hash != sha256Hex(bad) {
			t.Fatalf("%s %s %v %v", sr.Status, sr.Hash, sr.Errors, sr.RejectCodes)
		}
		m, err := sinks.ReadManifest(wh)
		if err != nil {
			t.Fatal(err)
		}
		if s := m.Failed[in.Key()]; s == nil || s.Hash != sha256Hex(bad) {
			t.Fatalf("failed ledger entry %+v", s)
		}
	})
}

// TestHashLaterDecisions: the skip decisions stay those of hashing first:
// a re-run skips the unchanged file, the same content under a second path
// is a duplicate (in the ledger, and within one run), a changed file of
// the same size or of another size is read again, its rows carrying the
// new hash.
func TestHashLaterDecisions(t *testing.T) {
	dir := t.TempDir()
	body := []byte(awkwardSiteCSV(300, 5))
	a, b, c := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv"), filepath.Join(dir, "c.csv")
	writeFile(t, a, body)
	wh := filepath.Join(t.TempDir(), "wh")
	site := func(p string) Input { return Input{Path: p, Kind: "site_assessment"} }
	status := func(res *RunResult) []string {
		var out []string
		for _, s := range res.Sources {
			out = append(out, s.Status+" "+s.Reason)
		}
		return out
	}
	check := func(res *RunResult, want ...string) {
		t.Helper()
		if got := status(res); !reflect.DeepEqual(got, want) {
			t.Fatalf("statuses %q, want %q", got, want)
		}
	}
	checkRows := func(runID string, hash string) { // a's rows
		t.Helper()
		ids, _ := fileIDs(warehouseContents(t, wh), runID, a)
		if len(ids) != 1 || ids[hash] == 0 {
			t.Fatalf("source_file_id values %v, want only %s", ids, hash)
		}
	}
	check(siteIngest(t, wh, "r1", Config{}, site(a)), "committed new")
	check(siteIngest(t, wh, "r2", Config{}, site(a)), "unchanged ")
	writeFile(t, b, body)
	res := siteIngest(t, wh, "r3", Config{}, site(a), site(b))
	check(res, "unchanged ", "duplicate new")
	if n := res.Sources[1].Notes; len(n) == 0 || !strings.Contains(n[0], "same content as") {
		t.Errorf("duplicate notes %q", n)
	}
	// Two new files of the same content in one run: the second is skipped.
	writeFile(t, c, append(append([]byte(nil), body...), '\n'))
	d := filepath.Join(dir, "d.csv")
	writeFile(t, d, append(append([]byte(nil), body...), '\n'))
	check(siteIngest(t, wh, "r4", Config{}, site(c), site(d)), "committed new", "duplicate new")
	// The same size, another byte: read again.
	changed := append([]byte(nil), body...)
	i := len(changed) - 2
	for changed[i] < '0' || changed[i] > '8' {
		i--
	}
	changed[i]++
	writeFile(t, a, changed)
	check(siteIngest(t, wh, "r5", Config{}, site(a)), "committed content changed")
	checkRows("r5", sha256Hex(changed))
	// Another size: read again without waiting for its hash.
	grown := append(append([]byte(nil), changed...), '\n', '\n')
	writeFile(t, a, grown)
	m, err := sinks.ReadManifest(wh)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]SourceResult, 1)
	cfg := Config{Limits: ingest.Limits{}.WithDefaults()}
	if _, _, later := plan(cfg, m, []Input{site(a)}, out); later[0] == nil {
		t.Fatalf("a file of a new size is hashed first")
	}
	res = siteIngest(t, wh, "r6", Config{}, site(a))
	check(res, "committed content changed")
	if res.Sources[0].Hash != sha256Hex(grown) {
		t.Errorf("hash %s, want %s", res.Sources[0].Hash, sha256Hex(grown))
	}
	checkRows("r6", sha256Hex(grown))
	// b's content is no longer a's: b is new, d still c's duplicate.
	check(siteIngest(t, wh, "r7", Config{}, site(a), site(b), site(c), site(d)), "unchanged ", "committed new", "unchanged ", "duplicate new")
}
