package sinks

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/iom-dtm/dtm/schemas"
)

var testSchema = arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)

func writePart(t *testing.T, txn *Txn, key, value string) string {
	t.Helper()
	pf, rel, err := txn.CreatePart(&schemas.Dataset{Name: "ds"}, testSchema, "SSD", "round", value, key, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, testSchema)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).Append(1)
	rec := b.NewRecordBatch()
	defer rec.Release()
	if err := pf.Write(rec); err != nil {
		t.Fatal(err)
	}
	return rel
}

// listParts lists the part files under root (relative, sorted).
func listParts(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasPrefix(fi.Name(), "part-") {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func TestCommitReplaceAndNoChange(t *testing.T) {
	root := t.TempDir()
	txn, _ := Begin(root, "r1")
	a := writePart(t, txn, "k:a", "1")
	txn.PutSource(&Source{Key: "k:a", Dataset: "ds", Hash: "h1", Files: []string{a}})
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "_dtm", "staging")); !os.IsNotExist(err) {
		t.Errorf("staging left after commit: %v", err)
	}
	// A transaction without changes writes nothing.
	before, _ := os.ReadFile(filepath.Join(root, "_dtm", "manifest.json"))
	txn, _ = Begin(root, "r2")
	if txn.Changed() {
		t.Fatal("changed without changes")
	}
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(root, "_dtm", "manifest.json"))
	if string(before) != string(after) {
		t.Error("a commit without changes rewrote the manifest")
	}
	// Replacing a source deletes its old files after the commit.
	txn, _ = Begin(root, "r3")
	b := writePart(t, txn, "k:a", "2")
	txn.PutSource(&Source{Key: "k:a", Dataset: "ds", Hash: "h2", Files: []string{b}})
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := listParts(t, root); fmt.Sprint(got) != fmt.Sprint([]string{b}) {
		t.Errorf("parts %v, want only %s", got, b)
	}
	m, _ := ReadManifest(root)
	if m.Generation != 2 || m.Sources["k:a"].Hash != "h2" {
		t.Errorf("manifest %+v", m)
	}
}

func TestTxnConcurrentStaging(t *testing.T) {
	root := t.TempDir()
	txn, _ := Begin(root, "r1")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf("k:%d", i)
			rel := writePart(t, txn, key, "1")
			if i%2 == 0 {
				txn.Discard(rel)
				return
			}
			txn.PutSource(&Source{Key: key, Dataset: "ds", Hash: key, Files: []string{rel}})
		}()
	}
	wg.Wait()
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	m, _ := ReadManifest(root)
	if len(m.Sources) != 4 || len(listParts(t, root)) != 4 {
		t.Errorf("%d sources, %d parts; want 4 and 4", len(m.Sources), len(listParts(t, root)))
	}
}

func TestLockNamesHolder(t *testing.T) {
	root := t.TempDir()
	unlock, err := LockAs(root, "run R1 (dtm run)")
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockAs(root, "run R2")
	if err == nil || !strings.Contains(err.Error(), "run R1 (dtm run)") || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Fatalf("second lock: %v", err)
	}
	unlock()
	unlock2, err := Lock(root)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlock2()
}

// TestClosePart closes staged files before the commit: they are committed
// (readable, their rows intact), discarded or aborted as open ones are, a
// closed file cannot be closed or created again, and the files of one
// source in one partition are numbered in name order.
func TestClosePart(t *testing.T) {
	root := t.TempDir()
	txn, _ := Begin(root, "r1")
	ds := &schemas.Dataset{Name: "ds"}
	var rels []string
	for seq := range 3 {
		pf, rel, err := txn.CreatePart(ds, testSchema, "SSD", "round", "1", "k:a", seq)
		if err != nil {
			t.Fatal(err)
		}
		b := array.NewRecordBuilder(memory.DefaultAllocator, testSchema)
		b.Field(0).(*array.Int64Builder).AppendValues([]int64{int64(seq), int64(seq) + 10}, nil)
		rec := b.NewRecordBatch()
		if err := pf.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
		b.Release()
		if seq < 2 {
			if err := txn.ClosePart(rel); err != nil {
				t.Fatal(err)
			}
		}
		rels = append(rels, rel)
	}
	if !sort.StringsAreSorted(rels) || !strings.HasSuffix(rels[0], "-r1.parquet") || !strings.HasSuffix(rels[2], "-r1_0002.parquet") {
		t.Errorf("names %v: not in seq order", rels)
	}
	if err := txn.ClosePart(rels[0]); err == nil {
		t.Error("a file closed twice")
	}
	if err := txn.ClosePart("ds/nowhere.parquet"); err == nil {
		t.Error("a file never created closed")
	}
	if _, _, err := txn.CreatePart(ds, testSchema, "SSD", "round", "1", "k:a", 1); err == nil {
		t.Error("a closed file created again")
	}
	// A closed file discarded is gone; the others are committed.
	txn.Discard(rels[1])
	txn.PutSource(&Source{Key: "k:a", Dataset: "ds", Hash: "h", Files: []string{rels[0], rels[2]}})
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := listParts(t, root); fmt.Sprint(got) != fmt.Sprint([]string{rels[0], rels[2]}) {
		t.Errorf("parts %v, want %v", got, []string{rels[0], rels[2]})
	}
	for _, rel := range []string{rels[0], rels[2]} {
		pr, err := file.OpenParquetFile(filepath.Join(root, filepath.FromSlash(rel)), false)
		if err != nil {
			t.Fatal(err)
		}
		if pr.NumRows() != 2 {
			t.Errorf("%s: %d rows, want 2", rel, pr.NumRows())
		}
		pr.Close()
	}
	// An aborted transaction leaves nothing of its closed files.
	txn, _ = Begin(root, "r2")
	_, rel, err := txn.CreatePart(ds, testSchema, "SSD", "round", "2", "k:b", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := txn.ClosePart(rel); err != nil {
		t.Fatal(err)
	}
	txn.Abort()
	if _, err := os.Stat(filepath.Join(root, "_dtm", "staging")); !os.IsNotExist(err) {
		t.Errorf("staging left after abort: %v", err)
	}
	if got := listParts(t, root); len(got) != 2 {
		t.Errorf("parts after abort %v", got)
	}
}
