package sinks

import (
	"io"
	"os"
	"path/filepath"
)

// StagedFile is a file being written into a transaction's staging area.
// Sync makes its bytes durable; Close releases it (after Sync on success).
type StagedFile interface {
	io.WriteCloser
	Sync() error
}

// FileSystem is the seam through which a transaction creates its staged
// files. The operating system's is used unless a test injects another (for
// example one whose Sync fails as on a full disk) through Txn.FS.
//
// Contract: Create makes the file's directory exist, and truncates or
// creates the file itself; the returned file is written by one goroutine.
type FileSystem interface {
	Create(path string) (StagedFile, error)
}

// OSFileSystem creates staged files on the local disk.
type OSFileSystem struct{}

// Create creates path for writing (mode 0644 under the usual umask), after
// making its directory.
func (OSFileSystem) Create(path string) (StagedFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	return os.Create(path)
}
