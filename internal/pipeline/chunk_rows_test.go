package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/bufpool"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// pcodeFaultySiteCSV is awkwardSiteCSV with p-code faults as well: a state
// spelt two ways under one p-code, codes of the wrong shape, a country
// code taken as it is (a partition named by a cell), and (with
// pcodeGazetteer) official names that differ from the file's, so that the
// p-code checks keep names, codes and findings from chunk to chunk.
func pcodeFaultySiteCSV(n int, seed uint64) string {
	lines := strings.SplitAfter(awkwardSiteCSV(n, seed), "\n")
	for i, l := range lines {
		switch {
		case i%13 == 5:
			l = strings.Replace(l, ",Jonglei,", ",Jongley,", 1)
		case i%17 == 3:
			l = strings.Replace(l, ",Unity,", ",Unity State,", 1)
		case i%19 == 7:
			l = strings.Replace(l, ",SS03,", ",SS3,", 1)
		case i%23 == 11:
			l = strings.Replace(l, ",Borno,", ",BORNO ,", 1)
		case i%29 == 13 && strings.HasPrefix(l, "SSD,"):
			l = "QQX" + l[3:] // a country code of no country: kept as it is, a partition of its own
		}
		lines[i] = l
	}
	return strings.Join(lines, "")
}

// pcodeGazetteer gives official names to some of the synthetic state codes,
// one of them spelt otherwise than in the file.
var pcodeGazetteer = map[string]string{
	transform.GazetteerKey(1, "SS01"): "Central Equatoria",
	transform.GazetteerKey(1, "SS02"): "Jonglay",
	transform.GazetteerKey(1, "SS03"): "Unity",
}

// TestRecycledRowsArePoisonSafe proves that no string of a chunk's rows is
// kept past the chunk's staging (chunk_rows.go, ingest/csv RecycleRows):
// chunked runs whose CSV rows are made of recycled memory, poisoned before
// each reuse (a kept string then reads PoisonByte), write exactly what a
// serial run (fresh memory, no recycling) writes (results with reject
// samples, notes and reconciliation; every data and rejects file row by
// row), on inputs with rejects, cell warnings, duplicates near and far,
// p-code faults, quoted line breaks, ragged and blank rows, in every
// encoding; and so does a recycled run without poison.
func TestRecycledRowsArePoisonSafe(t *testing.T) {
	text := pcodeFaultySiteCSV(3000, 3)
	forEachEncoding(t, text, func(t *testing.T, dir, path string) {
		var want []SourceResult
		var wantFiles map[string][]string
		for _, tc := range []struct {
			workers, batch int
			poison         bool
		}{{1, 0, false}, {2, 7, true}, {8, 53, true}, {2, 11, false}} {
			name := fmt.Sprintf("%d workers, batch %d, poison %v", tc.workers, tc.batch, tc.poison)
			var pool *bufpool.Pool
			cfg := Config{Warehouse: filepath.Join(dir, fmt.Sprintf("wh-%d-%d", tc.workers, tc.batch)), Registry: schemas.Default(),
				RunID: "r", ChunkWorkers: tc.workers, BatchRows: tc.batch, RecordRows: 300, MaxRejectRatio: 1,
				Gazetteer: pcodeGazetteer}
			if tc.poison {
				pool = bufpool.New(bufpool.Options{Poison: true})
				cfg.Allocator = pool
			}
			res, err := Run(context.Background(), cfg, []Input{{Path: path, Kind: "site_assessment"}})
			if err != nil {
				t.Fatal(err)
			}
			if pool != nil {
				if err := pool.Check(); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			got, files := comparable(res), warehouseContents(t, cfg.Warehouse)
			sr := got[0]
			if sr.Status != StatusCommitted || sr.RowsWritten == 0 || sr.WarningCodes[schemas.CodeDuplicateRow] == 0 ||
				sr.RejectCodes[schemas.CodeBlankRow] == 0 || len(sr.WarningCodes) < 8 || len(sr.RejectCodes) < 2 {
				t.Fatalf("%s: the input does not exercise the conversion: %s, rows %d, rejects %v, warnings %v, errors %v",
					name, sr.Status, sr.RowsWritten, sr.RejectCodes, sr.WarningCodes, sr.Errors)
			}
			if tc.batch > 0 && sr.RowsIn < int64(3*chunkTokens(tc.workers)*tc.batch) {
				t.Fatalf("%s: %d rows: too few chunks to recycle", name, sr.RowsIn)
			}
			if want == nil {
				want, wantFiles = got, files
				continue
			}
			diffRuns(t, name, "the serial run", got, want, files, wantFiles)
		}
	})
}
