package transform

import (
	"sort"
	"strconv"

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
	// schema is the records' (dictionary fields: partition_dict.go);
	// bschema the builders' and kinds the fields' colKinds, set by the
	// first append.
	schema  *arrow.Schema
	bschema *arrow.Schema
	kinds   []colKind
	parts   map[Partition]*partBuilder
	last    *partBuilder // the partition of the previous row (rows come in runs)
	held    int          // rows in all builders
	mem     memory.Allocator
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
	// pending are the partitions whose column blocks hold rows not yet
	// appended to their builders (partition_block.go); flush appends them.
	pending []*partBuilder
}

// partBuilder builds the record of one partition.
type partBuilder struct {
	p      Partition
	b      *array.RecordBuilder
	fields []array.Builder // b's field builders, looked up once
	rows   int             // rows appended to the builders
	block  colBlock        // rows not yet appended (partition_block.go)
	// dicts build the dictionary columns (nil: none; nil entries for the
	// other fields), whose fields' builders stay empty.
	dicts []*dictBuilder
}

// newRecord takes the rows appended to pb as a record of the set's schema.
func (ps *partitionSet) newRecord(pb *partBuilder) arrow.RecordBatch {
	if pb.dicts == nil {
		return pb.b.NewRecordBatch()
	}
	cols := make([]arrow.Array, len(pb.fields))
	for i, b := range pb.fields {
		if d := pb.dicts[i]; d != nil {
			cols[i] = d.newArray()
		} else {
			cols[i] = b.NewArray()
		}
	}
	rec := array.NewRecordBatch(ps.schema, cols, int64(pb.rows))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// setKinds sets the fields' colKinds and the builders' schema.
func (ps *partitionSet) setKinds(fields []schemas.Field) {
	ps.kinds = make([]colKind, len(fields))
	for i := range fields {
		ps.kinds[i] = colKindOf(fields[i].Kind)
		if ps.kinds[i] == colString && isDictField(ps.schema.Field(i)) {
			ps.kinds[i] = colDict
		}
	}
	ps.bschema = builderSchema(ps.schema)
}

// expect tells the set that n rows are coming (one Convert call), for
// pre-sizing the builders of partitions that start a record.
func (ps *partitionSet) expect(n int) { ps.left, ps.leftReserved = n, false }

// reserve sizes the builders of pb, which start a record: for the rows of
// the partition's previous record, else (once per Convert call, so that
// rows spread over many new partitions do not each reserve them all) for
// the rows left in the call (left, counting the block's); never more
// than maxRows.
func (ps *partitionSet) reserve(pb *partBuilder, left int) {
	rows, ok := ps.prevRows[pb.p]
	if !ok {
		if ps.leftReserved {
			return
		}
		rows, ps.leftReserved = left, true
	}
	if ps.maxRows > 0 {
		rows = min(rows, ps.maxRows)
	}
	if rows <= 1 {
		return
	}
	if len(ps.hints) < len(pb.fields) {
		ps.hints = growHints(ps.hints, len(pb.fields))
	}
	for i, b := range pb.fields {
		reserveBuilder(b, rows, &ps.hints[i])
	}
	for _, d := range pb.dicts {
		if d != nil {
			d.idx.Reserve(rows)
		}
	}
}

// measure records the shape of pb's record about to be taken.
func (ps *partitionSet) measure(pb *partBuilder) {
	if len(ps.hints) < len(pb.fields) {
		ps.hints = growHints(ps.hints, len(pb.fields))
	}
	for i, b := range pb.fields {
		measureBuilder(b, pb.rows, &ps.hints[i])
	}
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
	return &partitionSet{ds: ds, schema: recordSchema(ds), parts: map[Partition]*partBuilder{}, mem: mem}
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

// append adds a row (its values in schema order) to partition p: to its
// column block, which is appended to p's builders when it is full and by
// flush.
func (ps *partitionSet) append(fields []schemas.Field, vals []value, p Partition) {
	if ps.kinds == nil {
		ps.setKinds(fields)
	}
	pb := ps.last
	if pb == nil || pb.p != p {
		var ok bool
		if pb, ok = ps.parts[p]; !ok {
			b := array.NewRecordBuilder(ps.mem, ps.bschema)
			pb = &partBuilder{p: p, b: b, fields: b.Fields()}
			for i, k := range ps.kinds {
				if k == colDict {
					if pb.dicts == nil {
						pb.dicts = make([]*dictBuilder, len(ps.kinds))
					}
					pb.dicts[i] = newDictBuilder(ps.mem)
				}
			}
			ps.parts[p] = pb
		}
		ps.last = pb
	}
	if pb.block.n == 0 {
		ps.pending = append(ps.pending, pb)
	}
	ps.left--
	pb.block.push(ps.kinds, vals)
	if pb.block.n >= blockRows {
		ps.flushOne(pb)
	}
}

// flush appends the rows of every column block to their partition's
// builders. Convert calls it before it returns (the blocks' strings point
// into the rows converted); drain and release call it before they look at
// the builders.
func (ps *partitionSet) flush() {
	for _, pb := range ps.pending {
		ps.flushOne(pb)
	}
	clear(ps.pending)
	ps.pending = ps.pending[:0]
}

// flushOne appends the rows of pb's column block to its builders (the
// block stays in pending, empty).
func (ps *partitionSet) flushOne(pb *partBuilder) {
	n := pb.block.n
	if n == 0 {
		return
	}
	if pb.rows == 0 {
		ps.reserve(pb, ps.left+n)
	}
	pb.block.appendTo(pb.fields, pb.dicts)
	pb.rows += n
	ps.held += n
}

// drain takes the records of partitions holding at least min rows; then,
// when maxHeld > 0 and more than maxHeld rows are still held, those of the
// largest partitions until at most maxHeld/2 are held. Records are sorted
// by partition.
func (ps *partitionSet) drain(min, maxHeld int) []PartRecord {
	ps.flush()
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
	ps.flush()
	for p, pb := range ps.parts {
		pb.b.Release()
		for _, d := range pb.dicts {
			if d != nil {
				d.release()
			}
		}
		delete(ps.parts, p)
	}
	ps.last, ps.held = nil, 0
}

func appendValue(b array.Builder, kind schemas.Kind, v *value) {
	if !v.set {
		b.AppendNull()
		return
	}
	switch kind {
	case schemas.String:
		b.(*array.StringBuilder).Append(v.s)
	case schemas.Int:
		b.(*array.Int64Builder).Append(v.i)
	case schemas.Float:
		b.(*array.Float64Builder).Append(v.f)
	case schemas.Date:
		b.(*array.Date32Builder).Append(arrow.Date32FromTime(v.d))
	case schemas.Bool:
		b.(*array.BooleanBuilder).Append(v.b)
	case schemas.StringList:
		lb := b.(*array.ListBuilder)
		lb.Append(true)
		sb := lb.ValueBuilder().(*array.StringBuilder)
		for _, s := range v.list {
			sb.Append(s)
		}
	case schemas.SADD:
		lb := b.(*array.ListBuilder)
		lb.Append(true)
		st := lb.ValueBuilder().(*array.StructBuilder)
		for _, c := range v.sadd {
			st.Append(true)
			if c.Group == "" {
				st.FieldBuilder(0).AppendNull()
			} else {
				st.FieldBuilder(0).(*array.StringBuilder).Append(c.Group)
			}
			st.FieldBuilder(1).(*array.StringBuilder).Append(c.Sex)
			st.FieldBuilder(2).(*array.Int32Builder).Append(c.AgeMin)
			if c.AgeMax == nil {
				st.FieldBuilder(3).AppendNull()
			} else {
				st.FieldBuilder(3).(*array.Int32Builder).Append(*c.AgeMax)
			}
			st.FieldBuilder(4).(*array.Int64Builder).Append(c.Count)
		}
	default:
		b.AppendNull()
	}
}
