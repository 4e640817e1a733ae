package lake

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// StageOptions says which object-store warehouse a run goes into.
type StageOptions struct {
	Location string // s3://bucket/prefix
	Catalog  string // see OpenCatalog
	Env      S3Env
	Registry *schemas.Registry
	// CacheDir holds the file cache and the working warehouses (default:
	// the user cache directory's dtm/lake, as for reading).
	CacheDir      string
	MaxCacheBytes int64
	Log           *zap.Logger
	// DryRun stages without recovering the location (a dry run writes
	// nothing to the object store).
	DryRun     bool
	StaleAfter time.Duration
	// Hook is passed to recovery and to Publish (PublishOptions.Hook).
	Hook func(point string) error
}

// Stage is a local working warehouse for one run into an object-store
// warehouse: a copy of the location's last complete publish (the files
// hard-linked from the cache, the manifest and run documents), into which
// the run ingests as into any local warehouse, and which Publish then
// publishes over exactly the head.json version it was copied from.
//
// Why a local copy: the pipeline's guarantees (skip unchanged inputs by
// content hash, replace a corrected input's files, cross-source checks
// through DuckDB, the local commit protocol) all work on a directory; the
// object store then only sees complete files and one publish, whose
// journal, fixed commit order, catalog compare-and-swap and conditional
// head.json make the run all-or-nothing there too.
type Stage struct {
	Root     string // the working warehouse (a local directory)
	Location string
	// Base is the head.json version Root was copied from.
	Base HeadVersion
	// Recovered lists the interrupted publishes finished or rolled back
	// before copying.
	Recovered []Recovery
	opts      StageOptions
	unlock    func()
}

// OpenStage recovers the location's interrupted publishes (unless
// DryRun), reads its head.json and lays the working warehouse out afresh
// under CacheDir/work/<location hash>/wh (anything a previous run left
// there, published or not, is replaced: the object store is the truth).
// One run per location at a time on this machine: the working directory
// is locked (sinks.LockAs) until Close.
func OpenStage(ctx context.Context, opts StageOptions) (*Stage, error) {
	log := opts.Log
	if log == nil {
		log = zap.NewNop()
	}
	loc, err := ParseLocation(opts.Location)
	if err != nil {
		return nil, err
	}
	c, err := openCache(opts.CacheDir, opts.MaxCacheBytes)
	if err != nil {
		return nil, err
	}
	work := filepath.Join(c.dir, "work", shortHash([]byte(loc.String()+"\x00"+opts.Catalog)))
	unlock, err := sinks.LockAs(work, "a run into "+loc.String())
	if err != nil {
		return nil, err
	}
	s := &Stage{Location: loc.String(), opts: opts, unlock: unlock, Root: filepath.Join(work, "wh")}
	if err := s.open(ctx, loc, log); err != nil {
		unlock()
		return nil, err
	}
	return s, nil
}

func (s *Stage) open(ctx context.Context, loc Location, log *zap.Logger) error {
	opts := s.opts
	st, err := newStore(ctx, opts.Env, loc)
	if err != nil {
		return err
	}
	if !opts.DryRun {
		defs, err := tableDefs(opts.Registry)
		if err != nil {
			return err
		}
		cat, err := OpenCatalog(ctx, opts.Catalog, loc, opts.Env.IcebergProps())
		if err != nil {
			return err
		}
		step := func(p string) error {
			if opts.Hook == nil {
				return nil
			}
			if err := opts.Hook(p); err != nil {
				return hookError{err}
			}
			return nil
		}
		rc := &recoverer{st: st, cat: cat, loc: loc, defs: defs, self: currentOwner(), staleAfter: opts.StaleAfter, step: step, log: log}
		s.Recovered, err = rc.run(ctx)
		CloseCatalog(cat)
		if err != nil {
			return err
		}
	}
	head, etag, found, err := st.readHead(ctx)
	if err != nil {
		return err
	}
	s.Base = HeadVersion{Found: found, ETag: etag}
	if found {
		s.Base.PublishID = head.PublishID
	}
	if err := os.RemoveAll(s.Root); err != nil {
		return fmt.Errorf("clearing the working warehouse %s: %w", s.Root, err)
	}
	if !found {
		return os.MkdirAll(s.Root, 0o755)
	}
	v, err := Materialize(ctx, ReadOptions{Location: opts.Location, Catalog: opts.Catalog, Env: opts.Env, Registry: opts.Registry,
		CacheDir: opts.CacheDir, MaxCacheBytes: opts.MaxCacheBytes})
	if err != nil {
		return err
	}
	if v.PublishID != head.PublishID {
		return fmt.Errorf("%w: head.json of %s changed while the run was being staged; run again", ErrConflict, loc)
	}
	tmp := s.Root + ".tmp"
	os.RemoveAll(tmp)
	if err := cloneTree(v.Root, tmp); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("staging %s into %s: %w", loc, s.Root, err)
	}
	return os.Rename(tmp, s.Root)
}

// cloneTree copies the directory src to dst, hard-linking regular files
// (the pipeline never writes into an existing file: it writes new files
// and renames over the manifest, so the links are never changed through).
func cloneTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return linkOrCopy(p, out)
	})
}

// Publish publishes the working warehouse to the location over the
// head.json version it was staged from (ErrConflict if another publish
// came first). A working warehouse with no manifest (a first run that
// committed nothing) publishes nothing and returns nil, nil.
func (s *Stage) Publish(ctx context.Context) (*PublishResult, error) {
	if _, err := os.Stat(filepath.Join(s.Root, "_dtm", "manifest.json")); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	base := s.Base
	return Publish(ctx, PublishOptions{Root: s.Root, To: s.Location, Catalog: s.opts.Catalog, Env: s.opts.Env,
		Registry: s.opts.Registry, Log: s.opts.Log, Expect: &base, StaleAfter: s.opts.StaleAfter, Hook: s.opts.Hook})
}

// Close releases the working directory's lock.
func (s *Stage) Close() {
	if s.unlock != nil {
		s.unlock()
		s.unlock = nil
	}
}
