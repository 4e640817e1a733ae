package lake

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/apache/iceberg-go"
	sqlcat "github.com/apache/iceberg-go/catalog/sql"
	"github.com/lib/pq"
)

// openPostgres opens the SQL catalog in the PostgreSQL database named by
// uri. The first open of a database creates the catalog's two tables
// (CREATE TABLE IF NOT EXISTS); two dtm processes doing that at once can
// collide in PostgreSQL's own catalog (unique_violation on pg_type, an
// old PostgreSQL behaviour of concurrent CREATE TABLE IF NOT EXISTS), so
// that one error is retried a few times. Errors never carry the password.
func openPostgres(ctx context.Context, uri string, p iceberg.Properties) (*ownedSQL, error) {
	db, err := sql.Open("postgres", uri)
	if err != nil {
		return nil, fmt.Errorf("opening catalog %s: %w", redact(uri), err)
	}
	// A catalog does a handful of short transactions per table commit; a
	// small pool keeps dtm from holding many server connections.
	db.SetMaxOpenConns(4)
	db.SetConnMaxIdleTime(time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening catalog %s: %w", redact(uri), err)
	}
	var c *sqlcat.Catalog
	for attempt := 0; ; attempt++ {
		c, err = sqlcat.NewCatalog(catalogName, db, sqlcat.Postgres, p)
		if err == nil || attempt == 4 || !isUniqueViolation(err) {
			break
		}
		time.Sleep(time.Duration(50*(attempt+1)) * time.Millisecond)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("opening catalog %s: %w", redact(uri), err)
	}
	return &ownedSQL{Catalog: c, db: db}, nil
}

// isUniqueViolation tells a PostgreSQL unique_violation (SQLSTATE 23505).
func isUniqueViolation(err error) bool {
	var pe *pq.Error
	return errors.As(err, &pe) && pe.Code == "23505"
}
