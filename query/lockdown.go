package query

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/schemas"
)

// Lockdown confines a DuckDB connection to the warehouse (see OpenLocked).
type Lockdown struct {
	// AllowFiles lifts the lock-down (dtm query --allow-files): SQL may then
	// read and write any file the process can.
	AllowFiles bool
	// ExtraPaths are single files DuckDB may also read and write, such as
	// the temporary target of a COPY ... TO (CopyToParquet writes
	// PATH.tmp-dtm; see CopyTarget).
	ExtraPaths []string
	// Conns is the number of DuckDB connections the DB may use at once
	// (the views and macros are in the shared in-memory catalog); 0 means 1.
	Conns int
	// Pin makes the DB a snapshot of one generation: every file its
	// manifest references is held open while the DB lives and the views
	// read them by descriptor (/proc/self/fd/N), so a later commit
	// deleting them changes nothing for it (dtm serve). DuckDB resolves a
	// descriptor of an existing file to its path (which must be in the
	// warehouse) but not one of a deleted file, so /proc/self/fd/ is
	// allowed as well: a pinned DB is for SQL that dtm writes, not for a
	// client's. Where /proc/self/fd does not exist the DB is not pinned.
	Pin bool
	// Threads, when positive, is DuckDB's worker threads for this DB (many
	// small concurrent queries run better on one thread each).
	Threads int
}

// OpenLocked is Open followed by the lock-down: after the views and macros
// are created, DuckDB is told
//
//	SET allowed_directories = ['<warehouse>/']   -- the warehouse, absolute
//	SET allowed_paths = [ExtraPaths...]
//	SET enable_external_access = false            -- no other file, no network
//	SET autoinstall_known_extensions = false, autoload_known_extensions = false
//	SET lock_configuration = true                 -- no SET can undo the above
//
// so that SQL run on the DB (a figure, a dataset page, or an analyst's
// statement) reads only the warehouse: read_csv('/etc/passwd'), ATTACH,
// COPY to another directory, INSTALL/LOAD and any further SET fail with a
// DuckDB error. The views still read their Parquet files (inside the
// allowed directory). With AllowFiles the DB is returned unlocked.
func OpenLocked(ctx context.Context, root string, reg *schemas.Registry, lock Lockdown) (*DB, error) {
	d, err := open(ctx, root, reg, lock.Pin)
	if errors.Is(err, errPinUnsupported) {
		d, err = open(ctx, root, reg, false)
	}
	if err != nil {
		return nil, err
	}
	if lock.Conns > 1 {
		d.sql.SetMaxOpenConns(lock.Conns)
		d.sql.SetMaxIdleConns(lock.Conns)
	}
	if lock.Threads > 0 {
		if err := d.Exec(ctx, "SET threads = "+strconv.Itoa(lock.Threads)); err != nil {
			d.Close()
			return nil, err
		}
	}
	if lock.AllowFiles {
		return d, nil
	}
	if err := d.lockDown(ctx, lock.ExtraPaths); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// lockDown applies the settings OpenLocked documents, in an order where
// each step is still permitted.
func (d *DB) lockDown(ctx context.Context, extra []string) error {
	dir := d.root
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	paths := make([]string, 0, len(extra))
	for _, p := range extra {
		abs, err := filepath.Abs(p)
		if err != nil {
			return fmt.Errorf("lock-down: path %q: %w", p, err)
		}
		paths = append(paths, quoteLiteral(abs))
	}
	dirs := quoteLiteral(dir)
	if d.pins != nil {
		// DuckDB resolves /proc/self/fd/N to the file's path when it
		// exists (inside the warehouse: allowed), and cannot once a commit
		// deleted it: the descriptor's own name must then be allowed too.
		dirs += ", " + quoteLiteral(fdDir+"/")
	}
	stmts := []string{
		"SET allowed_directories = [" + dirs + "]",
		"SET allowed_paths = [" + strings.Join(paths, ", ") + "]",
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET enable_external_access = false",
		"SET lock_configuration = true",
	}
	for _, s := range stmts {
		if _, err := d.sql.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("locking down duckdb (%s): %w", s, err)
		}
	}
	return nil
}

// CopyTarget is the file CopyToParquet(ctx, stmt, out) has DuckDB write;
// give it in Lockdown.ExtraPaths to allow that COPY on a locked DB.
func CopyTarget(out string) (string, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	return abs + copyTempSuffix, nil
}
