package hostile

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// genCache generates each large input once per test run.
type genCache struct {
	dir string
	mu  sync.Mutex
	got map[string]string
}

func (g *genCache) path(t *testing.T, c Case) string {
	t.Helper()
	if c.Gen == nil {
		return filepath.Join("..", "..", "testdata", "hostile", c.File)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if p, ok := g.got[c.GenName]; ok {
		return p
	}
	start := time.Now()
	p, err := c.Gen(g.dir)
	if err != nil {
		t.Fatalf("generating %s: %v", c.GenName, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Logf("generated %s in %s", c.GenName, d.Round(time.Millisecond))
	}
	g.got[c.GenName] = p
	return p
}

func TestCorpus(t *testing.T) {
	cases := Cases()
	if testing.Short() {
		t.Log("-short: skipping generated inputs larger than 10 MB")
	}
	gen := &genCache{dir: t.TempDir(), got: map[string]string{}}
	names := map[string]bool{}
	for _, c := range cases {
		if names[c.Name] {
			t.Fatalf("duplicate case %s", c.Name)
		}
		names[c.Name] = true
		t.Run(c.Name, func(t *testing.T) {
			if testing.Short() && c.Timeout > 30*time.Second {
				t.Skip("large input")
			}
			runCase(t, c, gen.path(t, c))
		})
	}
	// Each generated file is removed as soon as the corpus is done.
	os.RemoveAll(gen.dir)
}

// TestCorpusFilesListed checks that every committed file is used by a case
// and documented in the README.
func TestCorpusFilesListed(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "hostile")
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, c := range Cases() {
		used[c.File] = true
		if !bytes.Contains(readme, []byte("`"+c.Name+"`")) {
			t.Errorf("case %s is not in testdata/hostile/README.md", c.Name)
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, e := range ents {
		if e.Name() == "README.md" {
			continue
		}
		files++
		if !used[e.Name()] {
			t.Errorf("%s is used by no case", e.Name())
		}
	}
	if n := len(Cases()); n < 40 || files < 40 {
		t.Errorf("%d cases over %d committed files; the corpus promises at least 40 files", n, files)
	}
}

func runCase(t *testing.T, c Case, path string) {
	wh := filepath.Join(t.TempDir(), "warehouse")
	in := pipeline.Input{Path: path, Kind: c.Kind, Country: c.Country, Source: "hostile"}
	cfg := pipeline.Config{Warehouse: wh, Registry: schemas.Default(), RunID: "20260101T000000Z-" + fmt.Sprintf("%08x", len(c.Name)),
		Command: "hostile", Limits: c.Limits, MaxRejectRatio: 0.5}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	type out struct {
		res *pipeline.RunResult
		err error
		pan any
	}
	done := make(chan out, 1)
	start := time.Now()
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- out{pan: p}
			}
		}()
		res, err := pipeline.Run(ctx, cfg, []pipeline.Input{in})
		done <- out{res: res, err: err}
	}()
	var o out
	select {
	case o = <-done:
	case <-time.After(timeout + 10*time.Second):
		t.Fatalf("hang: no result after %s", timeout+10*time.Second)
	}
	if o.pan != nil {
		t.Fatalf("panic escaped pipeline.Run: %v", o.pan)
	}
	if o.err != nil {
		t.Fatalf("run error (per-input failures belong in the result): %v", o.err)
	}
	if len(o.res.Sources) != 1 {
		t.Fatalf("%d source results", len(o.res.Sources))
	}
	sr := o.res.Sources[0]
	errText := strings.Join(sr.Errors, "; ")
	if os.Getenv("DTM_HOSTILE_VERBOSE") != "" {
		t.Logf("%s in %s: status=%s in=%d written=%d rejected=%d codes=%v errors=%q", c.Name, time.Since(start).Round(time.Millisecond),
			sr.Status, sr.RowsIn, sr.RowsWritten, sr.RowsRejected, sr.RejectCodes, errText)
	}
	if strings.Contains(errText, "internal error") {
		t.Fatalf("a panic was recovered: %s", errText)
	}
	if sr.RowsIn != sr.RowsWritten+sr.RowsRejected {
		t.Errorf("accounting: rows_in %d != written %d + rejected %d", sr.RowsIn, sr.RowsWritten, sr.RowsRejected)
	}
	if sr.RowsIn < 0 || sr.RowsWritten < 0 || sr.RowsRejected < 0 {
		t.Errorf("negative counts: %+v", sr)
	}
	m, err := sinks.ReadManifest(wh)
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	switch c.Want {
	case Fail:
		if sr.Status != pipeline.StatusFailed {
			t.Fatalf("status %s (codes %v), want failed", sr.Status, sr.RejectCodes)
		}
		want := append([]string{filepath.Base(path)}, c.ErrHas...)
		for _, w := range want {
			if !strings.Contains(errText, w) {
				t.Errorf("error %q does not mention %q", errText, w)
			}
		}
		if sr.RowsWritten != 0 {
			t.Errorf("failed input reports %d rows written", sr.RowsWritten)
		}
		if _, ok := m.Sources[in.Key()]; ok {
			t.Errorf("failed input has a manifest entry")
		}
		if n := countFiles(t, filepath.Join(wh, c.Kind)); n != 0 {
			t.Errorf("failed input left %d files in the dataset", n)
		}
	case Commit:
		if sr.Status != pipeline.StatusCommitted {
			t.Fatalf("status %s, want committed: %s", sr.Status, errText)
		}
		for _, code := range c.Codes {
			if sr.RejectCodes[code]+sr.WarningCodes[code] == 0 {
				t.Errorf("no %s reject or warning (codes %v, warnings %v)", code, sr.RejectCodes, sr.WarningCodes)
			}
		}
		if sr.RowsWritten < c.MinWritten {
			t.Errorf("%d rows written, want at least %d", sr.RowsWritten, c.MinWritten)
		}
		ms, ok := m.Sources[in.Key()]
		if !ok {
			t.Fatalf("committed input has no manifest entry")
		}
		if ms.RowsIn != sr.RowsIn || ms.RowsWritten != sr.RowsWritten || ms.RowsRejected != sr.RowsRejected {
			t.Errorf("manifest counts %d/%d/%d differ from the run's %d/%d/%d", ms.RowsIn, ms.RowsWritten, ms.RowsRejected,
				sr.RowsIn, sr.RowsWritten, sr.RowsRejected)
		}
		if sr.RowsWritten > 0 {
			checkReadBack(t, wh, c, sr.RowsWritten)
		}
	}
	checkContained(t, wh)
	if ents, _ := os.ReadDir(filepath.Join(wh, "_dtm", "staging")); len(ents) != 0 {
		t.Errorf("staging not cleaned: %d entries", len(ents))
	}
}

// countFiles counts regular files under dir (0 if it does not exist).
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// checkContained walks the warehouse: every entry must resolve inside it,
// and no symlink may point elsewhere.
func checkContained(t *testing.T, wh string) {
	t.Helper()
	root, err := filepath.Abs(wh)
	if err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Errorf("walking %s: %v", p, err)
			return nil
		}
		rel, rerr := filepath.Rel(root, p)
		if rerr != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			t.Errorf("%s is outside the warehouse", p)
		}
		if d.Type()&fs.ModeSymlink != 0 {
			t.Errorf("symlink in the warehouse: %s", p)
		}
		if d.IsDir() && strings.Contains(d.Name(), "=") {
			k, v, _ := strings.Cut(d.Name(), "=")
			if k == "" || v == "" || v == "." || v == ".." || strings.ContainsAny(v, `/\:`) {
				t.Errorf("unsafe partition directory %q", rel)
			}
		}
		return nil
	})
	// Nothing may have been created beside the warehouse either.
	ents, _ := os.ReadDir(filepath.Dir(root))
	for _, e := range ents {
		if e.Name() != filepath.Base(root) {
			t.Errorf("%s created beside the warehouse", e.Name())
		}
	}
}

// checkReadBack reads the committed rows through DuckDB, and for injection
// cases checks that the payloads come back verbatim and that the CSV export
// neutralises them.
func checkReadBack(t *testing.T, wh string, c Case, written int64) {
	t.Helper()
	ctx := context.Background()
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatalf("query.Open: %v", err)
	}
	defer db.Close()
	res, err := db.Query(ctx, fmt.Sprintf("SELECT count(*) FROM %s", c.Kind))
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	if n := fmt.Sprint(res.Rows[0][0]); n != fmt.Sprint(written) {
		t.Errorf("DuckDB sees %s rows, the run wrote %d", n, written)
	}
	if c.Kind == site {
		res, err := db.Query(ctx, "SELECT site_name, admin1_pcode, site_id FROM site_assessment")
		if err != nil {
			t.Fatalf("select: %v", err)
		}
		for _, r := range res.Rows {
			for _, v := range r {
				if s, ok := v.(string); ok && (!utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0) {
					t.Errorf("stored text %q is not clean UTF-8", s)
				}
			}
		}
	}
	if len(c.Payloads) == 0 {
		return
	}
	col := c.PayloadColumn
	if col == "" {
		col = "site_name"
	}
	res, err = db.Query(ctx, "SELECT "+col+" FROM site_assessment ORDER BY source_row")
	if err != nil {
		t.Fatalf("select: %v", err)
	}
	var buf bytes.Buffer
	if err := sinks.WriteCSV(&buf, &sinks.Table{Columns: res.Columns, Types: res.Types, Rows: res.Rows}, false); err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, r := range res.Rows {
		stored[fmt.Sprint(r[0])] = true
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("re-reading the export: %v", err)
	}
	exported := map[string]bool{}
	for _, r := range recs[1:] {
		exported[r[0]] = true
		if r[0] != "" && strings.ContainsRune("=+-@\t\r", rune(r[0][0])) {
			t.Errorf("export cell %q would run as a formula", r[0])
		}
	}
	for _, p := range c.Payloads {
		if !stored[p] {
			t.Errorf("payload %q not stored verbatim (got %v)", p, keys(stored))
		}
		want := p
		if strings.ContainsRune("=+-@\t\r", rune(p[0])) {
			want = "'" + p
		}
		if !exported[want] {
			t.Errorf("payload %q not neutralised in the CSV export", p)
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
