package lake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/apache/iceberg-go/table"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// ErrNoPublish is returned by Materialize for a location with no complete
// publish (no _dtm/head.json).
var ErrNoPublish = errors.New("no complete dtm publish at this location")

// ReadOptions says which object-store warehouse to read and where to cache it.
type ReadOptions struct {
	Location string // s3://bucket/prefix
	Catalog  string // see OpenCatalog
	Env      S3Env
	Registry *schemas.Registry
	// CacheDir holds the content-addressed file cache and the views
	// (default: the user cache directory's dtm/lake).
	CacheDir string
	// MaxCacheBytes bounds the cache's objects (0: DefaultMaxCacheBytes);
	// the files of the view being built are kept even beyond it.
	MaxCacheBytes int64
}

// DefaultMaxCacheBytes is the default bound of the local file cache.
const DefaultMaxCacheBytes = 4 << 30

// View is a local, read-only warehouse directory holding exactly the
// files of the pinned snapshots (hard links into the cache, or copies),
// with the publish's manifest and run documents: package query opens it as
// any warehouse.
type View struct {
	Root       string           // the directory to open
	PublishID  string           // the publish it shows
	Snapshots  map[string]int64 // the pinned snapshot of each table
	Downloaded int              // files fetched from the object store for it
	Cached     int              // files found in the cache
}

// Materialize pins the last complete publish of an object-store warehouse
// (head.json's snapshot ids), plans each table's files at its pinned
// snapshot with iceberg-go, fetches those not cached (verifying their
// SHA-256) and lays out a View. Views are built under a temporary name
// and renamed into place, so a view directory is always whole; a view of
// the same publish is reused.
func Materialize(ctx context.Context, opts ReadOptions) (*View, error) {
	loc, err := ParseLocation(opts.Location)
	if err != nil {
		return nil, err
	}
	st, err := newStore(ctx, opts.Env, loc)
	if err != nil {
		return nil, err
	}
	head, _, found, err := st.readHead(ctx)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%w: %s (publish one with `dtm warehouse publish`)", ErrNoPublish, loc)
	}
	c, err := openCache(opts.CacheDir, opts.MaxCacheBytes)
	if err != nil {
		return nil, err
	}
	final := filepath.Join(c.dir, "views", viewName(loc, head.PublishID, head.Snapshots))
	v := &View{Root: final, PublishID: head.PublishID, Snapshots: head.Snapshots}
	if _, err := os.Stat(filepath.Join(final, "_dtm", "manifest.json")); err == nil {
		return v, nil
	}

	defs, err := tableDefs(opts.Registry)
	if err != nil {
		return nil, err
	}
	cat, err := OpenCatalog(ctx, opts.Catalog, loc, opts.Env.IcebergProps())
	if err != nil {
		return nil, err
	}
	defer CloseCatalog(cat)

	byURL := map[string]string{} // object URL -> manifest-relative path
	for rel, f := range head.Files {
		byURL[loc.URL(f.Key)] = rel
	}
	var rels []string
	for _, d := range defs {
		id := head.Snapshots[d.Name]
		if id == 0 {
			continue
		}
		tbl, err := cat.LoadTable(ctx, d.ident())
		if err != nil {
			return nil, fmt.Errorf("catalog: loading table %s: %w", d.Name, err)
		}
		tasks, err := tbl.Scan(table.WithSnapshotID(id)).PlanFiles(ctx)
		if err != nil {
			return nil, fmt.Errorf("planning %s at snapshot %d: %w", d.Name, id, err)
		}
		for _, t := range tasks {
			rel, ok := byURL[t.File.FilePath()]
			if !ok {
				return nil, fmt.Errorf("table %s snapshot %d holds %s, which publish %s does not list: the head and the catalog disagree", d.Name, id, t.File.FilePath(), head.PublishID)
			}
			rels = append(rels, rel)
		}
	}
	sort.Strings(rels)

	tmp := final + ".tmp-" + randHex(6)
	if err := os.MkdirAll(filepath.Join(tmp, "_dtm", "runs"), 0o755); err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	keep := map[string]bool{}
	for _, rel := range rels {
		f := head.Files[rel]
		obj, fetched, err := c.ensure(ctx, st, f)
		if err != nil {
			return nil, err
		}
		keep[f.SHA256] = true
		if fetched {
			v.Downloaded++
		} else {
			v.Cached++
		}
		dst := filepath.Join(tmp, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, err
		}
		if err := linkOrCopy(obj, dst); err != nil {
			return nil, err
		}
	}
	for _, name := range head.Runs {
		b, _, ok, err := st.get(ctx, runsPrefix+name)
		if err != nil {
			return nil, err
		}
		if ok {
			if err := os.WriteFile(filepath.Join(tmp, "_dtm", "runs", filepath.Base(name)), b, 0o644); err != nil {
				return nil, err
			}
		}
	}
	m := pinnedManifest(head.Manifest, rels)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "_dtm", "manifest.json"), b, 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, final); err != nil {
		if _, serr := os.Stat(filepath.Join(final, "_dtm", "manifest.json")); serr != nil {
			return nil, fmt.Errorf("installing view %s: %w", final, err)
		} // another reader installed the same view meanwhile
	}
	if err := c.evict(keep); err != nil {
		return nil, err
	}
	return v, nil
}

// pinnedManifest is m restricted to the files the pinned snapshots hold
// (they are the same unless the catalog and the head disagree, which
// Materialize refuses; kept as a guard so the view never names a file it
// lacks).
func pinnedManifest(m *sinks.Manifest, rels []string) *sinks.Manifest {
	if m == nil {
		m = &sinks.Manifest{FormatVersion: 1}
	}
	have := map[string]bool{}
	for _, r := range rels {
		have[r] = true
	}
	out := *m
	out.Sources = map[string]*sinks.Source{}
	for k, s := range m.Sources {
		cs := *s
		cs.Files = nil
		for _, f := range s.Files {
			if have[f] {
				cs.Files = append(cs.Files, f)
			}
		}
		if !have[cs.RejectsFile] {
			cs.RejectsFile = ""
		}
		if !have[cs.Summary] { // figure summaries are not published
			cs.Summary, cs.SummaryVersion = "", 0
		}
		out.Sources[k] = &cs
	}
	if m.Failed != nil {
		out.Failed = map[string]*sinks.Source{}
		for k, s := range m.Failed {
			cs := *s
			if !have[cs.RejectsFile] {
				cs.RejectsFile = ""
			}
			out.Failed[k] = &cs
		}
	}
	return &out
}

func viewName(loc Location, publishID string, snaps map[string]int64) string {
	b, _ := json.Marshal(struct {
		L string
		P string
		S map[string]int64
	}{loc.String(), publishID, snaps})
	return shortHash(b)
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
