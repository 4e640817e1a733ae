package lake

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"strings"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/catalog/rest"
	sqlcat "github.com/apache/iceberg-go/catalog/sql"
	_ "github.com/apache/iceberg-go/io/gocloud/s3" // registers the s3:// FileIO
	_ "github.com/lib/pq"                          // registers the "postgres" driver (pure Go)
	_ "modernc.org/sqlite"                         // registers the "sqlite" driver (pure Go)
)

// Namespace is the Iceberg namespace of dtm's tables.
const Namespace = "dtm"

// catalogName is the catalog name stored in the SQL catalog's rows (the
// JDBC catalog's catalog_name column); engines must use the same name.
const catalogName = "dtm"

// OpenCatalog opens the Iceberg catalog named by uri:
//
//	sqlite:PATH                  the SQL catalog in a SQLite file (one machine)
//	postgres://… postgresql://…  the SQL catalog in PostgreSQL (a shared deployment)
//	http://… https://…           a REST catalog
//
// Both SQL catalogs keep the tables of Iceberg's JDBC catalog
// (iceberg_tables with its iceberg_type column, and
// iceberg_namespace_properties; created when missing) under the catalog
// name "dtm", so Java's JdbcCatalog (Spark, Trino, Flink) reads what dtm
// writes. A PostgreSQL URI is the libpq URI that github.com/lib/pq takes
// (postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=disable|require|verify-full;
// sslmode defaults to require); the password may instead come from
// PGPASSWORD or ~/.pgpass, as with psql.
//
// props are the FileIO properties (IcebergProps) given to every table; the
// SQL catalog also gets warehouse=loc. The caller closes the catalog with
// CloseCatalog.
func OpenCatalog(ctx context.Context, uri string, loc Location, props map[string]string) (catalog.Catalog, error) {
	p := iceberg.Properties{}
	maps.Copy(p, props)
	p["warehouse"] = loc.String()
	switch {
	case strings.HasPrefix(uri, "sqlite:"):
		path := strings.TrimPrefix(uri, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return nil, fmt.Errorf("catalog %q: want sqlite:PATH", uri)
		}
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
		if err != nil {
			return nil, fmt.Errorf("opening catalog %s: %w", path, err)
		}
		c, err := sqlcat.NewCatalog(catalogName, db, sqlcat.SQLite, p)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("opening catalog %s: %w", path, err)
		}
		return &ownedSQL{Catalog: c, db: db}, nil
	case strings.HasPrefix(uri, "postgres://"), strings.HasPrefix(uri, "postgresql://"):
		return openPostgres(ctx, uri, p)
	case strings.HasPrefix(uri, "http://"), strings.HasPrefix(uri, "https://"):
		c, err := rest.NewCatalog(ctx, catalogName, uri, rest.WithAdditionalProps(p), rest.WithWarehouseLocation(loc.String()))
		if err != nil {
			return nil, fmt.Errorf("opening REST catalog %s: %w", redact(uri), err)
		}
		return c, nil
	case uri == "":
		return nil, fmt.Errorf("an object-store warehouse needs a catalog (--catalog sqlite:PATH, postgres://…, or a REST https://… URL)")
	default:
		return nil, fmt.Errorf("catalog %q: want sqlite:PATH, postgres://… or a REST http(s)://… URL", redact(uri))
	}
}

// CloseCatalog releases what OpenCatalog opened.
func CloseCatalog(c catalog.Catalog) error {
	if cl, ok := c.(interface{ Close() error }); ok {
		return cl.Close()
	}
	return nil
}

// ownedSQL is a SQL catalog together with the database handle it was given.
type ownedSQL struct {
	*sqlcat.Catalog
	db *sql.DB
}

func (o *ownedSQL) Close() error {
	err := o.Catalog.Close()
	if derr := o.db.Close(); err == nil {
		err = derr
	}
	return err
}

// redact drops a password from a URI for messages: the user-info
// password (scheme://user:PASSWORD@host) and a password= query parameter
// (libpq's URI takes both).
func redact(uri string) string {
	if i := strings.Index(uri, "://"); i >= 0 {
		if at := strings.LastIndex(uri, "@"); at > i {
			rest := uri[i+3 : at]
			if c := strings.IndexByte(rest, ':'); c >= 0 {
				uri = uri[:i+3] + rest[:c] + ":***" + uri[at:]
			}
		}
	}
	if q := strings.IndexByte(uri, '?'); q >= 0 {
		params := strings.Split(uri[q+1:], "&")
		for k, kv := range params {
			if name, _, ok := strings.Cut(kv, "="); ok && strings.EqualFold(name, "password") {
				params[k] = name + "=***"
			}
		}
		uri = uri[:q+1] + strings.Join(params, "&")
	}
	return uri
}
