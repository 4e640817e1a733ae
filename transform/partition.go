package transform

import (
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/schemas"
)

// UnknownPartition is the partition value of rows whose partition field is empty.
const UnknownPartition = "unknown"

// Partition names the warehouse directory a record belongs to.
type Partition struct {
	Country string // country_iso3 ("unknown" if empty)
	Key     string // dataset's PartitionKey
	Value   string // partition value ("unknown" if empty)
}

// PartRecord is a record of one partition; the receiver must Release it.
type PartRecord struct {
	Partition Partition
	Record    arrow.RecordBatch
}

type partitionSet struct {
	ds *schemas.Dataset
	// schema is the records' (dictionary fields: partition_dict.go); kinds
	// the fields' colKinds, set by the first append.
	schema *arrow.Schema
	kinds  []colKind
	parts  map[Partition]*partBuilder
	last   *partBuilder // the partition of the previous row (rows come in runs)
	held   int          // rows in all partitions' records being built
	mem    memory.Allocator
	// Pre-sizing (builder_reserve.go): hints are the shapes of the last
	// record taken, per field; maxRows caps a reservation (the record
	// size); left is the rows of the current Convert call not yet
	// appended, and leftReserved whether a partition without history has
	// reserved them already in this call.
	hints        []sizeHint
	prevRows     map[Partition]int // rows of each partition's last record
	maxRows      int
	left         int
	leftReserved bool
	// zeros is the buffer of zeros of the all-null columns (zerosFor)
	// and zerosLen its length.
	zeros    *memory.Buffer
	zerosLen int
	// interns are the intern tables of the dictionary columns, by field
	// (nil for the others), shared by the partitions (partition_dict.go).
	interns []*internTable
	// recent are the builders of the first partitions rows went to, in
	// order (nil past them), found by comparing their partitions before
	// the map is hashed: rows whose partitions alternate between a few
	// (a file of three countries, rows in no order of place) find theirs
	// in a few string comparisons (partRecent).
	recent [partRecent]*partBuilder
}

// partBuilder builds the record of one partition.
type partBuilder struct {
	p    Partition
	rows int      // rows appended to the record being built
	cols []colAcc // the record's columns (partition_block.go), in schema order
	// capRows is the capacity in rows a column made live in this record
	// starts with (reserve).
	capRows int
}

// newPartBuilder makes the columns of a partition's records.
func (ps *partitionSet) newPartBuilder(p Partition) *partBuilder {
	pb := &partBuilder{p: p, cols: make([]colAcc, len(ps.kinds))}
	for i, k := range ps.kinds {
		ca := &pb.cols[i]
		ca.kind = k
		switch {
		case k == colDict:
			ca.dict = newDictBuilder(ps.mem, ps.interns[i])
		case isBuilderKind(k):
			ca.b = array.NewBuilder(ps.mem, ps.schema.Field(i).Type)
		}
	}
	return pb
}

// newRecord takes the rows appended to pb as a record of the set's schema.
func (ps *partitionSet) newRecord(pb *partBuilder) arrow.RecordBatch {
	cols := make([]arrow.Array, len(pb.cols))
	zeros := ps.zerosFor(pb.rows)
	for i := range pb.cols {
		h := &ps.hints[i]
		switch ca := &pb.cols[i]; {
		case ca.kind == colString && pb.rows > 0:
			h.perRow, h.dataPer, h.measured = 1, float64(ca.dlen)/float64(pb.rows), true
		case ca.kind == colList && ca.live:
			ca.measureList(pb.rows, h)
		}
		cols[i] = pb.cols[i].newArray(ps.mem, ps.schema.Field(i).Type, pb.rows, zeros,
			func(b array.Builder) { measureBuilder(b, pb.rows, h) })
	}
	rec := array.NewRecordBatch(ps.schema, cols, int64(pb.rows))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// zerosFor returns a buffer of at least 8 × rows + 8 bytes of zeros, the
// buffers of the records' all-null columns (colAcc.newArray): one buffer
// shared by the set's records, never written once made, freed when the
// set and the last record using it are released.
func (ps *partitionSet) zerosFor(rows int) *memory.Buffer {
	need := 8*rows + 8
	if ps.zeros == nil || ps.zeros.Len() < need {
		if ps.zeros != nil {
			ps.zeros.Release()
		}
		ps.zeros = memory.NewResizableBuffer(ps.mem)
		ps.zeros.Resize(max(need, 2*ps.zerosLen))
		clear(ps.zeros.Buf())
		ps.zerosLen = ps.zeros.Len()
	}
	return ps.zeros
}

// setKinds sets the fields' colKinds.
func (ps *partitionSet) setKinds(fields []schemas.Field) {
	ps.kinds = make([]colKind, len(fields))
	for i := range fields {
		ps.kinds[i] = colKindOf(fields[i].Kind)
		if ps.kinds[i] == colString && isDictField(ps.schema.Field(i)) {
			ps.kinds[i] = colDict
		}
	}
	ps.hints = growHints(ps.hints, len(fields))
	if ps.interns == nil {
		ps.makeInterns()
	}
}

// expect tells the set that n rows are coming (one Convert call), for
// pre-sizing the builders of partitions that start a record.
func (ps *partitionSet) expect(n int) { ps.left, ps.leftReserved = n, false }

// reserve sets the capacity in rows of pb's columns, which start a record:
// the rows of the partition's previous record and a margin, else (once per Convert
// call, so that rows spread over many new partitions do not each reserve
// them all) the rows left in the call; never more than maxRows. The list
// columns' builders are reserved from the shape of the last record taken.
func (ps *partitionSet) reserve(pb *partBuilder) {
	pb.capRows = 0
	for i := range pb.cols {
		pb.cols[i].dataCap, pb.cols[i].itemCap = 0, 0
	}
	rows, ok := ps.prevRows[pb.p]
	if !ok {
		if ps.leftReserved {
			return
		}
		rows, ps.leftReserved = ps.left, true
	}
	if ps.maxRows > 0 {
		rows = min(rows, ps.maxRows)
	}
	if rows <= 1 {
		return
	}
	pb.capRows = int(float64(rows)*reserveMargin) + 1
	for i := range pb.cols {
		ca, h := &pb.cols[i], &ps.hints[i]
		switch {
		case !h.measured:
		case ca.kind == colString:
			ca.dataCap = int(float64(rows)*h.dataPer*reserveMargin) + 16
		case ca.kind == colList:
			ca.reserveList(rows, h)
		case ca.b != nil && ca.kind != colNull:
			reserveBuilder(ca.b, rows, h)
		}
	}
}

// measure records the rows of pb's record about to be taken.
func (ps *partitionSet) measure(pb *partBuilder) {
	if ps.prevRows == nil {
		ps.prevRows = map[Partition]int{}
	}
	ps.prevRows[pb.p] = pb.rows
}

// hintsFrom starts the sizes of a worker's set (Fork) from its parent's.
func (ps *partitionSet) hintsFrom(parent *partitionSet) {
	ps.maxRows = parent.maxRows
	ps.hints = make([]sizeHint, len(parent.hints))
	for i := range parent.hints {
		ps.hints[i] = cloneHint(parent.hints[i])
	}
	ps.prevRows = make(map[Partition]int, len(parent.prevRows))
	for p, n := range parent.prevRows {
		ps.prevRows[p] = n
	}
}

func cloneHint(h sizeHint) sizeHint {
	kids := h.kids
	h.kids = nil
	for _, k := range kids {
		h.kids = append(h.kids, cloneHint(k))
	}
	return h
}

func newPartitionSet(ds *schemas.Dataset, mem memory.Allocator) *partitionSet {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	ps := &partitionSet{ds: ds, schema: recordSchema(ds), parts: map[Partition]*partBuilder{}, mem: mem}
	ps.makeInterns()
	return ps
}

// makeInterns makes the intern tables of the schema's dictionary columns.
func (ps *partitionSet) makeInterns() {
	ps.interns = make([]*internTable, ps.schema.NumFields())
	for i := range ps.interns {
		if isDictField(ps.schema.Field(i)) {
			ps.interns[i] = &internTable{}
		}
	}
}

// partitionOf derives the partition of the current row.
func (c *Converter) partitionOf() Partition {
	p := Partition{Country: UnknownPartition, Key: c.m.Dataset.PartitionKey, Value: UnknownPartition}
	if c.countrySlot >= 0 {
		if v := &c.vals[c.countrySlot]; v.set && v.s != "" {
			p.Country = v.s
		}
	}
	if c.partSlot >= 0 {
		if v := &c.vals[c.partSlot]; v.set {
			switch c.partKind {
			case schemas.Int:
				p.Value = strconv.FormatInt(v.i, 10)
			case schemas.Date:
				p.Value = strconv.Itoa(v.d.Year())
			default:
				if v.s != "" {
					p.Value = v.s
				}
			}
		}
	}
	return p
}

// append adds a row (its values in schema order) to partition p's record.
// With reset, it resets each value once read (value.reset), so that the
// caller's next row starts from reset values without a pass of its own
// over them (Convert; the values' strings and lists are copied or
// interned by then).
func (ps *partitionSet) append(fields []schemas.Field, vals []value, p Partition, reset bool) {
	if ps.kinds == nil {
		ps.setKinds(fields)
	}
	pb := ps.last
	if pb == nil || pb.p != p {
		pb = ps.builderOf(p)
		ps.last = pb
	}
	if pb.rows == 0 {
		ps.reserve(pb)
	}
	ps.left--
	r := pb.rows
	// Per column: the value stored (a set value in a live column with
	// room: inline), or nothing (a column null so far and a null), or
	// what prepare says; then, with reset, the value reset. (The lines
	// of the calls below keep their places in the function, those of
	// cmd/dtm/default.pgo's profile, so that PGO inlines them.)
	vals = vals[:len(pb.cols)]
	for i := range pb.cols {
		ca, v := &pb.cols[i], &vals[i]
		switch {
		case v.set && r < ca.cap:
			// A live typed column with room (cap is 0 for the others): the
			// store, the commonest kinds inline (a call per cell cost more
			// than the store).
			switch ca.kind {
			case colDict:
				id := ca.dict.known(v.s, v.sid)
				if id < 0 {
					id = ca.dict.indexOf(v.s, v.sid)
				}
				ca.vbits[r>>3] |= 1 << (r & 7)
				ca.i32s[r] = id
			case colInt:
				ca.vbits[r>>3] |= 1 << (r & 7)
				ca.ints[r] = v.i
			case colFloat:
				ca.vbits[r>>3] |= 1 << (r & 7)
				ca.flts[r] = v.f
			default:
				ca.store(r, v)
			}
		case !v.set && !ca.live && ca.run == 0:
			// A column null so far stays so (prepare's first case,
			// inline): nothing to write, no buffer to make.
		default:
			// A run, a column made live or grown, a builder column, a null.
			if ca.prepare(ps.mem, r, pb.capRows, v) {
				ca.store(r, v)
			}
		}
		if reset {
			v.reset()
		}
	}
	pb.rows++
	ps.held++
}

// partRecent is the number of partitions partitionSet.recent holds.
// A partition past them is found in the map: with rows alternating
// between six partitions (three countries, two rounds), the map's lookup
// (hashing the three strings of the key) and its comparison were 0.60 of
// 52.1 CPU s of a 10 M-row ingest.
const partRecent = 8

// builderOf returns the builder of partition p, making it if need be.
func (ps *partitionSet) builderOf(p Partition) *partBuilder {
	for _, pb := range &ps.recent {
		if pb == nil {
			break
		}
		if pb.p == p {
			return pb
		}
	}
	pb, ok := ps.parts[p]
	if !ok {
		// The key outlives the row, whose strings may be a reader's
		// recycled memory (a country code kept as the cell wrote it).
		p.Country, p.Value = strings.Clone(p.Country), strings.Clone(p.Value)
		pb = ps.newPartBuilder(p)
		ps.parts[p] = pb
		if n := len(ps.parts); n <= partRecent {
			ps.recent[n-1] = pb
		}
	}
	return pb
}

// drain takes the records of partitions holding at least min rows; then,
// when maxHeld > 0 and more than maxHeld rows are still held, those of the
// largest partitions until at most maxHeld/2 are held. Records are sorted
// by partition.
func (ps *partitionSet) drain(min, maxHeld int) []PartRecord {
	var out []PartRecord
	take := func(pb *partBuilder) {
		ps.measure(pb)
		out = append(out, PartRecord{Partition: pb.p, Record: ps.newRecord(pb)})
		ps.held -= pb.rows
		pb.rows = 0
	}
	for _, pb := range ps.parts {
		if pb.rows > 0 && pb.rows >= min {
			take(pb)
		}
	}
	if maxHeld > 0 && ps.held > maxHeld {
		rest := make([]*partBuilder, 0, len(ps.parts))
		for _, pb := range ps.parts {
			if pb.rows > 0 {
				rest = append(rest, pb)
			}
		}
		sort.Slice(rest, func(i, j int) bool {
			if rest[i].rows != rest[j].rows {
				return rest[i].rows > rest[j].rows
			}
			return partLess(rest[i].p, rest[j].p)
		})
		for _, pb := range rest {
			if ps.held <= maxHeld/2 {
				break
			}
			take(pb)
		}
	}
	sort.Slice(out, func(i, j int) bool { return partLess(out[i].Partition, out[j].Partition) })
	return out
}

func partLess(a, b Partition) bool {
	if a.Country != b.Country {
		return a.Country < b.Country
	}
	return a.Value < b.Value
}

func (ps *partitionSet) release() {
	for p, pb := range ps.parts {
		for i := range pb.cols {
			pb.cols[i].release()
		}
		delete(ps.parts, p)
	}
	ps.last, ps.held, ps.recent = nil, 0, [partRecent]*partBuilder{}
	if ps.zeros != nil {
		ps.zeros.Release()
		ps.zeros = nil
	}
}
