package query_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// TestPinnedSnapshot checks that a pinned, locked DB keeps answering from
// its generation after a commit has replaced and deleted that
// generation's files, while a DB opened afterwards sees the new rows.
func TestPinnedSnapshot(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd")
	}
	ctx := context.Background()
	wh, dir := t.TempDir(), t.TempDir()
	in := filepath.Join(dir, "sites.csv")
	write := func(idps string) {
		const header = "Country Code,State,State Pcode,Site ID,Site Name,Round,Survey Date,Total IDP (Individuals)\n"
		if err := os.WriteFile(in, []byte(header+"SSD,Central Equatoria,SS01,P-1,Pinned,R1,2025-01-10,"+idps+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := pipeline.Run(ctx, pipeline.Config{Warehouse: wh, Registry: schemas.Default(), RunID: "run-" + idps},
			[]pipeline.Input{{Path: in, Kind: "site_assessment"}})
		if err != nil || res.ExitCode != 0 {
			t.Fatalf("ingest: %v %+v", err, res)
		}
	}
	total := func(db *query.DB) string {
		t.Helper()
		res, err := db.Query(ctx, "SELECT sum(idp_individuals) FROM site_assessment")
		if err != nil {
			t.Fatalf("query: %v", err)
		}
		return text(res.Rows[0][0])
	}
	write("111")
	old, err := query.OpenLocked(ctx, wh, schemas.Default(), query.Lockdown{Pin: true, Conns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	files := old.Manifest().DataFiles("site_assessment")
	write("222")
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(wh, f)); !os.IsNotExist(err) {
			t.Fatalf("the commit did not delete %s (err %v): the test shows nothing", f, err)
		}
	}
	if got := total(old); got != "111" {
		t.Errorf("pinned DB after the commit: %s, want 111", got)
	}
	fresh, err := query.OpenLocked(ctx, wh, schemas.Default(), query.Lockdown{Pin: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if got := total(fresh); got != "222" {
		t.Errorf("new DB: %s, want 222", got)
	}
	// Still locked: the descriptors are allowed one by one, not the directory.
	if _, err := fresh.Query(ctx, "SELECT * FROM read_text('/proc/self/fd/0')"); err == nil {
		t.Error("a pinned DB reads another descriptor")
	}
	if _, err := fresh.Query(ctx, "SELECT * FROM read_text('/proc/self/status')"); err == nil || !strings.Contains(err.Error(), "Permission") {
		t.Errorf("a pinned DB reads /proc: %v", err)
	}
}
