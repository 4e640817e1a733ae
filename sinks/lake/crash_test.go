package lake_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/apache/iceberg-go/table"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks/lake"
)

var errCrash = errors.New("simulated crash")

// TestPublishStoppedAtEveryStep stops a publish at each of its steps
// (after the uploads, after the journal, after each table's commit, after
// head.json): dtm's readers still see the previous complete publish
// (figures equal those of the previous local state) until the publish is
// run again, which converges: the readers then see the new state, and the
// Iceberg tables hold exactly the rows of dtm's views.
func TestPublishStoppedAtEveryStep(t *testing.T) {
	ctx := context.Background()
	points := []string{"uploaded", "journal"}
	for _, d := range []string{"displacement_admin", "flow_registry", "flow_survey", "site_assessment", lake.RejectsTable, lake.RejectsFailedTable} {
		points = append(points, "committed:"+d)
	}
	points = append(points, "head")
	if testing.Short() {
		points = []string{"journal", "committed:site_assessment", "head"}
	}
	// The two local states, built once: A lacks round 38 of South Sudan, B has it.
	base := t.TempDir()
	rootA, rootB := filepath.Join(base, "a"), filepath.Join(base, "b")
	ingest(t, rootA, "20260101T000000Z-aaaa", sampleInputs(t, func(name string, b []byte) []byte {
		if name == "ssd_site_assessment_r38.csv" {
			return []byte("not,a\n")
		}
		return b
	}))
	ingest(t, rootB, "20260102T000000Z-bbbb", sampleInputs(t, nil))
	before, after := figureRows(t, rootA), figureRows(t, rootB)
	if reflect.DeepEqual(before, after) {
		t.Fatal("the two states give the same figures: the test could not tell them apart")
	}
	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			dir := t.TempDir()
			env := fakeS3(t)
			catURI := "sqlite:" + filepath.Join(dir, "catalog.db")
			optsA := lake.PublishOptions{Root: rootA, To: "s3://lake/w", Catalog: catURI, Env: env, Registry: schemas.Default()}
			opts := optsA
			opts.Root = rootB
			root := rootB
			ropts := lake.ReadOptions{Location: "s3://lake/w", Catalog: catURI, Env: env, Registry: schemas.Default(), CacheDir: filepath.Join(dir, "cache")}
			if _, err := lake.Publish(ctx, optsA); err != nil {
				t.Fatal(err)
			}

			stopped := opts
			stopped.Hook = func(p string) error {
				if p == point {
					return errCrash
				}
				return nil
			}
			if _, err := lake.Publish(ctx, stopped); !errors.Is(err, errCrash) {
				t.Fatalf("publish stopped at %s: %v", point, err)
			}
			v, err := lake.Materialize(ctx, ropts)
			if err != nil {
				t.Fatal(err)
			}
			want := before
			if point == "head" {
				want = after // head.json written: the publish is complete for readers
			}
			if got := figureRows(t, v.Root); !reflect.DeepEqual(got, want) {
				t.Fatalf("readers after a stop at %s see another state:\n got %v\nwant %v", point, got, want)
			}

			if _, err := lake.Publish(ctx, opts); err != nil {
				t.Fatalf("publish after the stop: %v", err)
			}
			v, err = lake.Materialize(ctx, ropts)
			if err != nil {
				t.Fatal(err)
			}
			if got := figureRows(t, v.Root); !reflect.DeepEqual(got, after) {
				t.Fatalf("after recovery readers see:\n got %v\nwant %v", got, after)
			}
			cat, err := lake.OpenCatalog(ctx, catURI, lake.Location{Bucket: "lake", Prefix: "w"}, env.IcebergProps())
			if err != nil {
				t.Fatal(err)
			}
			defer lake.CloseCatalog(cat)
			tbl, err := cat.LoadTable(ctx, table.Identifier{lake.Namespace, "site_assessment"})
			if err != nil {
				t.Fatal(err)
			}
			rows, sum := icebergScan(t, tbl, "idp_individuals")
			if wr, ws := duckInt(t, root, "SELECT count(*) FROM site_assessment"), duckInt(t, root, "SELECT CAST(sum(idp_individuals) AS BIGINT) FROM site_assessment"); rows != wr || sum != ws {
				t.Fatalf("iceberg scan %d rows / %d, dtm's views %d / %d", rows, sum, wr, ws)
			}
		})
	}
}
