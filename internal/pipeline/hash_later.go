package pipeline

import (
	"context"
	"fmt"
	"sync"
)

// Inputs hashed while they are read. plan (run.go) needs an input's
// SHA-256 to tell whether it is unchanged (the ledger's hash for its key)
// or the same content as another source, so it used to hash every input
// before any was read: a serial start of 0.13 s at 1 M rows (175 MB,
// SHA-NI) and 1.3 s at 10 M. Two files of different sizes cannot have the
// same bytes, so an input whose size (a stat) differs from that of every
// ledger source of its dataset and of every other input of the run is read
// whatever its hash (planSizes): plan decides from the stat, and the hash
// is computed on the run's hasher goroutine (hashLater) while the input is
// read and converted. It is waited for where it is needed: the input's
// first Parquet write (the rows' source_file_id, staging.fileIDs; the
// records are held meanwhile, held_writes.go), its
// ledger entry and its result (ingestOne). Every other input (a re-run's
// unchanged files, the idempotent case) is hashed first, as before.

// hashFuture is the SHA-256 of an input file being hashed by hashLater.
type hashFuture struct {
	path string
	// size is the file's size when plan decided on it: a file that then
	// hashes to another size changed meanwhile, and the input fails (it
	// might now be unchanged, or a duplicate).
	size int64
	done chan struct{}
	hash string
	err  error
	// onWait (a test seam, Config.hashOnWait) delays the hashing until the
	// first wait; waited is closed then.
	onWait     bool
	waited     chan struct{}
	waitedOnce sync.Once
}

func newHashFuture(path string, size int64) *hashFuture {
	return &hashFuture{path: path, size: size, done: make(chan struct{}), waited: make(chan struct{})}
}

// wait returns the hash once it is computed (any goroutine, any number of
// times), or why it could not be.
func (f *hashFuture) wait() (string, error) {
	f.waitedOnce.Do(func() { close(f.waited) })
	<-f.done
	return f.hash, f.err
}

// ready says whether the hash (or its error) is computed: wait would
// return at once.
func (f *hashFuture) ready() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// resolve computes the hash (once).
func (f *hashFuture) resolve(ctx context.Context, maxBytes int64) {
	defer close(f.done)
	defer func() {
		if p := recover(); p != nil {
			f.hash, f.err = "", fmt.Errorf("internal error while hashing %q: %v", f.path, p)
		}
	}()
	if f.onWait {
		select {
		case <-f.waited:
		case <-ctx.Done():
		}
	}
	hash, n, err := hashFile(ctx, f.path, maxBytes)
	switch {
	case err != nil:
		f.err = err
	case n != f.size:
		f.err = fmt.Errorf("%q changed while the run read it (%d bytes, then %d): run again", f.path, f.size, n)
	default:
		f.hash = hash
	}
}

// hashLater hashes the files of the non-nil futures one after the other,
// in order (the order the inputs are read in), on one goroutine, and
// returns a function that waits until it has stopped. Once ctx is done the
// futures not yet hashed resolve with its error.
func hashLater(ctx context.Context, maxBytes int64, futures []*hashFuture) (wait func()) {
	var todo []*hashFuture
	for _, f := range futures {
		if f != nil {
			todo = append(todo, f)
		}
	}
	if len(todo) == 0 {
		return func() {}
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for _, f := range todo {
			f.resolve(ctx, maxBytes)
		}
	}()
	return func() { <-stopped }
}
