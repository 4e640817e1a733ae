package lake_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/table"

	"github.com/iom-dtm/dtm/internal/testpg"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks/lake"
)

// TestPostgresCatalog publishes the sample through the SQL catalog on a
// real PostgreSQL (a throwaway cluster, internal/testpg), reads it back as
// dtm's readers do, checks the rows are the JDBC catalog's, and that
// concurrent commits to one table lose no update (the catalog's
// compare-and-swap on metadata_location, in PostgreSQL).
func TestPostgresCatalog(t *testing.T) {
	ctx := context.Background()
	pg := testpg.Start(t)
	root := filepath.Join(t.TempDir(), "wh")
	ingest(t, root, "20260101T000000Z-aaaa", sampleInputs(t, nil))
	env := fakeS3(t)
	loc := lake.Location{Bucket: "lake", Prefix: "pg"}
	res, err := lake.Publish(ctx, lake.PublishOptions{Root: root, To: loc.String(), Catalog: pg.URI, Env: env, Registry: schemas.Default()})
	if err != nil {
		t.Fatal(err)
	}

	// dtm's readers see the same figures as from the local warehouse.
	v, err := lake.Materialize(ctx, lake.ReadOptions{Location: loc.String(), Catalog: pg.URI, Env: env, Registry: schemas.Default(), CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	local, remote := figureRows(t, root), figureRows(t, v.Root)
	if local["SELECT count(*), sum(idp_individuals) FROM site_assessment"] != "[[55 116462]]" {
		t.Fatalf("local warehouse: site_assessment %s; want the sample's 55 rows", local["SELECT count(*), sum(idp_individuals) FROM site_assessment"])
	}
	for name, want := range local {
		if got := remote[name]; got != want {
			t.Errorf("%s:\n local    %s\n postgres %s", name, want, got)
		}
	}

	// The catalog rows are those of Iceberg's JDBC catalog (schema V1):
	// one per published table, catalog "dtm", namespace "dtm", type TABLE,
	// pointing at the metadata iceberg-go loads.
	db, err := sql.Open("postgres", pg.URI)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT catalog_name, table_namespace, table_name, iceberg_type, metadata_location FROM iceberg_tables ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ cat, ns, name, typ, meta string }
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.cat, &r.ns, &r.name, &r.typ, &r.meta); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tp := range res.Tables {
		want = append(want, tp.Table)
	}
	sort.Strings(want)
	if len(got) != len(want) {
		t.Fatalf("iceberg_tables holds %d rows, want one per published table %v", len(got), want)
	}
	cat, err := lake.OpenCatalog(ctx, pg.URI, loc, env.IcebergProps())
	if err != nil {
		t.Fatal(err)
	}
	defer lake.CloseCatalog(cat)
	for i, r := range got {
		if r.cat != "dtm" || r.ns != lake.Namespace || r.name != want[i] || r.typ != "TABLE" {
			t.Errorf("iceberg_tables row %+v, want catalog dtm, namespace dtm, table %s, type TABLE", r, want[i])
			continue
		}
		tbl, err := cat.LoadTable(ctx, table.Identifier{lake.Namespace, r.name})
		if err != nil {
			t.Fatal(err)
		}
		if tbl.MetadataLocation() != r.meta {
			t.Errorf("%s: row says %s, the catalog loads %s", r.name, r.meta, tbl.MetadataLocation())
		}
	}
	var nsRows int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM iceberg_namespace_properties WHERE catalog_name = 'dtm' AND namespace = 'dtm'`).Scan(&nsRows); err != nil || nsRows == 0 {
		t.Fatalf("namespace dtm: %d property rows, %v", nsRows, err)
	}

	// Concurrent writers, each with its own catalog (own connections):
	// every commit that reports success is in the final metadata.
	const writers = 4
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := lake.OpenCatalog(ctx, pg.URI, loc, env.IcebergProps())
			if err != nil {
				errs[i] = err
				return
			}
			defer lake.CloseCatalog(c)
			tbl, err := c.LoadTable(ctx, table.Identifier{lake.Namespace, lake.RejectsTable})
			if err != nil {
				errs[i] = err
				return
			}
			tx := tbl.NewTransaction()
			if err := tx.SetProperties(iceberg.Properties{fmt.Sprintf("dtm.test-writer-%d", i): "yes"}); err != nil {
				errs[i] = err
				return
			}
			_, errs[i] = tx.Commit(ctx)
		}()
	}
	wg.Wait()
	final, err := cat.LoadTable(ctx, table.Identifier{lake.Namespace, lake.RejectsTable})
	if err != nil {
		t.Fatal(err)
	}
	ok := 0
	for i, err := range errs {
		has := final.Properties()[fmt.Sprintf("dtm.test-writer-%d", i)] == "yes"
		switch {
		case err == nil && !has:
			t.Errorf("writer %d: commit succeeded but its property is lost", i)
		case err == nil:
			ok++
		case !errors.Is(err, table.ErrCommitFailed):
			t.Errorf("writer %d: %v (want success or a commit conflict)", i, err)
		}
	}
	if ok == 0 {
		t.Fatalf("no concurrent commit succeeded: %v", errs)
	}
	t.Logf("PostgreSQL catalog: %d tables; %d of %d concurrent commits succeeded, the rest conflicted", len(got), ok, writers)
}

func TestPostgresCatalogUnreachable(t *testing.T) {
	ctx := context.Background()
	uri := "postgres://dtm:s3cret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"
	_, err := lake.OpenCatalog(ctx, uri, lake.Location{Bucket: "lake"}, nil)
	if err == nil {
		t.Fatal("opened a catalog on a closed port")
	}
	if msg := err.Error(); !strings.Contains(msg, "127.0.0.1:1") || strings.Contains(msg, "s3cret") {
		t.Fatalf("error %q: want the address and no password", msg)
	}
	t.Log(err)
}
