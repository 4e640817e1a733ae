package query

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// copyTempSuffix names the file a COPY writes before it is renamed into place.
const copyTempSuffix = ".tmp-dtm"

// CopyToParquet runs a query and writes its result to a zstd Parquet file
// with DuckDB's writer; the file is replaced atomically. args are bound to
// the statement's placeholders (?), as in Query.
func (d *DB) CopyToParquet(ctx context.Context, stmt, path string, args ...any) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	tmp := abs + copyTempSuffix
	copyStmt := fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd)", stmt, quoteLiteral(tmp))
	if err := d.Exec(ctx, copyStmt, args...); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, abs); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
