package lake_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/iceberg-go/table"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/internal/sample"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/sinks/lake"
)

// fakeS3 starts an in-process S3 server (gofakes3) on loopback with one
// bucket, "lake", and returns the settings to reach it.
func fakeS3(t *testing.T) lake.S3Env {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("lake"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	return lake.S3Env{Endpoint: srv.URL, Region: "us-east-1", AccessKey: "dtm-test", SecretKey: "dtm-test-secret"}
}

// sampleInputs are the bundled sample's inputs (as the example job names
// them); edit, when set, changes one file's bytes.
func sampleInputs(t *testing.T, edit func(name string, b []byte) []byte) []pipeline.Input {
	t.Helper()
	var ins []pipeline.Input
	for _, f := range []struct{ name, country, op string }{
		{"ssd_site_assessment_r37.csv", "", "South Sudan Mobility Tracking"},
		{"ssd_site_assessment_r38.csv", "", "South Sudan Mobility Tracking"},
		{"tcd_site_assessment_r12_fr.csv", "TCD", "Tchad Suivi de la mobilité"},
	} {
		b, err := fsRead(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			b = edit(f.name, b)
		}
		ins = append(ins, pipeline.Input{Path: "sample/" + f.name, Data: b, Kind: "site_assessment", Country: f.country, Operation: f.op, Source: "sample"})
	}
	return ins
}

func fsRead(name string) ([]byte, error) {
	f, err := sample.FS().Open("data/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, _ := f.Stat()
	b := make([]byte, st.Size())
	_, err = f.Read(b)
	return b, err
}

func ingest(t *testing.T, root, runID string, ins []pipeline.Input) {
	t.Helper()
	res, err := pipeline.Run(context.Background(), pipeline.Config{Warehouse: root, Registry: schemas.Default(), RunID: runID, Command: "test", MaxRejectRatio: 0.5}, ins)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Committed {
		t.Fatalf("run %s committed nothing: %+v", runID, res)
	}
}

// duckInt runs a one-value query through dtm's own views.
func duckInt(t *testing.T, root, sql string) int64 {
	t.Helper()
	db, err := query.Open(context.Background(), root, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Query(context.Background(), sql)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		t.Fatalf("%s: %d rows", sql, len(res.Rows))
	}
	switch v := res.Rows[0][0].(type) {
	case int64:
		return v
	case int32:
		return int64(v)
	case nil:
		return 0
	}
	t.Fatalf("%s: value %T", sql, res.Rows[0][0])
	return 0
}

// icebergScan reads a whole table back with iceberg-go's own scan: rows
// and the sum of an int64 column.
func icebergScan(t *testing.T, tbl *table.Table, col string) (rows, sum int64) {
	t.Helper()
	at, err := tbl.Scan().ToArrowTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer at.Release()
	rows = at.NumRows()
	if col == "" {
		return rows, 0
	}
	idx := at.Schema().FieldIndices(col)
	if len(idx) != 1 {
		t.Fatalf("no column %s in %s", col, at.Schema())
	}
	for _, ch := range at.Column(idx[0]).Data().Chunks() {
		c := ch.(*array.Int64)
		for i := 0; i < c.Len(); i++ {
			if c.IsValid(i) {
				sum += c.Value(i)
			}
		}
	}
	return rows, sum
}

func TestPublishSampleToObjectStore(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "wh")
	ingest(t, root, "20260101T000000Z-aaaa", sampleInputs(t, nil))
	env := fakeS3(t)
	catURI := "sqlite:" + filepath.Join(t.TempDir(), "catalog.db")
	opts := lake.PublishOptions{Root: root, To: "s3://lake/dtm", Catalog: catURI, Env: env, Registry: schemas.Default()}

	res, err := lake.Publish(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sinks.ReadManifest(root)
	if err != nil {
		t.Fatal(err)
	}
	byTable := map[string]lake.TablePublish{}
	for _, tp := range res.Tables {
		byTable[tp.Table] = tp
	}
	site := byTable["site_assessment"]
	if want := len(m.DataFiles("site_assessment")); site.Files != want || site.Added != want || !site.Committed || site.Uploaded != want || want == 0 {
		t.Fatalf("site_assessment: %+v, want %d files added and uploaded", site, want)
	}
	if rj := byTable[lake.RejectsTable]; rj.Files != len(m.RejectFiles()) {
		t.Fatalf("rejects: %+v, want %d files", rj, len(m.RejectFiles()))
	}

	cat, err := lake.OpenCatalog(ctx, catURI, lake.Location{Bucket: "lake", Prefix: "dtm"}, env.IcebergProps())
	if err != nil {
		t.Fatal(err)
	}
	defer lake.CloseCatalog(cat)
	tbl, err := cat.LoadTable(ctx, table.Identifier{lake.Namespace, "site_assessment"})
	if err != nil {
		t.Fatal(err)
	}
	// Same rows and values through iceberg-go's scan as through dtm's views.
	rows, sum := icebergScan(t, tbl, "idp_individuals")
	wantRows := duckInt(t, root, "SELECT count(*) FROM site_assessment")
	wantSum := duckInt(t, root, "SELECT CAST(sum(idp_individuals) AS BIGINT) FROM site_assessment")
	if rows != wantRows || sum != wantSum || rows == 0 {
		t.Fatalf("iceberg scan: %d rows, sum(idp_individuals) %d; dtm views: %d, %d", rows, sum, wantRows, wantSum)
	}
	rjt, err := cat.LoadTable(ctx, table.Identifier{lake.Namespace, lake.RejectsTable})
	if err != nil {
		t.Fatal(err)
	}
	if rjRows, _ := icebergScan(t, rjt, ""); rjRows != duckInt(t, root, "SELECT count(*) FROM rejects WHERE NOT failed_input") {
		t.Fatalf("rejects table: %d rows, dtm's view another count", rjRows)
	}

	t.Logf("site_assessment: %d rows, sum(idp_individuals) %d, %d files; rejects %d files", rows, sum, site.Files, byTable[lake.RejectsTable].Files)
	// The files keep the local partitioning, and their partition values
	// are the ones the local directories name.
	tasks, err := tbl.Scan().PlanFiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		p := task.File.FilePath()
		part := task.File.Partition()
		if !strings.HasPrefix(p, "s3://lake/dtm/site_assessment/data/country=") {
			t.Errorf("data file %s is not under the table's data/ with the local partition directories", p)
		}
		c, _ := part[1000].(string)
		if c == "" || !strings.Contains(p, "country="+c+"/") {
			t.Errorf("file %s: partition %v does not match its directory", p, part)
		}
	}

	// The snapshot summary names the run and the sources.
	snap := tbl.CurrentSnapshot()
	if snap.Summary == nil || snap.Summary.Properties[lake.SummaryRunID] != m.RunID {
		t.Fatalf("summary %+v lacks run id %s", snap.Summary, m.RunID)
	}
	var hashes []string
	for _, s := range m.Sources {
		hashes = append(hashes, s.Hash)
	}
	sort.Strings(hashes)
	if got := snap.Summary.Properties[lake.SummarySources]; got != strings.Join(hashes, ",") {
		t.Fatalf("summary source ids %q, want %q", got, strings.Join(hashes, ","))
	}

	// Idempotent: a second publish commits nothing and uploads nothing.
	res2, err := lake.Publish(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range res2.Tables {
		if tp.Committed || tp.Uploaded != 0 || tp.Added != 0 || tp.Removed != 0 || tp.SnapshotID != byTable[tp.Table].SnapshotID {
			t.Fatalf("re-run changed %+v (first %+v)", tp, byTable[tp.Table])
		}
	}

	// A corrected source replaces exactly its own files, in one snapshot.
	old := map[string]bool{}
	for _, s := range m.Sources {
		if strings.HasSuffix(s.File, "r38.csv") {
			for _, f := range s.Files {
				old[f] = true
			}
		}
	}
	ingest(t, root, "20260102T000000Z-bbbb", sampleInputs(t, func(name string, b []byte) []byte {
		if name != "ssd_site_assessment_r38.csv" {
			return b
		}
		lines := strings.Split(string(b), "\n")
		return []byte(strings.Join(lines[:len(lines)-2], "\n") + "\n") // the last row dropped
	}))
	res3, err := lake.Publish(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range res3.Tables {
		if tp.Table == "site_assessment" && (!tp.Committed || tp.Removed != len(old) || tp.Added == 0) {
			t.Fatalf("correction: %+v, want %d files removed and the new ones added", tp, len(old))
		}
	}
	tbl, err = cat.LoadTable(ctx, table.Identifier{lake.Namespace, "site_assessment"})
	if err != nil {
		t.Fatal(err)
	}
	if snap2 := tbl.CurrentSnapshot(); snap2.ParentSnapshotID == nil || *snap2.ParentSnapshotID != snap.SnapshotID || snap2.Summary.Operation != table.OpOverwrite {
		t.Fatalf("correction snapshot %+v: want one overwrite on top of %d", snap2, snap.SnapshotID)
	}
	rows, sum = icebergScan(t, tbl, "idp_individuals")
	wantRows = duckInt(t, root, "SELECT count(*) FROM site_assessment")
	wantSum = duckInt(t, root, "SELECT CAST(sum(idp_individuals) AS BIGINT) FROM site_assessment")
	if rows != wantRows || sum != wantSum {
		t.Fatalf("after correction: iceberg %d rows / %d, dtm %d / %d", rows, sum, wantRows, wantSum)
	}
}
