package sinks

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestExportWritersReleaseEveryArrowBuffer runs the Parquet export writers
// (WriteParquetTable, AddGeoPoints) with a checked allocator on success and
// on each error path, and asserts that every Arrow buffer they allocated
// (builders, records, reader batches, encoders) was released when they
// returned, and that no temporary file is left beside the destination.
func TestExportWritersReleaseEveryArrowBuffer(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.parquet")
	if err := WriteParquetTable(plain, siteTable(), nil, nil); err != nil {
		t.Fatal(err)
	}
	noGeo := filepath.Join(dir, "nogeo.parquet")
	if err := WriteParquetTable(noGeo, &Table{Columns: []string{"a"}, Types: []string{"BIGINT"}, Rows: [][]any{{int64(1)}}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	withGeo := filepath.Join(dir, "withgeo.parquet")
	if err := WriteParquetTable(withGeo, siteTable(), &DefaultGeoColumns, nil); err != nil {
		t.Fatal(err)
	}
	notParquet := filepath.Join(dir, "not.parquet")
	if err := os.WriteFile(notParquet, []byte("PAR1 this is not parquet"), 0o644); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	// A table whose second row has text in an integer column fails after
	// the builder has taken the first row.
	badRow := &Table{Columns: []string{"n"}, Types: []string{"BIGINT"}, Rows: [][]any{{int64(1)}, {"three"}}}
	cases := []struct {
		name    string
		run     func(mem memory.Allocator, dst string) error
		wantErr bool
	}{
		{"table", func(mem memory.Allocator, dst string) error {
			return WriteParquetTable(dst, siteTable(), nil, mem)
		}, false},
		{"table with points", func(mem memory.Allocator, dst string) error {
			return WriteParquetTable(dst, siteTable(), &DefaultGeoColumns, mem)
		}, false},
		{"table: a cell of the wrong type", func(mem memory.Allocator, dst string) error {
			return WriteParquetTable(dst, badRow, nil, mem)
		}, true},
		{"table: no coordinate columns", func(mem memory.Allocator, dst string) error {
			return WriteParquetTable(dst, badRow, &DefaultGeoColumns, mem)
		}, true},
		{"table: destination directory missing", func(mem memory.Allocator, dst string) error {
			return WriteParquetTable(filepath.Join(dir, "no", "such", "t.parquet"), siteTable(), &DefaultGeoColumns, mem)
		}, true},
		{"points", func(mem memory.Allocator, dst string) error {
			return AddGeoPoints(context.Background(), plain, dst, DefaultGeoColumns, mem)
		}, false},
		{"points: no such source", func(mem memory.Allocator, dst string) error {
			return AddGeoPoints(context.Background(), filepath.Join(dir, "missing.parquet"), dst, DefaultGeoColumns, mem)
		}, true},
		{"points: source not parquet", func(mem memory.Allocator, dst string) error {
			return AddGeoPoints(context.Background(), notParquet, dst, DefaultGeoColumns, mem)
		}, true},
		{"points: source without coordinates", func(mem memory.Allocator, dst string) error {
			return AddGeoPoints(context.Background(), noGeo, dst, DefaultGeoColumns, mem)
		}, true},
		{"points: source already has a geometry", func(mem memory.Allocator, dst string) error {
			return AddGeoPoints(context.Background(), withGeo, dst, DefaultGeoColumns, mem)
		}, true},
		{"points: destination directory missing", func(mem memory.Allocator, dst string) error {
			return AddGeoPoints(context.Background(), plain, filepath.Join(dir, "no", "g.parquet"), DefaultGeoColumns, mem)
		}, true},
		{"points: cancelled", func(mem memory.Allocator, dst string) error {
			return AddGeoPoints(cancelled, plain, dst, DefaultGeoColumns, mem)
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			out := t.TempDir()
			err := tc.run(mem, filepath.Join(out, "export.parquet"))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tc.wantErr)
			}
			// The export, complete, or nothing: no temporary file is left.
			ents, _ := os.ReadDir(out)
			if want := map[bool]int{false: 1, true: 0}[tc.wantErr]; len(ents) != want {
				t.Errorf("%d files in the destination directory, want %d", len(ents), want)
			}
		})
	}
	// Nothing was left beside the sources either.
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		switch e.Name() {
		case "plain.parquet", "nogeo.parquet", "withgeo.parquet", "not.parquet":
		default:
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
