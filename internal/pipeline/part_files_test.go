package pipeline

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// TestPartFilesSplitAsSerial writes an input's partitions to files of at
// most FileRows rows: serially and chunked (with and without the
// per-file encoders) the same files with the same rows, every file but a
// partition's last holding exactly FileRows rows, and the files of a
// partition, in name order, holding the rows one file per partition holds;
// the manifest lists them all, in name order, and DuckDB reads the same
// rows through the views.
func TestPartFilesSplitAsSerial(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "sites.csv")
	if err := os.WriteFile(input, []byte(awkwardSiteCSV(1500, 3)), 0o644); err != nil {
		t.Fatal(err)
	}
	const fileRows = 97
	run := func(name string, cfg Config) (*RunResult, map[string][]string) {
		t.Helper()
		cfg.Warehouse = filepath.Join(dir, name)
		cfg.Registry, cfg.RunID, cfg.MaxRejectRatio = schemas.Default(), "r", 1
		res, err := Run(context.Background(), cfg, []Input{{Path: input, Kind: "site_assessment"}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Sources[0].Status != StatusCommitted {
			t.Fatalf("%s: %+v", name, res.Sources[0])
		}
		if probs, err := sinks.Check(cfg.Warehouse); err != nil || len(probs) > 0 {
			t.Fatalf("%s: warehouse check: %v %+v", name, err, probs)
		}
		files := dataFiles(warehouseContents(t, cfg.Warehouse))
		m, err := sinks.ReadManifest(cfg.Warehouse)
		if err != nil {
			t.Fatal(err)
		}
		for _, src := range m.Sources {
			if !reflect.DeepEqual(src.Files, sortedKeys(files)) {
				t.Errorf("%s: the manifest lists %v, the warehouse holds %v", name, src.Files, sortedKeys(files))
			}
		}
		return res, files
	}
	oneRes, one := run("one", Config{ChunkWorkers: 1, RecordRows: 200})
	var want []SourceResult
	var wantFiles map[string][]string
	for _, tc := range []struct{ workers, batch int }{{1, 0}, {2, 53}, {minEncoderWorkers + 1, 7}} {
		name := fmt.Sprintf("%d workers, batch %d", tc.workers, tc.batch)
		res, files := run(fmt.Sprintf("split-%d", tc.workers),
			Config{ChunkWorkers: tc.workers, BatchRows: tc.batch, RecordRows: 200, FileRows: fileRows})
		got := comparable(res)
		if want == nil {
			want, wantFiles = got, files
			// The serial split: a partition's files hold its rows of the
			// unsplit run, in order, fileRows a file but the last.
			if !reflect.DeepEqual(got, comparable(oneRes)) {
				t.Errorf("results differ from the run with one file per partition:\n%+v\n%+v", got, comparable(oneRes))
			}
			byPart := map[string][]string{}
			for _, rel := range sortedKeys(files) {
				byPart[path.Dir(rel)] = append(byPart[path.Dir(rel)], rel)
			}
			if len(byPart) != len(one) {
				t.Fatalf("%d partitions, %d without the split", len(byPart), len(one))
			}
			split := false
			for dirName, rels := range byPart {
				var rows []string
				for i, rel := range rels {
					n := len(files[rel])
					if n == 0 || n > fileRows || (i < len(rels)-1 && n != fileRows) {
						t.Errorf("%s: %d rows (file %d of %d)", rel, n, i+1, len(rels))
					}
					rows = append(rows, files[rel]...)
				}
				split = split || len(rels) > 2
				if wantRows := one[onlyFileOf(t, one, dirName)]; !reflect.DeepEqual(rows, wantRows) {
					t.Errorf("%s: the split files hold %d rows, one file %d; first difference: %s", dirName, len(rows), len(wantRows), firstDiff(rows, wantRows))
				}
				base := strings.TrimSuffix(rels[0], "-r.parquet")
				for i, rel := range rels {
					if w := fmt.Sprintf("%s-r_%04d.parquet", base, i); i > 0 && rel != w || !strings.HasPrefix(base, dirName+"/part-") {
						t.Errorf("%s: file %d is %s, want %s", dirName, i, rel, w)
					}
				}
			}
			if !split {
				t.Fatalf("no partition was split into three files or more: %v", sortedKeys(files))
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: results differ from the serial run:\n%+v\n%+v", name, got, want)
		}
		if !reflect.DeepEqual(sortedKeys(files), sortedKeys(wantFiles)) {
			t.Fatalf("%s: files %v, serially %v", name, sortedKeys(files), sortedKeys(wantFiles))
		}
		for rel, rows := range wantFiles {
			if g := files[rel]; !reflect.DeepEqual(g, rows) {
				t.Errorf("%s: %s has %d rows, serially %d; first difference: %s", name, rel, len(g), len(rows), firstDiff(g, rows))
			}
		}
	}

	// DuckDB reads the same rows through the views (query.Open) from the
	// split files as from one file per partition.
	ctx := context.Background()
	var sums []string
	for _, wh := range []string{"one", "split-1"} {
		db, err := query.Open(ctx, filepath.Join(dir, wh), schemas.Default())
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.Query(ctx, "SELECT count(*), count(DISTINCT source_row), sum(hash(s)) FROM site_assessment s")
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, fmt.Sprint(res.Rows))
	}
	if sums[0] != sums[1] {
		t.Errorf("DuckDB reads %s from one file per partition, %s from the split files", sums[0], sums[1])
	}
}

// dataFiles keeps the data files of warehouseContents' map (not the rejects
// and summaries under _dtm).
func dataFiles(files map[string][]string) map[string][]string {
	out := map[string][]string{}
	for rel, rows := range files {
		if rel = filepath.ToSlash(rel); !strings.HasPrefix(rel, "_dtm/") {
			out[rel] = rows
		}
	}
	return out
}

// onlyFileOf is the one file of files in directory dir.
func onlyFileOf(t *testing.T, files map[string][]string, dir string) string {
	t.Helper()
	var found []string
	for rel := range files {
		if path.Dir(rel) == dir {
			found = append(found, rel)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: files %v, want one", dir, found)
	}
	return found[0]
}

func sortedKeys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
