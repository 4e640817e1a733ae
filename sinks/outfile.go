package sinks

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// OpenOut opens the output of a command or an export: stdout when path is
// "" or "-", else a temporary file beside path (mode FileMode). The
// returned done must be called once: done(true) closes the file and
// renames it to path (an existing file is replaced only then, so a failed
// export never truncates a good one), done(false) removes it. done is a
// no-op for stdout.
func OpenOut(path string, stdout io.Writer) (w io.Writer, done func(ok bool) error, err error) {
	if path == "" || path == "-" {
		return stdout, func(bool) error { return nil }, nil
	}
	f, err := CreateTemp(filepath.Dir(path), ".dtm-out-*")
	if err != nil {
		return nil, nil, fmt.Errorf("creating %s: %w", path, err)
	}
	return f, func(ok bool) error {
		cerr := f.Close()
		if !ok || cerr != nil {
			os.Remove(f.Name())
			return cerr
		}
		if err := os.Rename(f.Name(), path); err != nil {
			os.Remove(f.Name())
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return nil
	}, nil
}
