package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/schemas"
)

// partRows reads the source_row column of every data file of a warehouse,
// keyed by partition directory, in file order, and the largest row group.
func partRows(t *testing.T, wh string) (map[string][]int64, int64) {
	t.Helper()
	out := map[string][]int64{}
	var maxGroup int64
	err := filepath.WalkDir(filepath.Join(wh, "site_assessment"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".parquet") {
			return err
		}
		pf, err := file.OpenParquetFile(p, false)
		if err != nil {
			return err
		}
		defer pf.Close()
		for i := 0; i < pf.NumRowGroups(); i++ {
			maxGroup = max(maxGroup, pf.MetaData().RowGroup(i).NumRows())
		}
		fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			return err
		}
		tbl, err := fr.ReadTable(context.Background())
		if err != nil {
			return err
		}
		defer tbl.Release()
		idx := tbl.Schema().FieldIndices(schemas.ColSourceRow)
		if len(idx) != 1 {
			t.Fatalf("%s: no %s column", p, schemas.ColSourceRow)
		}
		rel, _ := filepath.Rel(wh, filepath.Dir(p))
		for _, ch := range tbl.Column(idx[0]).Data().Chunks() {
			out[rel] = append(out[rel], ch.(*array.Int64).Int64Values()...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, maxGroup
}

// TestBatchSizesKeepRows ingests the same file with read batches, record
// sizes and buffer bounds from tiny to default: every run must write the
// same rows to the same partition files, in source order, with row groups
// no larger than RecordRows + BatchRows (a partition is drained once it
// holds RecordRows rows, after a whole read batch), and count rows_in =
// written + rejected.
func TestBatchSizesKeepRows(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sites.csv")
	data := synth.SiteCSV(3000)
	// A repeated row and a blank row: rejected, whatever the batching.
	lines := strings.SplitAfter(string(data), "\n")
	data = []byte(strings.Join(lines[:1500], "") + lines[700] + ",,,,\n" + strings.Join(lines[1500:], ""))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name                    string
		batch, record, buffered int
		wantMaxGroup            int64
	}{
		{name: "defaults", wantMaxGroup: DefaultRecordRows + 16*1024},
		{name: "tiny", batch: 7, record: 100, wantMaxGroup: 100 + 7},
		{name: "record 64 buffer 100", batch: 1000, record: 64, buffered: 100, wantMaxGroup: 64 + 1000},
		{name: "one-row batches", batch: 1, record: 1000, buffered: 300, wantMaxGroup: 1000},
	}
	var first map[string][]int64
	var firstRes SourceResult
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			noLeak(t)
			wh := filepath.Join(dir, "wh"+tc.name)
			res, err := Run(context.Background(), Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r",
				BatchRows: tc.batch, RecordRows: tc.record, MaxBufferedRows: tc.buffered},
				[]Input{{Path: path, Kind: "site_assessment"}})
			if err != nil {
				t.Fatal(err)
			}
			sr := res.Sources[0]
			if sr.Status != StatusCommitted || sr.RowsIn != 3002 || sr.RowsWritten+sr.RowsRejected != sr.RowsIn ||
				sr.WarningCodes[schemas.CodeDuplicateRow] != 1 || sr.RejectCodes[schemas.CodeBlankRow] != 1 {
				t.Fatalf("%+v", sr)
			}
			got, maxGroup := partRows(t, wh)
			if maxGroup > tc.wantMaxGroup {
				t.Errorf("row group of %d rows, want at most %d", maxGroup, tc.wantMaxGroup)
			}
			n := int64(0)
			for part, rows := range got {
				n += int64(len(rows))
				if !sort.SliceIsSorted(rows, func(a, b int) bool { return rows[a] < rows[b] }) {
					t.Errorf("%s: rows out of source order", part)
				}
			}
			if n != sr.RowsWritten {
				t.Errorf("%d rows in files, %d written", n, sr.RowsWritten)
			}
			if i == 0 {
				first, firstRes = got, sr
				return
			}
			if !reflect.DeepEqual(got, first) {
				t.Error("partition files differ from the default batching")
			}
			if sr.RowsWritten != firstRes.RowsWritten || !reflect.DeepEqual(sr.RejectCodes, firstRes.RejectCodes) || !reflect.DeepEqual(sr.WarningCodes, firstRes.WarningCodes) {
				t.Errorf("counts differ: %+v vs %+v", sr, firstRes)
			}
		})
	}
}
