package sinks

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/schemas"
)

const metaDir = "_dtm"

// Txn is one run's change to a warehouse. The caller must hold the lock
// (Lock) from Begin until Commit or Abort returns. CreatePart, ClosePart,
// CreateRejects, Discard, PutSource, RemoveSource and Changed may be called
// from several goroutines at once (each ParquetFile by one goroutine only);
// Commit and Abort must not run concurrently with them.
type Txn struct {
	mu          sync.Mutex
	root, runID string
	base, next  *Manifest
	staged      []string // relative final paths of staged files
	// open maps the staged Parquet files to their writers; nil while a
	// file is being created and once it is closed early (ClosePart).
	open    map[string]*ParquetFile
	changed bool
	created int // files created so far (names the stage:created:N hook points)
	// Hook, when set, is called at named points of the commit (tests use it
	// to crash the process there).
	Hook func(point string)
	// FS creates the staged Parquet files; nil means the local disk. Tests
	// inject faults (a Sync that fails as on a full disk) through it.
	FS FileSystem
	// Allocator is used by the Parquet encoders of the staged files (nil:
	// memory.DefaultAllocator); everything it hands out is freed by the
	// time each file is closed or aborted.
	Allocator memory.Allocator
}

// Begin starts a transaction on the committed manifest.
func Begin(root, runID string) (*Txn, error) {
	m, err := ReadManifest(root)
	if err != nil {
		return nil, err
	}
	return &Txn{root: root, runID: runID, base: m, next: m.clone(), open: map[string]*ParquetFile{}}, nil
}

// Base is the committed manifest the transaction started from (read-only).
func (t *Txn) Base() *Manifest { return t.base }

// SourceTag is the short, path-safe tag of a source key used in file names.
func SourceTag(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:6])
}

// CreatePart opens a staged Parquet file for one source in one partition
// of dataset ds (whose fields give the encoding hints) and returns it with
// the relative path it will have once committed. seq numbers the files of
// one source in one partition (a large input's rows are written to several,
// each closed once full: ClosePart): the first, 0, is
// part-<source tag>-<run>.parquet, the next part-<source tag>-<run>_0001.parquet
// and so on, so that the names sort in seq order.
func (t *Txn) CreatePart(ds *schemas.Dataset, schema *arrow.Schema, country, key, value, sourceKey string, seq int) (*ParquetFile, string, error) {
	if seq < 0 {
		return nil, "", fmt.Errorf("part file number %d of %s is negative", seq, sourceKey)
	}
	name := fmt.Sprintf("part-%s-%s.parquet", SourceTag(sourceKey), t.runID)
	if seq > 0 {
		name = fmt.Sprintf("part-%s-%s_%04d.parquet", SourceTag(sourceKey), t.runID, seq)
	}
	rel := filepath.ToSlash(filepath.Join(PartitionDir(ds.Name, country, key, value), name))
	return t.create(rel, schema, ds.PlainEncoded)
}

// ClosePart finishes the staged file rel now (footer, fsync) instead of at
// Commit, freeing its writer's memory (the row groups' metadata, which
// grows with the file); the file stays staged and is committed, discarded
// or aborted as an open one would be. No more rows may be written to it.
// Closing a file that is not open (never created, or already closed) is
// an error.
func (t *Txn) ClosePart(rel string) error {
	t.mu.Lock()
	pf := t.open[rel]
	if pf != nil {
		t.open[rel] = nil // closed: not to be closed again, nor created again
	}
	t.mu.Unlock()
	if pf == nil {
		return fmt.Errorf("closing %s: not an open staged file", rel)
	}
	return pf.Close()
}

// CreateRejects opens the staged rejects file of a source.
func (t *Txn) CreateRejects(schema *arrow.Schema, sourceKey string) (*ParquetFile, string, error) {
	rel := fmt.Sprintf("%s/rejects/part-%s-%s.parquet", metaDir, SourceTag(sourceKey), t.runID)
	return t.create(rel, schema, schemas.RejectsDataset().PlainEncoded)
}

func (t *Txn) create(rel string, schema *arrow.Schema, plain func(string) bool) (*ParquetFile, string, error) {
	t.mu.Lock()
	if _, dup := t.open[rel]; dup {
		t.mu.Unlock()
		return nil, "", fmt.Errorf("file %s opened twice in run %s", rel, t.runID)
	}
	t.open[rel] = nil // reserved while the file is created
	t.mu.Unlock()
	fs := t.FS
	if fs == nil {
		fs = OSFileSystem{}
	}
	pf, err := createParquet(fs, t.Allocator, t.stagingPath(rel), schema, plain)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		delete(t.open, rel)
		return nil, "", err
	}
	t.open[rel] = pf
	t.staged = append(t.staged, rel)
	t.hook(fmt.Sprintf("stage:created:%d", t.created))
	t.created++
	return pf, rel, nil
}

// Discard drops a staged file (for example a source over its reject threshold).
func (t *Txn) Discard(rel string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if pf, ok := t.open[rel]; ok {
		if pf != nil {
			pf.Abort()
		}
		delete(t.open, rel)
	}
	os.Remove(t.stagingPath(rel))
	for i, s := range t.staged {
		if s == rel {
			t.staged = append(t.staged[:i], t.staged[i+1:]...)
			break
		}
	}
}

// PutSource records a source (replacing any committed source of that key,
// whose files are deleted after the commit).
func (t *Txn) PutSource(s *Source) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.next.Sources[s.Key] = s
	delete(t.next.Failed, s.Key) // a committed input is no longer a failed one
	t.changed = true
}

// PutFailed records the rejects of an input that failed (its Files must be
// empty): the committed rows of that key, if any, stay as they are.
func (t *Txn) PutFailed(s *Source) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.next.Failed == nil {
		t.next.Failed = map[string]*Source{}
	}
	s.Files = nil
	t.next.Failed[s.Key] = s
	t.changed = true
}

// SetReplaces records a committed source's Replaces (a job's `replaces:`
// changed while the input did not): no file changes, only the ledger.
func (t *Txn) SetReplaces(key, replaces string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s, ok := t.next.Sources[key]; ok && s.Replaces != replaces {
		s.Replaces = replaces
		t.changed = true
	}
}

// RemoveSource drops a committed source and its rows.
func (t *Txn) RemoveSource(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.next.Sources[key]; ok {
		delete(t.next.Sources, key)
		t.changed = true
	}
	if _, ok := t.next.Failed[key]; ok {
		delete(t.next.Failed, key)
		t.changed = true
	}
}

// Changed reports whether Commit would change the warehouse.
func (t *Txn) Changed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.changed
}

func (t *Txn) stagingDir() string { return filepath.Join(t.root, metaDir, "staging", t.runID) }

func (t *Txn) stagingPath(rel string) string {
	return filepath.Join(t.stagingDir(), filepath.FromSlash(rel))
}

func (t *Txn) hook(point string) {
	if t.Hook != nil {
		t.Hook(point)
	}
}

// Commit makes the transaction visible: close and fsync staged files, move
// them into place, atomically replace the manifest, then delete the files
// no longer referenced. Without changes it writes nothing.
func (t *Txn) Commit() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.closeOpen(); err != nil {
		t.abort() // t.mu is held: the unlocked abort, never the public Abort

		return fmt.Errorf("commit of run %s: %w", t.runID, err)
	}
	if !t.changed {
		t.abort()
		return nil
	}
	t.hook("commit:staged")
	sort.Strings(t.staged)
	dirs := map[string]bool{}
	for i, rel := range t.staged {
		final := filepath.Join(t.root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
			return fmt.Errorf("commit of run %s: %w", t.runID, err)
		}
		if err := os.Rename(t.stagingPath(rel), final); err != nil {
			return fmt.Errorf("commit of run %s: moving %s: %w", t.runID, rel, err)
		}
		dirs[filepath.Dir(final)] = true
		t.hook(fmt.Sprintf("commit:moved:%d", i))
	}
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return fmt.Errorf("commit of run %s: %w", t.runID, err)
		}
	}
	t.hook("commit:synced")
	t.hook("commit:before-manifest")
	t.next.Generation = t.base.Generation + 1
	t.next.CommittedAt = time.Now().UTC()
	t.next.RunID = t.runID
	if err := writeManifest(t.root, t.next, t.hook); err != nil {
		return fmt.Errorf("commit of run %s: %w", t.runID, err)
	}
	t.hook("commit:after-manifest")
	if _, err := removeUnreferenced(t.root, t.next, t.hook); err != nil {
		return fmt.Errorf("run %s committed, but cleaning up failed: %w", t.runID, err)
	}
	t.hook("cleanup:staging")
	t.removeStaging()
	return nil
}

// Abort discards every staged file; the warehouse is unchanged.
func (t *Txn) Abort() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.abort()
}

func (t *Txn) abort() {
	for rel, pf := range t.open {
		if pf != nil {
			pf.Abort()
		}
		delete(t.open, rel)
	}
	t.removeStaging()
}

// removeStaging deletes the run's staging directory, and _dtm/staging
// when no other run's is left in it.
func (t *Txn) removeStaging() {
	os.RemoveAll(t.stagingDir())
	os.Remove(filepath.Dir(t.stagingDir()))
}
