package lake_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks/lake"
)

// figureRows runs every named figure (default parameters) over a
// warehouse root and returns their rows as text, by figure.
func figureRows(t *testing.T, root string) map[string]string {
	t.Helper()
	ctx := context.Background()
	db, err := query.Open(ctx, root, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	figs, err := query.Figures()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range figs {
		res, err := db.Run(ctx, f, nil, query.RunOptions{})
		if err != nil {
			t.Fatalf("figure %s: %v", f.Name, err)
		}
		out[f.Name] = fmt.Sprint(res.Columns, res.Rows)
	}
	for _, q := range []string{"SELECT count(*), sum(idp_individuals) FROM site_assessment",
		"SELECT count(*) FROM rejects WHERE failed_input", "SELECT count(*) FROM rejects", "SELECT count(*) FROM runs"} {
		res, err := db.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		out[q] = fmt.Sprint(res.Rows)
	}
	return out
}

func TestObjectStoreWarehouseGivesTheSameFigures(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "wh")
	ingest(t, root, "20260101T000000Z-aaaa", sampleInputs(t, nil))
	env := fakeS3(t)
	catURI := "sqlite:" + filepath.Join(t.TempDir(), "catalog.db")
	if _, err := lake.Publish(ctx, lake.PublishOptions{Root: root, To: "s3://lake/p", Catalog: catURI, Env: env, Registry: schemas.Default()}); err != nil {
		t.Fatal(err)
	}
	cacheDir := t.TempDir()
	ropts := lake.ReadOptions{Location: "s3://lake/p", Catalog: catURI, Env: env, Registry: schemas.Default(), CacheDir: cacheDir}
	v, err := lake.Materialize(ctx, ropts)
	if err != nil {
		t.Fatal(err)
	}
	if v.Downloaded == 0 || v.Cached != 0 {
		t.Fatalf("first view: %+v, want every file downloaded", v)
	}
	local, remote := figureRows(t, root), figureRows(t, v.Root)
	if len(local) < 3 || local["SELECT count(*), sum(idp_individuals) FROM site_assessment"] != "[[55 116462]]" {
		t.Fatalf("local warehouse: %d figures, site_assessment %s; want the sample's 55 rows", len(local), local["SELECT count(*), sum(idp_individuals) FROM site_assessment"])
	}
	for name, want := range local {
		if got := remote[name]; got != want {
			t.Errorf("%s:\n local  %s\n object %s", name, want, got)
		}
	}

	// The same publish gives the same view; a new view of another publish
	// finds the unchanged files in the cache.
	v2, err := lake.Materialize(ctx, ropts)
	if err != nil || v2.Root != v.Root {
		t.Fatalf("second read: %+v, %v; want the view %s again", v2, err, v.Root)
	}
	ingest(t, root, "20260102T000000Z-bbbb", sampleInputs(t, func(name string, b []byte) []byte {
		if name == "tcd_site_assessment_r12_fr.csv" {
			return append(append([]byte{}, b...), b[len(b)-1])
		}
		return b
	}))
	if _, err := lake.Publish(ctx, lake.PublishOptions{Root: root, To: "s3://lake/p", Catalog: catURI, Env: env, Registry: schemas.Default()}); err != nil {
		t.Fatal(err)
	}
	v3, err := lake.Materialize(ctx, ropts)
	if err != nil {
		t.Fatal(err)
	}
	if v3.Root == v.Root || v3.Cached == 0 || v3.Downloaded == 0 {
		t.Fatalf("view after a correction: %+v; want a new view reusing the cached files of unchanged sources", v3)
	}
	if !reflect.DeepEqual(figureRows(t, root), figureRows(t, v3.Root)) {
		t.Fatal("figures differ after the correction")
	}

	// Bounded cache: with a 1-byte bound only the files of the current
	// view are kept.
	ropts.MaxCacheBytes = 1
	ropts.CacheDir = cacheDir
	if err := os.RemoveAll(filepath.Join(cacheDir, "views")); err != nil {
		t.Fatal(err)
	}
	v4, err := lake.Materialize(ctx, ropts)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	filepath.WalkDir(filepath.Join(cacheDir, "objects"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	if n != v4.Cached+v4.Downloaded {
		t.Fatalf("cache holds %d objects after eviction, the view %d", n, v4.Cached+v4.Downloaded)
	}
}
