package sinks

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Exists reports whether root is a dtm warehouse: it has a committed
// manifest (_dtm/manifest.json) or run records of runs that committed
// nothing yet (_dtm/runs). Read commands call it first so that a mistyped
// --warehouse is an error rather than an empty result. The error wraps
// ErrNoWarehouse and names the path.
func Exists(root string) error {
	for _, p := range []string{filepath.Join(root, metaDir, manifestName), filepath.Join(root, metaDir, "runs")} {
		_, err := os.Stat(p)
		if err == nil {
			return nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reading warehouse %s: %w", root, err)
		}
	}
	return fmt.Errorf("%w at %s (no %s; run `dtm ingest` or `dtm run` first, or check --warehouse / DTM_WAREHOUSE)",
		ErrNoWarehouse, root, filepath.Join(metaDir, manifestName))
}
