package pipeline

import (
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// Records held until the input's hash is known. An input read before it is
// hashed (hash_later.go) gets its rows' source_file_id once the hash is
// computed, at its first Parquet write (staging.writeParts). Waiting there
// stalled the whole pipeline at the start of a large input: the writer held
// its chunk tokens (chunks.go), so after a few chunks the converters
// stopped, and one core hashed while the other idled. Measured on the
// bench's 10 M-row CSV (1.76 GB, SHA-256 ~1.1 s; CPU use per second of the
// run, from /proc): 122 %, 85 %, 136 % in the first three seconds, then
// 182-202 % to the end.
//
// So while the hash is still being computed, writeParts holds the records
// (compacted copies, in order) and returns, which returns the chunk's
// token: the reader and the converters go on. Held records are Arrow
// buffers of their own (the converters copy every string out of the
// reader's rows, and the hold copies the records), so the rows' memory and
// the converters' buffers may be recycled meanwhile. At most heldBytesLimit bytes are
// held; past that, or at the table's last item, writeParts waits for the
// hash and writes the held records first, in the order they came, so the
// files, their rows and their order are those of waiting at once.

// heldBytesLimit bounds the bytes of the records held for the hash, as
// compacted (compactRecord): ~180 bytes a row of a site assessment, so
// about 280 k rows, the conversion of the ~1.2 s a 10 M-row (1.76 GB)
// input takes to hash, at the start of a run while the duplicate set, the
// p-code checks and the open row groups are still small.
const heldBytesLimit = 48 << 20

// holdLimit is the bytes writeParts may hold for one input: heldBytesLimit
// shared by the inputs read at once (Config.Concurrency), so that a run
// never holds more than heldBytesLimit, or the test seam Config.holdBytes.
func (c Config) holdLimit() int64 {
	if c.holdBytes > 0 {
		return c.holdBytes
	}
	return heldBytesLimit / int64(max(1, c.Concurrency))
}

// heldRecords are the records of an input held for its hash, in the order
// writeParts received them: compacted copies (compactRecord), each owned
// by the hold.
type heldRecords struct {
	recs  []transform.PartRecord
	bytes int64
	// shared are the buffers held that several records may reference (the
	// all-null columns' zeros, kept as they are): counted once.
	shared map[*memory.Buffer]bool
}

// hold keeps compacted copies of recs (the caller keeps its references)
// if they fit under limit bytes with what is held, and says whether it
// did.
//
// A converter's record holds its rows in the buffers its builders reserved
// (room for the partition's next rows, a margin) and counts them all, the
// all-null columns' shared zeros once per record: measured on the bench's
// 1 M-row site CSV (first 40 records of 650-2,800 rows), 450-770 bytes a
// row by buffer length, 500-1,300 by capacity, 160-190 bytes a row once
// copied to exact sizes and each buffer counted once. So a hold of
// records as they came held ~74 k rows in its 48 MiB (a third of the
// hash time of a 10 M-row input); copies hold ~3.5 times as many rows in
// the same bytes, and the converters' buffers go back to the allocator at
// once.
func (h *heldRecords) hold(recs []transform.PartRecord, limit int64, mem memory.Allocator) (bool, error) {
	copies := make([]transform.PartRecord, 0, len(recs))
	release := func() {
		for _, c := range copies {
			c.Record.Release()
		}
	}
	n := int64(0)
	var shared []*memory.Buffer
	for _, r := range recs {
		rec, err := compactRecord(r.Record, mem)
		if err != nil {
			release()
			return false, err
		}
		copies = append(copies, transform.PartRecord{Partition: r.Partition, Record: rec})
		for _, c := range rec.Columns() {
			if !allNull(c) {
				n += dataBytes(c.Data())
				continue
			}
			for _, b := range dataBuffers(c.Data(), nil) {
				if !h.shared[b] && !slices.Contains(shared, b) {
					shared = append(shared, b)
					n += int64(b.Len())
				}
			}
		}
	}
	if h.bytes+n > limit {
		release()
		return false, nil
	}
	if h.shared == nil {
		h.shared = map[*memory.Buffer]bool{}
	}
	for _, b := range shared {
		h.shared[b] = true
	}
	h.recs = append(h.recs, copies...)
	h.bytes += n
	return true, nil
}

// compactRecord returns a copy of rec (the caller releases it) whose
// columns' buffers are exactly as long as their rows need (Arrow's
// Concatenate of the one column: same values, nulls, dictionaries and
// child arrays), but for the all-null columns, kept as they are
// (retained: a converter's share one buffer of zeros).
func compactRecord(rec arrow.RecordBatch, mem memory.Allocator) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, c := range rec.Columns() {
		if allNull(c) {
			c.Retain()
			cols[i] = c
			continue
		}
		cc, err := array.Concatenate([]arrow.Array{c}, mem)
		if err != nil {
			return nil, fmt.Errorf("holding the records of column %s: %w", rec.Schema().Field(i).Name, err)
		}
		cols[i] = cc
	}
	return array.NewRecordBatch(rec.Schema(), cols, rec.NumRows()), nil
}

// allNull reports a column whose rows are all null: a hold keeps it as it
// is (compactRecord) and counts its buffers once (hold).
func allNull(c arrow.Array) bool { return c.NullN() == c.Len() }

// release frees the held records and empties h.
func (h *heldRecords) release() {
	for _, r := range h.recs {
		r.Record.Release()
	}
	*h = heldRecords{}
}

// dataBytes is the size of d's buffers (the whole buffers of a sliced
// array), its children's and its dictionary's.
func dataBytes(d arrow.ArrayData) int64 {
	n := int64(0)
	for _, b := range dataBuffers(d, nil) {
		n += int64(b.Len())
	}
	return n
}

// dataBuffers appends to bufs the buffers of d, its children's and its
// dictionary's, and returns it.
func dataBuffers(d arrow.ArrayData, bufs []*memory.Buffer) []*memory.Buffer {
	for _, b := range d.Buffers() {
		if b != nil {
			bufs = append(bufs, b)
		}
	}
	for _, c := range d.Children() {
		bufs = dataBuffers(c, bufs)
	}
	// Dictionary returns a nil *array.Data in an interface when there is none.
	if dict, ok := d.Dictionary().(*array.Data); ok && dict != nil {
		bufs = dataBuffers(dict, bufs)
	}
	return bufs
}

// writeHeld writes the held records, with the rows' source_file_id set to
// fileID, in the order they were held; it releases them all, also on error.
func (s *staging) writeHeld(ds *schemas.Dataset, fileID string) error {
	held := s.held
	s.held = heldRecords{}
	defer held.release()
	return s.writeAll(ds, held.recs, fileID)
}

// writeAll writes recs (the caller keeps its references), with the rows'
// source_file_id set to fileID when it was not known to the converters
// (fileIDs).
func (s *staging) writeAll(ds *schemas.Dataset, recs []transform.PartRecord, fileID string) error {
	for _, r := range recs {
		rec := r.Record
		if s.fileIDs != nil {
			var err error
			if rec, err = withFileID(rec, fileID, s.mem); err != nil {
				return err
			}
		}
		err := s.writePart(ds, r.Partition, rec)
		if rec != r.Record {
			rec.Release()
		}
		if err != nil {
			return err
		}
	}
	return nil
}
