package transform

import (
	"fmt"
	"math/rand/v2"
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

// TestColumnBlockMatchesRowByRow: rows appended through the column blocks
// (random partitions in runs and interleaved, random flushes, more rows
// than a block) build the same records as appendValue row by row, and
// free every buffer.
//
// With dictionary string columns (partition_dict.go) the records hold the
// same values, as dictionaries of strings.
func TestColumnBlockMatchesRowByRow(t *testing.T) {
	t.Run("strings", func(t *testing.T) { testColumnBlocks(t, false) })
	t.Run("dictionaries", func(t *testing.T) { testColumnBlocks(t, true) })
}

func testColumnBlocks(t *testing.T, dict bool) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
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
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			ps := &partitionSet{schema: schema, parts: map[Partition]*partBuilder{}, mem: mem, maxRows: 1 << 16}
			want := map[Partition]*array.RecordBuilder{}
			vals := make([]value, len(fields))
			p := Partition{Country: "AAA", Value: "1"}
			rows := 2*blockRows + rng.IntN(3*blockRows)
			ps.expect(rows)
			for r := range rows {
				switch rng.IntN(50) {
				case 0: // a run of another partition
					p = Partition{Country: fmt.Sprint("C", rng.IntN(3)), Value: fmt.Sprint(rng.IntN(2))}
				case 1:
					ps.flush()
				case 2:
					if seed%2 == 1 { // long runs on even seeds, to fill whole blocks
						p = Partition{Country: "AAA", Value: fmt.Sprint(r % 2)}
					}
				}
				for i, f := range fields {
					randomValue(rng, f.Kind, &vals[i])
				}
				ps.append(fields, vals, p)
				rb := want[p]
				if rb == nil {
					rb = array.NewRecordBuilder(mem, plainSchema)
					want[p] = rb
				}
				for i, f := range fields {
					appendValue(rb.Field(i), f.Kind, &vals[i])
				}
			}
			got := ps.drain(1, 0)
			if len(got) != len(want) {
				t.Fatalf("%d records, want %d", len(got), len(want))
			}
			for _, pr := range got {
				w := want[pr.Partition].NewRecordBatch()
				if dict != isDictField(pr.Record.Schema().Field(0)) {
					t.Fatalf("record schema %s", pr.Record.Schema())
				}
				dense := denseRecord(mem, pr.Record)
				if !array.RecordEqual(dense, w) {
					t.Errorf("partition %v: block records differ from row-by-row ones", pr.Partition)
				}
				w.Release()
				dense.Release()
				pr.Record.Release()
			}
			for _, rb := range want {
				rb.Release()
			}
			ps.release()
		})
	}
}

// TestColumnBlockReleaseDropsHeldRows: release frees the builders of the
// rows still in the block.
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
		ps.append(fields, vals, Partition{Country: "AAA"})
	}
	ps.release()
	if len(ps.parts) != 0 || len(ps.pending) != 0 {
		t.Errorf("%d partitions, %d pending blocks left after release", len(ps.parts), len(ps.pending))
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
