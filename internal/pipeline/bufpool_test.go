package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/iom-dtm/dtm/internal/bufpool"
	"github.com/iom-dtm/dtm/schemas"
)

// TestRecycledBuffersAreNotInUse runs awkward site and flow inputs (quotes,
// blank and ragged rows, duplicates, rejects) on Go's allocator, on the
// recycling pool and on a poisoning pool (freed buffers filled with 0xA5 and
// checked for writes; double Frees reported), serially and chunked, and
// requires the same results and files from each: a buffer freed while still
// in use would change a value (recycling: another writer; poisoning: 0xA5)
// or be reported by Check.
func TestRecycledBuffersAreNotInUse(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "sites.csv")
	if err := os.WriteFile(site, []byte(awkwardSiteCSV(3000, 3)), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs := []Input{
		{Path: site, Kind: "site_assessment"},
		{Path: filepath.Join("..", "..", "testdata", "flow", "fmr_daily_en.csv"), Kind: "flow_registry"},
		{Path: filepath.Join("..", "..", "testdata", "site", "d06_missing_numbers_en.csv"), Kind: "site_assessment", Country: "SSD"},
	}
	for _, workers := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("%d workers", workers), func(t *testing.T) {
			var want []SourceResult
			var wantFiles map[string][]string
			for _, alloc := range []string{"go", "pool", "poison"} {
				var mem memory.Allocator
				var pool *bufpool.Pool
				switch alloc {
				case "go":
					mem = memory.NewGoAllocator()
				case "pool":
					pool = bufpool.New(bufpool.Options{MaxIdleBytes: 4 << 20})
					mem = pool
				case "poison":
					pool = bufpool.New(bufpool.Options{Poison: true})
					mem = pool
				}
				wh := filepath.Join(dir, fmt.Sprintf("wh-%d-%s", workers, alloc))
				res, err := Run(context.Background(), Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r",
					ChunkWorkers: workers, BatchRows: 97, RecordRows: 500, MaxRejectRatio: 1, Allocator: mem}, inputs)
				if err != nil {
					t.Fatal(err)
				}
				if alloc == "poison" {
					if err := pool.Check(); err != nil {
						t.Fatalf("%s: %v", alloc, err)
					}
					if n := pool.Outstanding(); n != 0 {
						t.Errorf("%s: %d buffers never freed", alloc, n)
					}
				}
				if alloc == "pool" {
					if s := pool.Stats(); s.Hits == 0 {
						t.Errorf("the pool recycled nothing: %+v", s)
					}
				}
				got, files := comparable(res), warehouseContents(t, wh)
				if want == nil {
					if got[0].RowsWritten == 0 || got[0].RowsRejected == 0 || got[1].RowsWritten == 0 {
						t.Fatalf("the inputs do not exercise the conversion: %+v", got)
					}
					want, wantFiles = got, files
					continue
				}
				diffRuns(t, alloc, "the run on Go's allocator", got, want, files, wantFiles)
			}
		})
	}
}
