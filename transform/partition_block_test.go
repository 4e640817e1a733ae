package transform

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/schemas"
)

// blockTestFields has a field of every kind, twice, and one of a kind the
// converter does not cast (stored as null).
func blockTestFields() []schemas.Field {
	kinds := []schemas.Kind{schemas.String, schemas.Int, schemas.Float, schemas.Date, schemas.Bool,
		schemas.StringList, schemas.SADD}
	var fields []schemas.Field
	for round := range 2 {
		for _, k := range kinds {
			fields = append(fields, schemas.Field{Name: fmt.Sprintf("f%d_%s", round, k), Kind: k})
		}
	}
	return append(fields, schemas.Field{Name: "odd", Kind: schemas.Kind("no such kind")})
}

// randomValue is a value of kind k, null one time in four, with hostile
// strings (empty, multi-byte, long) and empty lists.
func randomValue(rng *rand.Rand, k schemas.Kind, v *value) {
	v.reset()
	if rng.IntN(4) == 0 {
		return
	}
	str := func() string {
		switch rng.IntN(5) {
		case 0:
			return ""
		case 1:
			return "Côte d'Ivoire — 東京"
		case 2:
			return strings.Repeat("x", rng.IntN(300))
		default:
			return fmt.Sprintf("site %d", rng.IntN(1000))
		}
	}
	v.set = true
	switch k {
	case schemas.String:
		v.s = str()
	case schemas.Int:
		v.i = rng.Int64() - rng.Int64()
	case schemas.Float:
		v.f = rng.NormFloat64() * 1e6
	case schemas.Date:
		v.d = time.Date(1900+rng.IntN(200), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	case schemas.Bool:
		v.b = rng.IntN(2) == 0
	case schemas.StringList:
		for range rng.IntN(4) {
			v.list = append(v.list, str())
		}
	case schemas.SADD:
		for range rng.IntN(4) {
			c := SADDCell{SADDBand: SADDBand{Sex: "f", AgeMin: int32(rng.IntN(80))}, Count: rng.Int64N(1e6)}
			if rng.IntN(2) == 0 {
				c.Group = "returnee"
			}
			if rng.IntN(2) == 0 {
				top := c.AgeMin + 4
				c.AgeMax = &top
			}
			v.sadd = append(v.sadd, c)
		}
	default:
		v.s = str()
	}
}

// TestColumnBlockMatchesRowByRow: rows appended through the column
// accumulators (random partitions in runs and interleaved, columns null
// for a while or for the whole record, several records per partition,
// memory handed out dirty) build the same records as appendValue row by
// row, and free every buffer.
//
// With dictionary string columns (partition_dict.go) the records hold the
// same values, as dictionaries of strings.
func TestColumnBlockMatchesRowByRow(t *testing.T) {
	t.Run("strings", func(t *testing.T) { testColumnBlocks(t, false) })
	t.Run("dictionaries", func(t *testing.T) { testColumnBlocks(t, true) })
}

func testColumnBlocks(t *testing.T, dict bool) {
	mem := memory.NewCheckedAllocator(dirtyAllocator{memory.NewGoAllocator()})
	defer mem.AssertSize(t, 0)
	fields := blockTestFields()
	af := make([]arrow.Field, len(fields))
	for i, f := range fields {
		af[i] = arrow.Field{Name: f.Name, Type: f.Kind.ArrowType(), Nullable: true}
		if dict && f.Kind == schemas.String {
			af[i].Type = dictStringType
		}
	}
	schema := arrow.NewSchema(af, nil)
	plainSchema := builderSchema(schema)
	for seed := range uint64(8) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			ps := &partitionSet{schema: schema, parts: map[Partition]*partBuilder{}, mem: mem, maxRows: 1 << 16}
			vals := make([]value, len(fields))
			for round := range 3 { // records taken, the partitions' columns start again
				want := map[Partition]*array.RecordBuilder{}
				p := Partition{Country: "AAA", Value: "1"}
				rows := 1 + rng.IntN(1500)
				// Some columns stay null until a random row, some all along;
				// some hold one value until a random row, some all along.
				nullUntil := make([]int, len(fields))
				constUntil := make([]int, len(fields))
				constVal := make([]value, len(fields))
				for i, f := range fields {
					switch rng.IntN(5) {
					case 0:
						nullUntil[i] = rng.IntN(rows + 1)
					case 1:
						if round == 1 {
							nullUntil[i] = rows
						}
					case 2:
						constUntil[i] = rng.IntN(rows + 1)
					case 3:
						constUntil[i] = rows
					}
					for !constVal[i].set {
						randomValue(rng, f.Kind, &constVal[i])
					}
				}
				ps.expect(rows)
				for r := range rows {
					switch rng.IntN(50) {
					case 0: // a run of another partition
						// More partitions than partitionSet.recent holds.
						p = Partition{Country: fmt.Sprint("C", rng.IntN(5)), Value: fmt.Sprint(rng.IntN(2))}
					case 2:
						if seed%2 == 1 { // long runs on even seeds
							p = Partition{Country: "AAA", Value: fmt.Sprint(r % 2)}
						}
					}
					for i, f := range fields {
						switch {
						case r < nullUntil[i]:
							vals[i].reset()
						case r < constUntil[i]:
							vals[i] = constVal[i] // its own lists: randomValue reuses them
							vals[i].list, vals[i].sadd = slices.Clone(vals[i].list), slices.Clone(vals[i].sadd)
							if rng.IntN(200) == 0 { // now and then an equal value, not the same string
								vals[i].s = strings.Clone(vals[i].s)
							}
						default:
							randomValue(rng, f.Kind, &vals[i])
						}
					}
					rb := want[p]
					if rb == nil {
						rb = array.NewRecordBuilder(mem, plainSchema)
						want[p] = rb
					}
					for i, f := range fields {
						appendValue(rb.Field(i), f.Kind, &vals[i])
					}
					reset := rng.IntN(2) == 0
					ps.append(fields, vals, p, reset)
					for i := range vals {
						if reset && !isReset(&vals[i]) {
							t.Fatalf("round %d row %d: value %d not reset by append: %+v", round, r, i, vals[i])
						}
					}
				}
				got := ps.drain(1, 0)
				if len(got) != len(want) {
					t.Fatalf("round %d: %d records, want %d", round, len(got), len(want))
				}
				for _, pr := range got {
					w := want[pr.Partition].NewRecordBatch()
					if dict != isDictField(pr.Record.Schema().Field(0)) {
						t.Fatalf("record schema %s", pr.Record.Schema())
					}
					for i := range int(pr.Record.NumCols()) {
						if err := array.ValidateFull(pr.Record.Column(i)); err != nil {
							t.Fatalf("round %d, column %s: %v", round, fields[i].Name, err)
						}
					}
					dense := denseRecord(mem, pr.Record)
					if !array.RecordEqual(dense, w) {
						t.Errorf("round %d, partition %v: records differ from row-by-row ones\n got %v\nwant %v", round, pr.Partition, dense, w)
					}
					w.Release()
					dense.Release()
					pr.Record.Release()
				}
				for _, rb := range want {
					rb.Release()
				}
			}
			ps.release()
		})
	}
}

// dirtyAllocator hands out memory filled with garbage (a recycling
// allocator may), so a test fails if the column buffers rely on zeroed
// memory.
type dirtyAllocator struct{ memory.Allocator }

func (a dirtyAllocator) Allocate(n int) []byte {
	b := a.Allocator.Allocate(n)
	for i := range b {
		b[i] = 0xA5
	}
	return b
}

func (a dirtyAllocator) Reallocate(n int, old []byte) []byte {
	k := len(old)
	b := a.Allocator.Reallocate(n, old)
	for i := k; i < len(b); i++ {
		b[i] = 0x5A
	}
	return b
}

// TestColumnBlockReleaseDropsHeldRows: release frees the buffers of the
// rows of records not taken.
func TestColumnBlockReleaseDropsHeldRows(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	fields := blockTestFields()[:7]
	af := make([]arrow.Field, len(fields))
	for i, f := range fields {
		af[i] = arrow.Field{Name: f.Name, Type: f.Kind.ArrowType(), Nullable: true}
	}
	ps := &partitionSet{schema: arrow.NewSchema(af, nil), parts: map[Partition]*partBuilder{}, mem: mem}
	rng := rand.New(rand.NewPCG(1, 2))
	vals := make([]value, len(fields))
	for range 10 {
		for i, f := range fields {
			randomValue(rng, f.Kind, &vals[i])
		}
		ps.append(fields, vals, Partition{Country: "AAA"}, false)
	}
	ps.release()
	if len(ps.parts) != 0 || ps.held != 0 {
		t.Errorf("%d partitions, %d rows held after release", len(ps.parts), ps.held)
	}
}

// denseRecord is rec with its dictionary columns as strings (the caller
// releases both).
func denseRecord(mem memory.Allocator, rec arrow.RecordBatch) arrow.RecordBatch {
	if !isDictField(rec.Schema().Field(0)) {
		rec.Retain()
		return rec
	}
	cols := make([]arrow.Array, rec.NumCols())
	for i := range cols {
		d, ok := rec.Column(i).(*array.Dictionary)
		if !ok {
			cols[i] = rec.Column(i)
			cols[i].Retain()
			continue
		}
		b := array.NewStringBuilder(mem)
		for j := range d.Len() {
			if d.IsNull(j) {
				b.AppendNull()
			} else {
				b.Append(d.Dictionary().(*array.String).Value(d.GetValueIndex(j)))
			}
		}
		cols[i] = b.NewArray()
		b.Release()
	}
	out := array.NewRecordBatch(builderSchema(rec.Schema()), cols, rec.NumRows())
	for _, c := range cols {
		c.Release()
	}
	return out
}

// appendValue appends v to b row by row: the reference the column
// accumulators are compared with.
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

// TestDate32Of: date32Of is arrow.Date32FromTime on times before and after
// 1970 and year 1, at and around midnight, in UTC and other zones.
func TestDate32Of(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	zones := []*time.Location{time.UTC, time.FixedZone("east", 14*3600), time.FixedZone("west", -12*3600-1800)}
	check := func(tm time.Time) {
		if got, want := date32Of(tm), arrow.Date32FromTime(tm); got != want {
			t.Fatalf("%v: %d, want %d", tm, got, want)
		}
	}
	for _, z := range zones {
		for _, y := range []int{1, 1969, 1970, 2025, 9999} {
			for _, sec := range []int{-1, 0, 1, 86399, 86400} {
				check(time.Date(y, 1, 1, 0, 0, sec, 0, z))
			}
		}
		for range 20_000 {
			check(time.Unix(rng.Int64N(400_000_000_000)-200_000_000_000, rng.Int64N(1e9)).In(z))
		}
	}
}

// TestDictBuilderAcrossRecords: record after record, with values met
// before and new ones, past dictKeepEntries (the values met are dropped),
// each record's dictionary holds its own distinct values once, in order
// of first appearance, and its indices give back its values; also with an
// intern table (partition_dict.go) past maxInternStrings, the values given
// with their intern number, none, or a wrong one.
func TestDictBuilderAcrossRecords(t *testing.T) {
	for _, interned := range []bool{false, true} {
		t.Run(fmt.Sprint("interned=", interned), func(t *testing.T) { testDictBuilder(t, interned) })
	}
}

func testDictBuilder(t *testing.T, interned bool) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	var tab *internTable
	if interned {
		tab = &internTable{}
	}
	d := newDictBuilder(mem, tab)
	defer d.release()
	rng := rand.New(rand.NewPCG(8, 9))
	for rec := range 40 {
		pool := 10 + rng.IntN(3*dictKeepEntries)
		n := 1 + rng.IntN(2000)
		in := make([]string, n)
		idx := make([]int32, n)
		var order []string
		seen := map[string]bool{}
		for i := range in {
			in[i] = fmt.Sprint("v", rng.IntN(pool))
			if rng.IntN(3) == 0 && i > 0 {
				in[i] = strings.Clone(in[i-1]) // runs, as files have
			}
			var sid int32
			if tab != nil {
				switch rng.IntN(5) {
				case 0:
					sid, _ = tab.number(in[i])
				case 1:
					sid = int32(rng.IntN(maxInternStrings + 10)) // stale or out of range
				case 2, 3: // the table's copy, as a cell memo's value
					if id, c := tab.number(in[i]); id > 0 {
						sid, in[i] = id, c
					}
				case 4: // the table's copy with another's number
					if id, c := tab.number(in[i]); id > 0 {
						in[i], sid = c, int32(rng.IntN(int(id)+2))
					}
				}
			}
			// As the accumulators' store does: known, else indexOf.
			if idx[i] = d.known(in[i], sid); idx[i] < 0 {
				idx[i] = d.indexOf(in[i], sid)
			}
			if !seen[in[i]] {
				seen[in[i]] = true
				order = append(order, in[i])
			}
		}
		vals := d.newValues().(*array.String)
		if vals.Len() != len(order) {
			t.Fatalf("record %d: %d dictionary values, want %d", rec, vals.Len(), len(order))
		}
		for i, w := range order {
			if vals.Value(i) != w {
				t.Fatalf("record %d: dictionary value %d is %q, want %q", rec, i, vals.Value(i), w)
			}
		}
		for i, s := range in {
			if got := vals.Value(int(idx[i])); got != s {
				t.Fatalf("record %d, row %d: index gives %q, want %q", rec, i, got, s)
			}
		}
		vals.Release()
	}
	if tab != nil && len(tab.strs) != maxInternStrings+1 {
		t.Errorf("the intern table numbers %d strings, want %d (full)", len(tab.strs)-1, maxInternStrings)
	}
}

// isReset reports whether v is what value.reset leaves (its lists' capacity aside).
func isReset(v *value) bool {
	return !v.set && !v.b && v.sid == 0 && v.i == 0 && v.f == 0 && v.s == "" &&
		v.d == (time.Time{}) && len(v.list) == 0 && len(v.sadd) == 0
}
