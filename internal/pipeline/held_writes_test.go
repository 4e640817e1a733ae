package pipeline

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/internal/bufpool"
	"github.com/iom-dtm/dtm/transform"
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

// TestHoldCompacts: held records are copies with the same values, nulls
// and dictionaries, in exact-size buffers; the all-null columns are kept
// as they are and a buffer they share is counted once; the hold refuses
// what would pass its limit and frees what it refused.
func TestHoldCompacts(t *testing.T) {
	pool := bufpool.New(bufpool.Options{Poison: true})
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "d", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, Nullable: true},
		{Name: "empty", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	const rows = 10
	zeros := memory.NewResizableBuffer(pool)
	zeros.Resize(8*rows + 8)
	defer zeros.Release()
	record := func(seed int) arrow.RecordBatch {
		b := array.NewRecordBuilder(pool, schema)
		defer b.Release()
		b.Reserve(1000) // room for far more rows than the record holds
		for i := range rows {
			if i%3 == 0 {
				b.Field(0).AppendNull()
				b.Field(1).AppendNull()
			} else {
				b.Field(0).(*array.Int64Builder).Append(int64(seed*100 + i))
				b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("site %d-%d", seed, i))
			}
			if err := b.Field(2).(*array.BinaryDictionaryBuilder).AppendString(fmt.Sprintf("area %d", i%4)); err != nil {
				t.Fatal(err)
			}
			b.Field(3).AppendNull() // replaced below
		}
		rec := b.NewRecordBatch()
		defer rec.Release()
		// The all-null column shares one buffer of zeros, as a converter's
		// records do (transform.partitionSet.zerosFor).
		empty := array.MakeFromData(array.NewData(arrow.PrimitiveTypes.Int64, rows, []*memory.Buffer{zeros, zeros}, nil, rows, 0))
		defer empty.Release()
		cols := append(append([]arrow.Array{}, rec.Columns()[:3]...), empty)
		return array.NewRecordBatch(schema, cols, rows)
	}
	recs := []transform.PartRecord{{Record: record(1)}, {Record: record(2)}}
	var h heldRecords
	held, err := h.hold(recs, 1<<20, pool)
	if err != nil || !held {
		t.Fatalf("hold: %v %v", held, err)
	}
	orig := int64(0)
	for i, r := range recs {
		if !array.RecordEqual(h.recs[i].Record, r.Record) {
			t.Errorf("record %d: the copy differs:\n%v\n%v", i, h.recs[i].Record, r.Record)
		}
		if h.recs[i].Record.Column(3) != r.Record.Column(3) {
			t.Errorf("record %d: the all-null column was copied", i)
		}
		orig += capBytes(r.Record.Columns())
		r.Record.Release()
	}
	copied := int64(0)
	for _, r := range h.recs {
		copied += capBytes(r.Record.Columns()[:3])
	}
	if copied >= orig/4 {
		t.Errorf("the copies' buffers take %d bytes, the records' %d: not compacted", copied, orig)
	}
	want := int64(8*rows + 8) // the shared zeros, once
	for _, r := range h.recs {
		for _, c := range r.Record.Columns()[:3] {
			want += dataBytes(c.Data())
		}
	}
	if h.bytes != want {
		t.Errorf("held %d bytes, want %d", h.bytes, want)
	}
	more := record(3)
	if held, err := h.hold([]transform.PartRecord{{Record: more}}, h.bytes+10, pool); err != nil || held {
		t.Errorf("hold past the limit: %v %v", held, err)
	}
	more.Release()
	h.release()
	if err := pool.Check(); err != nil {
		t.Fatal(err)
	}
	if n := pool.Outstanding(); n != 1 { // the zeros, released below
		t.Errorf("%d buffers outstanding, want the zeros only", n)
	}
}

// capBytes is the capacity of the buffers of cols (children and
// dictionaries included).
func capBytes(cols []arrow.Array) int64 {
	n := int64(0)
	for _, c := range cols {
		for _, b := range dataBuffers(c.Data(), nil) {
			n += int64(b.Cap())
		}
	}
	return n
}
