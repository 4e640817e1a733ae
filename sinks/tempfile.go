package sinks

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FileMode is the mode files that people share are created with (exports,
// the manifest, run records, data files): 0666 before the process umask,
// so 0644 under the usual umask 022.
const FileMode = 0o666

// CreateTemp creates a new file in dir for writing, like os.CreateTemp
// (pattern's last "*" is replaced by a random string), but with FileMode
// instead of 0600: a file written to a temporary name and renamed into
// place then has the mode of any other file the user creates.
func CreateTemp(dir, pattern string) (*os.File, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	prefix, suffix := pattern, ""
	if i := strings.LastIndex(pattern, "*"); i >= 0 {
		prefix, suffix = pattern[:i], pattern[i+1:]
	}
	for try := 0; try < 100; try++ {
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("naming a temporary file: %w", err)
		}
		name := filepath.Join(dir, prefix+hex.EncodeToString(b[:])+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, FileMode)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("creating a temporary file in %s: too many name collisions", dir)
}
