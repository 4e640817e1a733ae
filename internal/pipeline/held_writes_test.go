package pipeline

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/internal/bufpool"
)

// TestHeldWritesAsWaiting: an input whose hash is computed only once the
// writer waits for it (hashOnWait) has its records held until then: all
// of them until the table's last item (the default limit), or until the
// hold is full (a limit of a few records); either way the run writes the
// same files, rows, row order, source_file_id and result as a run without
// the seams, serially and chunked.
func TestHeldWritesAsWaiting(t *testing.T) {
	dir := t.TempDir()
	body := []byte(awkwardSiteCSV(900, 7))
	path := filepath.Join(dir, "sites.csv")
	writeFile(t, path, body)
	in := Input{Path: path, Kind: "site_assessment"}
	want := sha256Hex(body)
	for _, tc := range []struct{ workers, batch int }{{1, 0}, {2, 53}, {8, 7}} {
		base := Config{ChunkWorkers: tc.workers, BatchRows: tc.batch, RecordRows: 100, FileRows: 250}
		ref := siteIngest(t, filepath.Join(t.TempDir(), "wh"), "run", base, in)
		_, refRows := fileIDs(warehouseContents(t, ref.Warehouse), "run", "")
		for _, hold := range []int64{0, 4 << 10} {
			t.Run(fmt.Sprintf("%d workers, hold %d", tc.workers, hold), func(t *testing.T) {
				cfg := base
				cfg.hashOnWait, cfg.holdBytes = true, hold
				// Freed buffers (and recycled rows) are poisoned: a held
				// record not retained, or still using a chunk's rows, shows.
				pool := bufpool.New(bufpool.Options{Poison: true})
				cfg.Allocator = pool
				res := siteIngest(t, filepath.Join(t.TempDir(), "wh"), "run", cfg, in)
				if err := pool.Check(); err != nil {
					t.Fatal(err)
				}
				if n := pool.Outstanding(); n != 0 {
					t.Errorf("%d buffers never freed", n)
				}
				if sr := res.Sources[0]; sr.Status != StatusCommitted || sr.Hash != want {
					t.Fatalf("result: %s %s %v", sr.Status, sr.Hash, sr.Errors)
				}
				if !reflect.DeepEqual(comparable(res), comparable(ref)) {
					t.Errorf("results differ:\n%+v\n%+v", comparable(res), comparable(ref))
				}
				ids, rows := fileIDs(warehouseContents(t, res.Warehouse), "run", "")
				if len(ids) != 1 || ids[want] != int(res.Sources[0].RowsWritten) {
					t.Errorf("source_file_id values %v, want %d rows of %s", ids, res.Sources[0].RowsWritten, want)
				}
				if !reflect.DeepEqual(rows, refRows) {
					t.Errorf("files or rows differ from the reference run (%d files, %d in the reference)", len(rows), len(refRows))
				}
			})
		}
	}
}

// TestHoldLimitShared: the inputs read at once share the run's hold.
func TestHoldLimitShared(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want int64
	}{{Config{}, heldBytesLimit}, {Config{Concurrency: 1}, heldBytesLimit},
		{Config{Concurrency: 4}, heldBytesLimit / 4}, {Config{Concurrency: 4, holdBytes: 100}, 100}} {
		if got := tc.cfg.holdLimit(); got != tc.want {
			t.Errorf("concurrency %d, holdBytes %d: %d, want %d", tc.cfg.Concurrency, tc.cfg.holdBytes, got, tc.want)
		}
	}
}
