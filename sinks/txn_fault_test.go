package sinks

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// fullDisk is a FileSystem whose files fail to Sync, as on a full disk.
type fullDisk struct{}

func (fullDisk) Create(path string) (StagedFile, error) {
	f, err := OSFileSystem{}.Create(path)
	if err != nil {
		return nil, err
	}
	return failingSync{f}, nil
}

type failingSync struct{ StagedFile }

func (failingSync) Sync() error { return syscall.ENOSPC }

// TestCommitFailingSyncDoesNotHang injects a full disk at the fsync of a
// staged file: Commit must return the error (not deadlock on its own
// mutex, as it did when it called the public Abort), leave the committed
// warehouse as it was and remove the staging area; a later Abort returns.
func TestCommitFailingSyncDoesNotHang(t *testing.T) {
	root := t.TempDir()
	txn, _ := Begin(root, "r1")
	a := writePart(t, txn, "k:a", "1")
	txn.PutSource(&Source{Key: "k:a", Dataset: "ds", Hash: "h1", Files: []string{a}})
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(root, "_dtm", "manifest.json"))

	txn, _ = Begin(root, "r2")
	txn.FS = fullDisk{}
	b := writePart(t, txn, "k:b", "1")
	txn.PutSource(&Source{Key: "k:b", Dataset: "ds", Hash: "h2", Files: []string{b}})
	done := make(chan error, 1)
	go func() { done <- txn.Commit() }()
	select {
	case err := <-done:
		if !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("commit error %v, want ENOSPC", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Commit hung after a failed fsync (mutex held while aborting)")
	}
	aborted := make(chan struct{})
	go func() { txn.Abort(); close(aborted) }()
	select {
	case <-aborted:
	case <-time.After(10 * time.Second):
		t.Fatal("Abort hung after a failed Commit")
	}
	after, _ := os.ReadFile(filepath.Join(root, "_dtm", "manifest.json"))
	if string(before) != string(after) {
		t.Error("a failed commit changed the manifest")
	}
	if got := listParts(t, root); len(got) != 1 || got[0] != a {
		t.Errorf("parts after a failed commit: %v, want only %s", got, a)
	}
	if _, err := os.Stat(filepath.Join(root, "_dtm", "staging", "r2")); !os.IsNotExist(err) {
		t.Errorf("staging of the failed run left behind: %v", err)
	}
}
