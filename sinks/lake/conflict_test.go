package lake_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/apache/iceberg-go/table"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks/lake"
)

// TestPublishThatLosesRollsBack: a publish whose head.json is replaced by
// another publish while it commits its tables (simulated by rewriting
// head.json from the hook after its last table commit) fails with
// ErrConflict, rolls its own snapshots back (every table at the snapshot
// head.json names, readers on the previous state, no publish in flight),
// and publishing again succeeds. A publish told it starts from a head
// that is no longer there (Expect) is refused before it uploads.
func TestPublishThatLosesRollsBack(t *testing.T) {
	ctx := context.Background()
	base := t.TempDir()
	rootA, rootB := filepath.Join(base, "a"), filepath.Join(base, "b")
	ingest(t, rootA, "20260101T000000Z-aaaa", sampleInputs(t, func(name string, b []byte) []byte {
		if name == "ssd_site_assessment_r38.csv" {
			return []byte("not,a\n")
		}
		return b
	}))
	ingest(t, rootB, "20260102T000000Z-bbbb", sampleInputs(t, nil))
	before := figureRows(t, rootA)
	env := fakeS3(t)
	catURI := "sqlite:" + filepath.Join(base, "catalog.db")
	loc := "s3://lake/w"
	optsA := lake.PublishOptions{Root: rootA, To: loc, Catalog: catURI, Env: env, Registry: schemas.Default()}
	if _, err := lake.Publish(ctx, optsA); err != nil {
		t.Fatal(err)
	}
	st, err := lake.Status(ctx, env, loc)
	if err != nil {
		t.Fatal(err)
	}
	headA := st.Head

	optsB := optsA
	optsB.Root = rootB
	optsB.Hook = func(p string) error {
		if p != "committed:"+lake.RejectsFailedTable {
			return nil
		}
		other := *headA
		other.CommittedAt = time.Now().UTC()
		b, _ := json.Marshal(&other)
		return lake.PutForTest(ctx, env, loc, "_dtm/head.json", b, false, "")
	}
	if _, err := lake.Publish(ctx, optsB); !errors.Is(err, lake.ErrConflict) {
		t.Fatalf("publish over a head that changed: %v, want ErrConflict", err)
	}
	st, err = lake.Status(ctx, env, loc)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.InFlight) > 0 || st.Head.PublishID != headA.PublishID {
		t.Fatalf("after the lost publish: in flight %v, head %s (want %s)", st.InFlight, st.Head.PublishID, headA.PublishID)
	}
	cat, err := lake.OpenCatalog(ctx, catURI, lake.Location{Bucket: "lake", Prefix: "w"}, env.IcebergProps())
	if err != nil {
		t.Fatal(err)
	}
	defer lake.CloseCatalog(cat)
	for name, id := range headA.Snapshots {
		tbl, err := cat.LoadTable(ctx, table.Identifier{lake.Namespace, name})
		if err != nil {
			t.Fatal(err)
		}
		var cur int64
		if s := tbl.CurrentSnapshot(); s != nil {
			cur = s.SnapshotID
		}
		if cur != id {
			t.Errorf("table %s at snapshot %d after the rollback, head.json names %d", name, cur, id)
		}
		for _, s := range tbl.Metadata().Snapshots() {
			if s.Summary != nil && s.Summary.Properties[lake.SummaryRunID] == "20260102T000000Z-bbbb" {
				t.Errorf("table %s still lists snapshot %d of the lost publish", name, s.SnapshotID)
			}
		}
	}
	ropts := lake.ReadOptions{Location: loc, Catalog: catURI, Env: env, Registry: schemas.Default(), CacheDir: filepath.Join(base, "cache")}
	v, err := lake.Materialize(ctx, ropts)
	if err != nil {
		t.Fatal(err)
	}
	if got := figureRows(t, v.Root); !reflect.DeepEqual(got, before) {
		t.Fatalf("readers after the lost publish:\n got %v\nwant %v", got, before)
	}

	stale := optsA
	stale.Root = rootB
	stale.Expect = &lake.HeadVersion{Found: false}
	if _, err := lake.Publish(ctx, stale); !errors.Is(err, lake.ErrConflict) {
		t.Fatalf("publish from a head that is gone: %v, want ErrConflict", err)
	}
	optsB.Hook = nil
	if _, err := lake.Publish(ctx, optsB); err != nil {
		t.Fatalf("publishing again: %v", err)
	}
	v, err = lake.Materialize(ctx, ropts)
	if err != nil {
		t.Fatal(err)
	}
	if got := figureRows(t, v.Root); !reflect.DeepEqual(got, figureRows(t, rootB)) {
		t.Fatal("after publishing again readers do not see the new state")
	}
}

// TestOwnerRunning: which interrupted publishes recovery may take over.
func TestOwnerRunning(t *testing.T) {
	self := lake.CurrentOwner()
	now := time.Now()
	// A child that has exited: its PID is not running.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("no `true` to run: %v", err)
	}
	parent := lake.Owner{Host: self.Host, PID: os.Getppid()}
	for _, c := range []struct {
		name string
		o    lake.Owner
		at   time.Time
		want bool
	}{
		{"this process", self, now, false},
		{"a process of this host that exited", lake.Owner{Host: self.Host, PID: cmd.Process.Pid}, now, false},
		{"a running process of this host", parent, now.Add(-48 * time.Hour), true},
		{"a reused PID (another start time)", lake.Owner{Host: self.Host, PID: os.Getppid(), Start: "1"}, now, self.Start == ""},
		{"another host, begun a minute ago", lake.Owner{Host: "elsewhere", PID: 1}, now.Add(-time.Minute), true},
		{"another host, begun two hours ago", lake.Owner{Host: "elsewhere", PID: 1}, now.Add(-2 * time.Hour), false},
	} {
		if got := lake.OwnerRunning(c.o, self, c.at, now, time.Hour); got != c.want {
			t.Errorf("%s: running %v, want %v", c.name, got, c.want)
		}
	}
}

// TestFirstPublishStoppedIsRolledBack: the very first publish of a
// location stops after committing a table (no head.json yet); the next
// publish, of another state, finds it interrupted, rolls the table back to
// no snapshot at all, deletes the objects it uploaded, and publishes.
func TestFirstPublishStoppedIsRolledBack(t *testing.T) {
	ctx := context.Background()
	base := t.TempDir()
	rootA, rootB := filepath.Join(base, "a"), filepath.Join(base, "b")
	ingest(t, rootA, "20260101T000000Z-aaaa", sampleInputs(t, nil))
	ingest(t, rootB, "20260102T000000Z-bbbb", sampleInputs(t, func(name string, b []byte) []byte {
		if name == "ssd_site_assessment_r38.csv" {
			return []byte("not,a\n")
		}
		return b
	}))
	env := fakeS3(t)
	catURI := "sqlite:" + filepath.Join(base, "catalog.db")
	loc := "s3://lake/w"
	stopped := lake.PublishOptions{Root: rootA, To: loc, Catalog: catURI, Env: env, Registry: schemas.Default(),
		Hook: func(p string) error {
			if p == "committed:site_assessment" {
				return errCrash
			}
			return nil
		}}
	if _, err := lake.Publish(ctx, stopped); !errors.Is(err, errCrash) {
		t.Fatalf("stopped publish: %v", err)
	}
	st, err := lake.Status(ctx, env, loc)
	if err != nil {
		t.Fatal(err)
	}
	if st.Head != nil || len(st.InFlight) != 1 {
		t.Fatalf("after the stop: head %v, in flight %v", st.Head, st.InFlight)
	}
	res, err := lake.Publish(ctx, lake.PublishOptions{Root: rootB, To: loc, Catalog: catURI, Env: env, Registry: schemas.Default()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Recovered) != 1 || res.Recovered[0].Action != "rolled-back" || res.Recovered[0].Deleted == 0 {
		t.Fatalf("recovery: %+v", res.Recovered)
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
	for _, s := range tbl.Metadata().Snapshots() {
		if s.Summary != nil && s.Summary.Properties[lake.SummaryRunID] == "20260101T000000Z-aaaa" {
			t.Errorf("the interrupted publish's snapshot %d is still listed", s.SnapshotID)
		}
	}
	rows, sum := icebergScan(t, tbl, "idp_individuals")
	if wr, ws := duckInt(t, rootB, "SELECT count(*) FROM site_assessment"), duckInt(t, rootB, "SELECT CAST(sum(idp_individuals) AS BIGINT) FROM site_assessment"); rows != wr || sum != ws {
		t.Fatalf("iceberg scan %d rows / %d, dtm's views %d / %d", rows, sum, wr, ws)
	}
}
