package pipeline

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
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
// (retained, in order) and returns, which returns the chunk's token: the
// reader and the converters go on. Held records are Arrow buffers of their
// own (the converters copy every string out of the reader's rows), so the
// rows' memory may be recycled meanwhile. At most heldBytesLimit bytes are
// held; past that, or at the table's last item, writeParts waits for the
// hash and writes the held records first, in the order they came, so the
// files, their rows and their order are those of waiting at once.

// heldBytesLimit bounds the bytes of the records held for the hash: about
// 190 k rows of a site assessment (~250 bytes a row in Arrow), 0.5 s of
// conversion on two cores, at the start of a run while the duplicate set,
// the p-code checks and the open row groups are still small.
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
// writeParts received them, each retained.
type heldRecords struct {
	recs  []transform.PartRecord
	bytes int64
}

// hold retains and keeps recs if they fit under limit bytes with what is
// held, and says whether it did.
func (h *heldRecords) hold(recs []transform.PartRecord, limit int64) bool {
	n := int64(0)
	for _, r := range recs {
		n += recordBytes(r.Record)
	}
	if h.bytes+n > limit {
		return false
	}
	for _, r := range recs {
		r.Record.Retain()
	}
	h.recs = append(h.recs, recs...)
	h.bytes += n
	return true
}

// release frees the held records and empties h.
func (h *heldRecords) release() {
	for _, r := range h.recs {
		r.Record.Release()
	}
	*h = heldRecords{}
}

// recordBytes is the size of rec's buffers (the whole buffers of sliced
// arrays, dictionaries included).
func recordBytes(rec arrow.RecordBatch) int64 {
	n := int64(0)
	for _, c := range rec.Columns() {
		n += dataBytes(c.Data())
	}
	return n
}

func dataBytes(d arrow.ArrayData) int64 {
	n := int64(0)
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	// Dictionary returns a nil *array.Data in an interface when there is none.
	if dict, ok := d.Dictionary().(*array.Data); ok && dict != nil {
		n += dataBytes(dict)
	}
	return n
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
