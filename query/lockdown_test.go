package query_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// TestLockdown checks that a locked DB reads the warehouse views and
// nothing else, and that no statement can lift the lock.
func TestLockdown(t *testing.T) {
	_, wh := openFixture(t)
	ctx := context.Background()
	outside := filepath.Join(t.TempDir(), "secret.csv")
	if err := os.WriteFile(outside, []byte("a,b\n1,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := query.OpenLocked(ctx, wh, schemas.Default(), query.Lockdown{Conns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// The views and figures work, on every connection at once.
	fig, err := query.LookupFigure("idps")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := db.Run(ctx, fig, nil, query.RunOptions{}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("figure on a locked DB: %v", err)
	}
	res, err := db.Query(ctx, "SELECT count(*) FROM site_assessment")
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("view on a locked DB: %v", err)
	}

	denied := []string{
		"SELECT * FROM read_csv(" + lit(outside) + ")",
		"SELECT * FROM read_text('/etc/passwd')",
		"SELECT * FROM read_csv(" + lit(filepath.Join(wh, "..", filepath.Base(filepath.Dir(outside)), "secret.csv")) + ")",
		"COPY (SELECT 1) TO " + lit(filepath.Join(t.TempDir(), "x.csv")),
		"ATTACH " + lit(filepath.Join(t.TempDir(), "x.duckdb")),
		"SET enable_external_access = true",
		"SET lock_configuration = false",
		"SET allowed_directories = ['/']",
		"RESET enable_external_access",
		"INSTALL httpfs",
	}
	for _, stmt := range denied {
		if _, err := db.Query(ctx, stmt); err == nil {
			t.Errorf("locked DB ran %q", stmt)
		}
	}
	// Still locked after the attempts.
	if _, err := db.Query(ctx, "SELECT * FROM read_csv("+lit(outside)+")"); err == nil {
		t.Errorf("lock lifted by an earlier statement")
	}

	open, err := query.OpenLocked(ctx, wh, schemas.Default(), query.Lockdown{AllowFiles: true})
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	if _, err := open.Query(ctx, "SELECT * FROM read_csv("+lit(outside)+")"); err != nil {
		t.Errorf("--allow-files DB cannot read a file: %v", err)
	}
}

// TestLockdownCopyTarget checks that a locked DB may write exactly the
// COPY target it was given.
func TestLockdownCopyTarget(t *testing.T) {
	_, wh := openFixture(t)
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "out.parquet")
	target, err := query.CopyTarget(out)
	if err != nil {
		t.Fatal(err)
	}
	db, err := query.OpenLocked(ctx, wh, schemas.Default(), query.Lockdown{ExtraPaths: []string{target}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CopyToParquet(ctx, "SELECT * FROM site_assessment", out); err != nil {
		t.Fatalf("COPY to the allowed target: %v", err)
	}
	other := filepath.Join(filepath.Dir(out), "other.parquet")
	if err := db.CopyToParquet(ctx, "SELECT 1", other); err == nil {
		t.Errorf("COPY to a target not allowed succeeded")
	}
}

func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
