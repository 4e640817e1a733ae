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
	// Expect, when set, is the head.json the local state was staged from
	// (a run into s3://, Stage): the publish is refused with ErrConflict
	// if head.json is another by then, and head.json is replaced only over
	// that version. Nil: the head.json found at the start.
	Expect *HeadVersion
	// StaleAfter is how long a publish started on another host is presumed
	// running (0: DefaultStaleAfter); see Owner.
	StaleAfter time.Duration
	// Hook, when set, is called at each step ("recover:…", "uploaded",
	// "journal", "committing:<table>" (just before the catalog commit),
	// "committed:<table>", "head", "cleaned", "closed"); an
	// error it returns stops the publish there, as a crash would (the
	// crash tests' seam: nothing is rolled back).
	Hook func(point string) error
}

// HeadVersion is one version of head.json: Found is false before the
// first complete publish; ETag is the object's entity tag.
type HeadVersion struct {
	Found     bool
	ETag      string
	PublishID string
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
	// Recovered lists the interrupted publishes this one finished or
	// rolled back before starting.
	Recovered []Recovery `json:"recovered,omitempty"`
	// Deleted counts the objects deleted because the new head no longer
	// names them (files of corrected, pruned or removed sources).
	Deleted int `json:"deleted"`
}

// hookError marks an error returned by PublishOptions.Hook: the publish
// stops as a crash would, leaving its journal "started".
type hookError struct{ err error }

func (e hookError) Error() string { return e.err.Error() }
func (e hookError) Unwrap() error { return e.err }

// Publish copies the committed state of the local warehouse at opts.Root
// into Iceberg tables at opts.To (see the package doc for the layout and
// the contracts). It first recovers the location's interrupted publishes
// (see Recovery). It is idempotent. When it loses to another publish
// (ErrConflict) or fails after its first commit, it rolls its own
// snapshots back before returning, so the tables are left at the last
// complete publish; a crash instead leaves them to the next publish's
// recovery.
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

	publishID := fmt.Sprintf("g%d-%s-%s", m.Generation, m.RunID, randHex(3))
	res := &PublishResult{PublishID: publishID, RunID: m.RunID, Location: loc.String()}
	step := func(point string) error {
		if opts.Hook == nil {
			return nil
		}
		if err := opts.Hook(point); err != nil {
			return hookError{err}
		}
		return nil
	}
	self := currentOwner()
	rc := &recoverer{st: st, cat: cat, loc: loc, defs: defs, self: self, staleAfter: opts.StaleAfter, step: step, log: log}
	if res.Recovered, err = rc.run(ctx); err != nil {
		return nil, err
	}

	prev, headETag, found, err := st.readHead(ctx)
	if err != nil {
		return nil, err
	}
	if e := opts.Expect; e != nil && (e.Found != found || e.Found && e.ETag != headETag) {
		now := "no complete publish"
		if found {
			now = "publish " + prev.PublishID
		}
		was := "no complete publish"
		if e.Found {
			was = "publish " + e.PublishID
		}
		return nil, fmt.Errorf("%w: this run started from %s of %s, which now holds %s; nothing of this run was published: run it again", ErrConflict, was, loc, now)
	}
	files, uploaded, err := uploadAll(ctx, st, opts, defs, m)
	if err != nil {
		return nil, err
	}
	runs, err := uploadRuns(ctx, st, opts.Root)
	if err != nil {
		return nil, err
	}
	if err := step("uploaded"); err != nil {
		return nil, err
	}

	base := map[string]int64{}
	if prev != nil {
		base = prev.Snapshots
	}
	head := &Head{FormatVersion: 1, PublishID: publishID, RunID: m.RunID, Generation: m.Generation,
		Files: files, Runs: runs, Manifest: m}
	j := &Journal{PublishID: publishID, RunID: m.RunID, State: "started", StartedAt: time.Now().UTC(), Owner: self,
		Intended: map[string][]string{}, Committed: map[string]int64{}, Previous: base, Head: head}
	for _, d := range defs {
		urls := []string{}
		for _, f := range d.files(m) {
			urls = append(urls, loc.URL(files[f.Rel].Key))
		}
		sort.Strings(urls)
		j.Intended[d.Name] = urls
	}
	if prev != nil {
		for rel, f := range prev.Files {
			if nf, ok := files[rel]; !ok || nf.Key != f.Key {
				j.Obsolete = append(j.Obsolete, f.Key)
			}
		}
		sort.Strings(j.Obsolete)
	}
	if prev != nil && sameHead(prev, head) {
		// Nothing to publish: the tables are checked (a table that is not
		// at head.json's snapshot is another publish at work), not committed.
		for _, d := range defs {
			res.Tables = append(res.Tables, TablePublish{Table: d.Name, Files: len(j.Intended[d.Name]), SnapshotID: base[d.Name]})
		}
		return res, nil
	}
	if err := st.writeJSON(ctx, journalPrefix+publishID+".json", j, true, ""); err != nil {
		return nil, err
	}
	if err := st.writeJSON(ctx, inflightPrefix+publishID+".json", self, true, ""); err != nil {
		return nil, err
	}
	if err := step("journal"); err != nil {
		return nil, err
	}

	// From here on, an error (other than a hook's) rolls this publish's
	// own snapshots back.
	fail := func(err error) (*PublishResult, error) {
		var he hookError
		if errors.As(err, &he) {
			return nil, err
		}
		if rerr := rollbackOwn(ctx, st, cat, defs, j); rerr != nil {
			log.Error("rolling back a failed publish", zap.String("publish_id", publishID), zap.Error(rerr))
			return nil, fmt.Errorf("%w; rolling back its snapshots also failed (the next publish recovers them): %v", err, rerr)
		}
		return nil, err
	}
	if err := ensureNamespace(ctx, cat); err != nil {
		return fail(err)
	}
	for _, d := range defs {
		tp, err := publishTable(ctx, cat, loc, d, m, files, publishID, base[d.Name], step)
		if err != nil {
			return fail(err)
		}
		tp.Uploaded = uploaded[d.Name]
		if tp.Committed {
			j.Committed[d.Name] = tp.SnapshotID
		}
		res.Tables = append(res.Tables, *tp)
		if err := step("committed:" + d.Name); err != nil {
			return fail(err)
		}
		log.Info("table published", zap.String("table", d.Name), zap.Int("files", tp.Files),
			zap.Int("added", tp.Added), zap.Int("removed", tp.Removed), zap.Int64("snapshot_id", tp.SnapshotID))
	}

	head.Snapshots = map[string]int64{}
	for _, tp := range res.Tables {
		head.Snapshots[tp.Table] = tp.SnapshotID
	}
	head.CommittedAt = time.Now().UTC()
	if err := st.writeJSON(ctx, headKey, head, !found, headETag); err != nil {
		if errors.Is(err, errPreconditionFailed) {
			err = fmt.Errorf("%w: head.json of %s changed while this publish committed its tables: %v", ErrConflict, loc, err)
		}
		return fail(err)
	}
	if err := step("head"); err != nil {
		return nil, err
	}
	// The new head is complete for readers. The objects the previous
	// head named and this one does not (files of corrected, pruned or
	// removed sources) go, with the snapshots that still list them.
	if len(j.Obsolete) > 0 {
		n, err := dropObsolete(ctx, st, cat, defs, j.Obsolete, head.Snapshots)
		if err != nil {
			return nil, fmt.Errorf("publish %s is complete, but removing the files it replaced failed (the next publish retries): %w", publishID, err)
		}
		res.Deleted = n
	}
	if err := step("cleaned"); err != nil {
		return nil, err
	}
	if err := st.closeJournal(ctx, j, "complete"); err != nil {
		return nil, err
	}
	if err := step("closed"); err != nil {
		return nil, err
	}
	return res, nil
}

// dropObsolete deletes the objects a complete publish no longer names
// (keys relative to the location): for each table that held some, it
// expires the snapshots older than the one head.json names (they list
// those files; iceberg-go deletes the files only they referenced, and
// their manifests), after checking in the same catalog commit that the
// table is still at that snapshot; then it deletes whatever of the keys
// is left. It returns the number of keys.
func dropObsolete(ctx context.Context, st *store, cat catalog.Catalog, defs []tableDef, obsolete []string, snaps map[string]int64) (int, error) {
	for _, d := range defs {
		has := false
		for _, k := range obsolete {
			has = has || strings.HasPrefix(k, d.Name+"/data/")
		}
		if !has {
			continue
		}
		tbl, err := cat.LoadTable(ctx, d.ident())
		if err != nil {
			return 0, fmt.Errorf("catalog: loading table %s: %w", d.Name, err)
		}
		cur := tbl.CurrentSnapshot()
		if cur == nil || cur.SnapshotID != snaps[d.Name] {
			continue // another publish moved it: its own cleanup comes later
		}
		if len(tbl.Metadata().Snapshots()) <= 1 {
			continue
		}
		txn := tbl.NewTransaction()
		if err := txn.ExpireSnapshots(table.WithRetainLast(1), table.WithOlderThan(0)); err != nil {
			return 0, fmt.Errorf("table %s: expiring the snapshots before %d: %w", d.Name, cur.SnapshotID, err)
		}
		if _, err := txn.Commit(ctx); err != nil {
			return 0, fmt.Errorf("table %s: expiring the snapshots before %d: %w", d.Name, cur.SnapshotID, err)
		}
	}
	for _, k := range obsolete {
		if err := st.remove(ctx, k); err != nil {
			return 0, err
		}
	}
	return len(obsolete), nil
}

// rollbackOwn resets every table j committed to the snapshot it started
// from (only if the table is still at j's snapshot) and closes j as
// rolled back.
func rollbackOwn(ctx context.Context, st *store, cat catalog.Catalog, defs []tableDef, j *Journal) error {
	ours := func(s *table.Snapshot) bool {
		return s.Summary != nil && s.Summary.Properties[SummaryPublishID] == j.PublishID
	}
	for _, d := range defs {
		id, ok := j.Committed[d.Name]
		if !ok {
			continue
		}
		tbl, err := cat.LoadTable(ctx, d.ident())
		if err != nil {
			return fmt.Errorf("catalog: loading table %s: %w", d.Name, err)
		}
		if s := tbl.CurrentSnapshot(); s == nil || s.SnapshotID != id {
			continue
		}
		if err := rollbackTable(ctx, cat, tbl, id, j.Previous[d.Name], ours); err != nil {
			return err
		}
	}
	return st.closeJournal(ctx, j, "rolled-back")
}

// sameHead tells whether two heads name the same local state (run,
// generation, files and run documents), so that a re-publish leaves the
// tables and head.json as they are.
func sameHead(a, b *Head) bool {
	if a.RunID != b.RunID || a.Generation != b.Generation || len(a.Files) != len(b.Files) || len(a.Runs) != len(b.Runs) {
		return false
	}
	for k, v := range a.Files {
		if b.Files[k] != v {
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
// one snapshot. The table must be at snapshot base (head.json's; 0: none)
// and the commit asserts it still is (the catalog's compare-and-swap):
// otherwise ErrConflict.
func publishTable(ctx context.Context, cat catalog.Catalog, loc Location, d tableDef, m *sinks.Manifest, files map[string]ObjectFile, publishID string, base int64, step func(string) error) (*TablePublish, error) {
	tbl, err := loadOrCreate(ctx, cat, loc, d)
	if err != nil {
		return nil, err
	}
	var at int64
	if s := tbl.CurrentSnapshot(); s != nil {
		at = s.SnapshotID
	}
	if at != base {
		by := ""
		if s := tbl.CurrentSnapshot(); s != nil && s.Summary != nil {
			by = s.Summary.Properties[SummaryPublishID]
		}
		if by == "" {
			by = "not by dtm"
		} else {
			by = "by publish " + by
		}
		return nil, fmt.Errorf("%w: table %s is at snapshot %d (committed %s), not at snapshot %d of the last complete publish: "+
			"another publish is at work (or something else wrote to the table)", ErrConflict, d.Name, at, by, base)
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
	if err := txn.AssertRefSnapshotID(table.MainBranch); err != nil {
		return nil, fmt.Errorf("table %s: %w", d.Name, err)
	}
	if len(remove) == 0 {
		err = txn.AddFiles(ctx, add, props, false)
	} else {
		err = txn.ReplaceDataFiles(ctx, remove, add, props)
	}
	if err != nil {
		return nil, fmt.Errorf("table %s: registering %d file(s), removing %d: %w", d.Name, len(add), len(remove), err)
	}
	if err := step("committing:" + d.Name); err != nil {
		return nil, err
	}
	tbl, err = txn.Commit(ctx)
	if err != nil {
		if isCommitConflict(err) {
			return nil, fmt.Errorf("%w: the catalog refused the commit of table %s (it moved since snapshot %d): %v", ErrConflict, d.Name, base, err)
		}
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
