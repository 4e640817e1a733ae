package lake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/table"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// Snapshot summary keys dtm sets on every snapshot it commits.
const (
	SummaryRunID     = "dtm.run-id"
	SummaryPublishID = "dtm.publish-id"
	SummarySources   = "dtm.source-file-ids"
)

// PublishOptions says what to publish where.
type PublishOptions struct {
	Root     string            // the local warehouse
	To       string            // s3://bucket/prefix
	Catalog  string            // sqlite:PATH, postgres://…, http(s)://… (see OpenCatalog)
	Env      S3Env             // object-store settings (EnvFrom)
	Registry *schemas.Registry // the datasets (one table each)
	Log      *zap.Logger       // nil: no logging
	// Uploads bounds concurrent uploads (0: 4).
	Uploads int
	// Hook, when set, is called at each step ("uploaded", "journal",
	// "committed:<table>", "head"); an error it returns stops the publish
	// there, as a crash would (the crash tests' seam).
	Hook func(point string) error
}

// TablePublish is what Publish did to one table.
type TablePublish struct {
	Table      string `json:"table"`
	Files      int    `json:"files"`    // files the table holds after the publish
	Added      int    `json:"added"`    // files registered by this publish
	Removed    int    `json:"removed"`  // files dropped by this publish
	Uploaded   int    `json:"uploaded"` // files uploaded (others were already there)
	SnapshotID int64  `json:"snapshot_id"`
	Committed  bool   `json:"committed"` // a new snapshot was committed
}

// PublishResult is the outcome of Publish.
type PublishResult struct {
	PublishID string         `json:"publish_id"`
	RunID     string         `json:"run_id"`
	Location  string         `json:"location"`
	Tables    []TablePublish `json:"tables"`
}

// Publish copies the committed state of the local warehouse at opts.Root
// into Iceberg tables at opts.To (see the package doc for the layout and
// the contracts). It is idempotent; on error, tables already committed
// keep their new snapshot and head.json still names the previous complete
// publish, and publishing again completes the work.
func Publish(ctx context.Context, opts PublishOptions) (*PublishResult, error) {
	log := opts.Log
	if log == nil {
		log = zap.NewNop()
	}
	if err := sinks.Exists(opts.Root); err != nil {
		return nil, err
	}
	m, err := sinks.ReadManifest(opts.Root)
	if err != nil {
		return nil, err
	}
	loc, err := ParseLocation(opts.To)
	if err != nil {
		return nil, err
	}
	defs, err := tableDefs(opts.Registry)
	if err != nil {
		return nil, err
	}
	st, err := newStore(ctx, opts.Env, loc)
	if err != nil {
		return nil, err
	}
	cat, err := OpenCatalog(ctx, opts.Catalog, loc, opts.Env.IcebergProps())
	if err != nil {
		return nil, err
	}
	defer CloseCatalog(cat)

	publishID := fmt.Sprintf("g%d-%s", m.Generation, m.RunID)
	res := &PublishResult{PublishID: publishID, RunID: m.RunID, Location: loc.String()}

	step := func(point string) error {
		if opts.Hook == nil {
			return nil
		}
		return opts.Hook(point)
	}
	files, uploaded, err := uploadAll(ctx, st, opts, defs, m)
	if err != nil {
		return nil, err
	}
	runs, err := uploadRuns(ctx, st, opts.Root)
	if err != nil {
		return nil, err
	}
	prev, headETag, _, err := st.readHead(ctx)
	if err != nil {
		return nil, err
	}
	if err := step("uploaded"); err != nil {
		return nil, err
	}

	j := &Journal{PublishID: publishID, RunID: m.RunID, State: "started", StartedAt: time.Now().UTC(),
		Intended: map[string][]string{}, Committed: map[string]int64{}}
	if prev != nil {
		j.Previous = prev.Snapshots
	}
	for _, d := range defs {
		urls := []string{}
		for _, f := range d.files(m) {
			urls = append(urls, loc.URL(files[f.Rel].Key))
		}
		sort.Strings(urls)
		j.Intended[d.Name] = urls
	}
	if err := st.writeJSON(ctx, journalPrefix+publishID+".json", j, false, ""); err != nil {
		return nil, err
	}

	if err := step("journal"); err != nil {
		return nil, err
	}
	if err := ensureNamespace(ctx, cat); err != nil {
		return nil, err
	}
	for _, d := range defs {
		tp, err := publishTable(ctx, cat, loc, d, m, files, publishID)
		if err != nil {
			return nil, err
		}
		tp.Uploaded = uploaded[d.Name]
		j.Committed[d.Name] = tp.SnapshotID
		res.Tables = append(res.Tables, *tp)
		if err := step("committed:" + d.Name); err != nil {
			return nil, err
		}
		log.Info("table published", zap.String("table", d.Name), zap.Int("files", tp.Files),
			zap.Int("added", tp.Added), zap.Int("removed", tp.Removed), zap.Int64("snapshot_id", tp.SnapshotID))
	}

	head := &Head{FormatVersion: 1, PublishID: publishID, RunID: m.RunID, Generation: m.Generation,
		CommittedAt: time.Now().UTC(), Snapshots: j.Committed, Files: files, Runs: runs, Manifest: m}
	if prev == nil || !sameHead(prev, head) {
		if err := st.writeJSON(ctx, headKey, head, prev == nil, headETag); err != nil {
			if errors.Is(err, errPreconditionFailed) {
				return nil, fmt.Errorf("another publish to %s finished meanwhile (head.json changed): publish again: %w", loc, err)
			}
			return nil, err
		}
	}
	if err := step("head"); err != nil {
		return nil, err
	}
	j.State = "complete"
	if err := st.writeJSON(ctx, journalPrefix+publishID+".json", j, false, ""); err != nil {
		return nil, err
	}
	return res, nil
}

// sameHead tells whether two heads pin the same state (so that a re-run
// leaves head.json as it is).
func sameHead(a, b *Head) bool {
	if a.PublishID != b.PublishID || len(a.Snapshots) != len(b.Snapshots) || len(a.Files) != len(b.Files) || len(a.Runs) != len(b.Runs) {
		return false
	}
	for k, v := range a.Snapshots {
		if b.Snapshots[k] != v {
			return false
		}
	}
	for i := range a.Runs {
		if a.Runs[i] != b.Runs[i] {
			return false
		}
	}
	return true
}

func ensureNamespace(ctx context.Context, cat catalog.Catalog) error {
	ok, err := cat.CheckNamespaceExists(ctx, table.Identifier{Namespace})
	if err != nil {
		return fmt.Errorf("catalog: namespace %s: %w", Namespace, err)
	}
	if ok {
		return nil
	}
	if err := cat.CreateNamespace(ctx, table.Identifier{Namespace}, nil); err != nil && !errors.Is(err, catalog.ErrNamespaceAlreadyExists) {
		return fmt.Errorf("catalog: creating namespace %s: %w", Namespace, err)
	}
	return nil
}

// loadOrCreate loads the table, creating it (schema, partition spec,
// location <loc>/<table>) when the catalog does not have it.
func loadOrCreate(ctx context.Context, cat catalog.Catalog, loc Location, d tableDef) (*table.Table, error) {
	tbl, err := cat.LoadTable(ctx, d.ident())
	if err == nil {
		return tbl, nil
	}
	if !errors.Is(err, catalog.ErrNoSuchTable) {
		return nil, fmt.Errorf("catalog: loading table %s: %w", d.Name, err)
	}
	sc, err := d.icebergSchema()
	if err != nil {
		return nil, err
	}
	spec, err := d.spec(sc)
	if err != nil {
		return nil, err
	}
	tbl, err = cat.CreateTable(ctx, d.ident(), sc,
		catalog.WithLocation(loc.URL(d.Name)),
		catalog.WithPartitionSpec(spec),
		catalog.WithProperties(iceberg.Properties{"format-version": "2", "write.parquet.compression-codec": "zstd"}))
	if errors.Is(err, catalog.ErrTableAlreadyExists) {
		return cat.LoadTable(ctx, d.ident())
	}
	if err != nil {
		return nil, fmt.Errorf("catalog: creating table %s: %w", d.Name, err)
	}
	return tbl, nil
}

// currentFiles lists the data files of the table's current snapshot.
func currentFiles(ctx context.Context, tbl *table.Table) (map[string]bool, error) {
	out := map[string]bool{}
	if tbl.CurrentSnapshot() == nil {
		return out, nil
	}
	tasks, err := tbl.Scan().PlanFiles(ctx)
	if err != nil {
		return nil, fmt.Errorf("planning %s: %w", strings.Join(tbl.Identifier(), "."), err)
	}
	for _, t := range tasks {
		out[t.File.FilePath()] = true
	}
	return out, nil
}

// publishTable brings one table to the files of the manifest in at most
// one snapshot.
func publishTable(ctx context.Context, cat catalog.Catalog, loc Location, d tableDef, m *sinks.Manifest, files map[string]ObjectFile, publishID string) (*TablePublish, error) {
	tbl, err := loadOrCreate(ctx, cat, loc, d)
	if err != nil {
		return nil, err
	}
	have, err := currentFiles(ctx, tbl)
	if err != nil {
		return nil, err
	}
	want := map[string]string{} // url -> source hash
	for _, f := range d.files(m) {
		want[loc.URL(files[f.Rel].Key)] = f.Hash
	}
	var add, remove []string
	hashes := map[string]bool{}
	for u, h := range want {
		if !have[u] {
			add = append(add, u)
			hashes[h] = true
		}
	}
	for u := range have {
		if _, ok := want[u]; !ok {
			remove = append(remove, u)
		}
	}
	sort.Strings(add)
	sort.Strings(remove)
	tp := &TablePublish{Table: d.Name, Files: len(want), Added: len(add), Removed: len(remove)}
	if len(add) == 0 && len(remove) == 0 {
		if s := tbl.CurrentSnapshot(); s != nil {
			tp.SnapshotID = s.SnapshotID
		}
		return tp, nil
	}
	ids := make([]string, 0, len(hashes))
	for h := range hashes {
		ids = append(ids, h)
	}
	sort.Strings(ids)
	props := iceberg.Properties{SummaryRunID: m.RunID, SummaryPublishID: publishID, SummarySources: strings.Join(ids, ",")}
	txn := tbl.NewTransaction()
	if len(remove) == 0 {
		err = txn.AddFiles(ctx, add, props, false)
	} else {
		err = txn.ReplaceDataFiles(ctx, remove, add, props)
	}
	if err != nil {
		return nil, fmt.Errorf("table %s: registering %d file(s), removing %d: %w", d.Name, len(add), len(remove), err)
	}
	tbl, err = txn.Commit(ctx)
	if err != nil {
		return nil, fmt.Errorf("table %s: commit: %w", d.Name, err)
	}
	tp.Committed = true
	tp.SnapshotID = tbl.CurrentSnapshot().SnapshotID
	return tp, nil
}

// uploadAll uploads every file of the manifest the tables hold, and
// returns them by manifest-relative path, with the count uploaded per table.
func uploadAll(ctx context.Context, st *store, opts PublishOptions, defs []tableDef, m *sinks.Manifest) (map[string]ObjectFile, map[string]int, error) {
	type job struct {
		table string
		f     sourceFile
		key   string
	}
	var jobs []job
	for _, d := range defs {
		for _, f := range d.files(m) {
			jobs = append(jobs, job{table: d.Name, f: f, key: d.dataKey(f.Rel)})
		}
	}
	out := make([]ObjectFile, len(jobs))
	did := make([]bool, len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	n := opts.Uploads
	if n <= 0 {
		n = 4
	}
	g.SetLimit(n)
	for i, jb := range jobs {
		g.Go(func() error {
			local := filepath.Join(opts.Root, filepath.FromSlash(jb.f.Rel))
			size, sum, err := hashFile(local)
			if err != nil {
				return fmt.Errorf("publishing %s: %w", jb.f.Rel, err)
			}
			up, err := st.uploadFile(gctx, local, jb.key)
			if err != nil {
				return err
			}
			out[i] = ObjectFile{Key: jb.key, Size: size, SHA256: sum}
			did[i] = up
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	files := map[string]ObjectFile{}
	uploaded := map[string]int{}
	for i, jb := range jobs {
		files[jb.f.Rel] = out[i]
		if did[i] {
			uploaded[jb.table]++
		}
	}
	return files, uploaded, nil
}

// uploadRuns copies the run-results documents (the `runs` view) and
// returns their names, sorted.
func uploadRuns(ctx context.Context, st *store, root string) ([]string, error) {
	paths, _ := filepath.Glob(filepath.Join(root, "_dtm", "runs", "*.json"))
	sort.Strings(paths)
	var names []string
	for _, p := range paths {
		name := filepath.Base(p)
		if _, err := st.uploadFile(ctx, p, runsPrefix+name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}

func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
