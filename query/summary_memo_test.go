package query

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// hostileRows are the values of generated site rows, by column, for
// records built as plain strings (the string path of SummaryBuilder) and
// as dictionaries (the index path).
type hostileRows struct {
	strs        [mCols][]*string // country, a1p .. o1n, site_type (nil: NULL)
	round       []*int64
	hh, ind     []*int64
	reasons     [][]*string // nil: a NULL list
	reasonsNull []bool
}

// hostileStrNames are the columns of hostileRows.strs.
var hostileStrNames = [mCols]string{"country_iso3", "admin1_pcode", "admin1_name", "admin2_pcode", "admin2_name",
	"admin3_pcode", "admin3_name", "origin_admin1_pcode", "origin_admin1_name", "site_type"}

// genHostileRows makes n rows in one of several shapes: long runs of one
// tuple, two tuples alternating, thousands of distinct tuples, small
// vocabularies with NULLs and empty strings, rounds of every sign and
// size (NULL, negative, past 32 bits).
func genHostileRows(rng *rand.Rand, n int, shape string) hostileRows {
	var r hostileRows
	vocab := func(k int) *string {
		switch rng.IntN(12) {
		case 0:
			return nil
		case 1:
			s := ""
			return &s
		}
		s := fmt.Sprintf("v%d", rng.IntN(k))
		return &s
	}
	ptr := func(v int64) *int64 { return &v }
	roundOf := func() *int64 {
		switch rng.IntN(8) {
		case 0:
			return nil
		case 1:
			return ptr(-1)
		case 2:
			return ptr(1<<32 + 37)
		case 3:
			return ptr(math.MinInt64)
		}
		return ptr(37 + int64(rng.IntN(2)))
	}
	type tuple struct {
		strs  [mCols]*string
		round *int64
	}
	newTuple := func(k int) tuple {
		var t tuple
		for c := range t.strs {
			t.strs[c] = vocab(k)
		}
		t.round = roundOf()
		return t
	}
	alt := [2]tuple{newTuple(4), newTuple(4)}
	cur := newTuple(4)
	for i := range n {
		switch shape {
		case "runs":
			if rng.IntN(20) == 0 {
				cur = newTuple(3)
			} else if rng.IntN(10) == 0 { // one column changes in a run
				cur.strs[rng.IntN(mCols)] = vocab(3)
			}
		case "alternating":
			cur = alt[i%2]
		case "many":
			cur = newTuple(40)
		default: // "small"
			cur = newTuple(3)
		}
		for c := range cur.strs {
			r.strs[c] = append(r.strs[c], cur.strs[c])
		}
		r.round = append(r.round, cur.round)
		num := func() *int64 {
			if rng.IntN(7) == 0 {
				return nil
			}
			return ptr(int64(rng.IntN(1000)))
		}
		r.hh, r.ind = append(r.hh, num()), append(r.ind, num())
		var list []*string
		null := rng.IntN(9) == 0
		if !null {
			k := 3
			if shape == "many" { // lists that evict each other and share signatures ("v10", "v20")
				k = 40
			}
			for range rng.IntN(3) {
				list = append(list, vocab(k))
			}
		}
		r.reasons, r.reasonsNull = append(r.reasons, list), append(r.reasonsNull, null)
	}
	return r
}

// record builds the rows as a record: string columns plain, or (dict)
// dictionary arrays of random forms: int32 or int16 indices, dictionaries
// holding unused, repeated and NULL entries, a NULL row as a null index or
// as an index to the NULL entry. Columns in absent are left out.
// dropNullReasons removes the NULL elements of r's lists.
func (r *hostileRows) dropNullReasons() {
	for i, l := range r.reasons {
		r.reasons[i] = slices.DeleteFunc(l, func(v *string) bool { return v == nil })
	}
}

// dropNullLists makes r's NULL lists empty lists: a list column without
// NULLs (reasonsCache.noNullLists).
func (r *hostileRows) dropNullLists() {
	clear(r.reasonsNull)
}

func (r *hostileRows) record(t *testing.T, rng *rand.Rand, dict bool, absent map[string]bool) arrow.RecordBatch {
	t.Helper()
	mem := memory.DefaultAllocator
	var fields []arrow.Field
	var cols []arrow.Array
	add := func(name string, a arrow.Array) {
		if absent[name] {
			a.Release()
			return
		}
		fields = append(fields, arrow.Field{Name: name, Type: a.DataType(), Nullable: true})
		cols = append(cols, a)
	}
	for c, name := range hostileStrNames {
		vals := r.strs[c]
		if !dict {
			b := array.NewStringBuilder(mem)
			for _, v := range vals {
				if v == nil {
					b.AppendNull()
				} else {
					b.Append(*v)
				}
			}
			add(name, b.NewArray())
			b.Release()
			continue
		}
		// The dictionary: the distinct values in random order, a NULL
		// entry, some repeated, one unused.
		var entries []*string
		pos := map[string][]int{}
		seen := map[string]bool{}
		for _, v := range vals {
			if v != nil && !seen[*v] {
				seen[*v] = true
				entries = append(entries, v)
			}
		}
		extra := "unused"
		entries = append(entries, nil, &extra)
		entries = append(entries, entries[:len(entries)/3]...)
		rng.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
		nullEntry := -1
		db := array.NewStringBuilder(mem)
		for j, e := range entries {
			if e == nil {
				db.AppendNull()
				nullEntry = j
				continue
			}
			db.Append(*e)
			pos[*e] = append(pos[*e], j)
		}
		dictVals := db.NewArray()
		db.Release()
		idx := make([]int, len(vals))
		valid := make([]bool, len(vals))
		for i, v := range vals {
			switch {
			case v != nil:
				p := pos[*v]
				idx[i], valid[i] = p[rng.IntN(len(p))], true
			case rng.IntN(2) == 0:
				idx[i], valid[i] = nullEntry, true
			}
		}
		var indices arrow.Array
		var idxType arrow.DataType
		if rng.IntN(3) == 0 {
			b := array.NewInt16Builder(mem)
			for i := range idx {
				b.Append(int16(idx[i]))
			}
			indices, idxType = b.NewArray(), arrow.PrimitiveTypes.Int16
			b.Release()
		} else {
			b := array.NewInt32Builder(mem)
			for i := range idx {
				b.Append(int32(idx[i]))
			}
			indices, idxType = b.NewArray(), arrow.PrimitiveTypes.Int32
			b.Release()
		}
		// Null indices: rebuild with the validity bitmap.
		indices = withValidity(indices, valid)
		dt := &arrow.DictionaryType{IndexType: idxType, ValueType: arrow.BinaryTypes.String}
		add(name, array.NewDictionaryArray(dt, indices, dictVals))
		indices.Release()
		dictVals.Release()
	}
	ints := func(vals []*int64) arrow.Array {
		b := array.NewInt64Builder(mem)
		defer b.Release()
		for _, v := range vals {
			if v == nil {
				b.AppendNull()
			} else {
				b.Append(*v)
			}
		}
		return b.NewArray()
	}
	add("round", ints(r.round))
	add("idp_households", ints(r.hh))
	add("idp_individuals", ints(r.ind))
	lb := array.NewListBuilder(mem, arrow.BinaryTypes.String)
	vb := lb.ValueBuilder().(*array.StringBuilder)
	for i, l := range r.reasons {
		if r.reasonsNull[i] {
			lb.AppendNull()
			continue
		}
		lb.Append(true)
		for _, v := range l {
			if v == nil {
				vb.AppendNull()
			} else {
				vb.Append(*v)
			}
		}
	}
	add("displacement_reasons", lb.NewArray())
	lb.Release()
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(len(r.round)))
	for _, a := range cols {
		a.Release()
	}
	return rec
}

// withValidity returns a copy of the integer array a with NULLs where
// valid is false (and releases a).
func withValidity(a arrow.Array, valid []bool) arrow.Array {
	defer a.Release()
	mem := memory.DefaultAllocator
	switch a := a.(type) {
	case *array.Int16:
		b := array.NewInt16Builder(mem)
		defer b.Release()
		b.AppendValues(a.Int16Values(), valid)
		return b.NewArray()
	case *array.Int32:
		b := array.NewInt32Builder(mem)
		defer b.Release()
		b.AppendValues(a.Int32Values(), valid)
		return b.NewArray()
	}
	panic(fmt.Sprintf("withValidity: %T", a))
}

// builderGroups is b's groups: their sums by key.
func builderGroups(b *SummaryBuilder) map[string]summarySums {
	m := map[string]summarySums{}
	for g, k := range b.keys {
		m[k] = b.sums[g]
	}
	return m
}

// TestSummaryIndexPathMatchesStrings: the index path (dictionary string
// columns: tuples of string numbers, run reuse, the tuple table) makes the
// groups and sums the string path makes from the same rows as plain
// strings, on hostile records: runs of one tuple, alternating tuples,
// thousands of groups, NULLs as null indices and as indices to a NULL
// dictionary entry, repeated and unused dictionary entries, int16 and
// int32 indices, absent columns, records sliced at random offsets, records
// of several blocks (summary_index.go), rounds NULL, negative and past 32
// bits.
func TestSummaryIndexPathMatchesStrings(t *testing.T) {
	for seed := range uint64(12) {
		for _, shape := range []string{"runs", "alternating", "many", "small"} {
			t.Run(fmt.Sprintf("%s_seed%d", shape, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 77))
				absent := map[string]bool{}
				if seed%3 == 1 {
					absent[hostileStrNames[rng.IntN(mCols)]] = true
				}
				if seed%4 == 2 {
					absent["round"] = true
				}
				strB, dictB := NewSummaryBuilder(), NewSummaryBuilder()
				total := 0
				for r := range 1 + rng.IntN(6) {
					n := 1 + rng.IntN(700)
					if shape == "many" && r < 2 {
						n = 600 + rng.IntN(600)
					}
					if seed%2 == 0 && r == 0 { // blocks of indexBlock rows: runs and tuples across their bounds
						n = 2*indexBlock + rng.IntN(indexBlock)
					}
					rows := genHostileRows(rng, n, shape)
					if r%2 == 1 { // reasons without NULL elements (read from the buffers: summary_reasons.go)
						rows.dropNullReasons()
					}
					if r%3 == 1 { // no NULL list (no list is checked for NULL: summary_reasons.go)
						rows.dropNullLists()
					}
					plain := rows.record(t, rng, false, absent)
					dict := rows.record(t, rng, true, absent)
					// Added whole, or in slices (offsets into the arrays).
					cuts := []int{0, n}
					if rng.IntN(2) == 0 && n > 2 {
						cuts = []int{0, 1 + rng.IntN(n-1), n}
					}
					for j := range len(cuts) - 1 {
						ps, ds := plain.NewSlice(int64(cuts[j]), int64(cuts[j+1])), dict.NewSlice(int64(cuts[j]), int64(cuts[j+1]))
						strB.Add(ps)
						dictB.Add(ds)
						ps.Release()
						ds.Release()
					}
					plain.Release()
					dict.Release()
					total += n
				}
				if strB.Err() != nil || dictB.Err() != nil {
					t.Fatalf("errors: strings %v, dictionaries %v", strB.Err(), dictB.Err())
				}
				if strB.Rows() != int64(total) || dictB.Rows() != int64(total) {
					t.Fatalf("rows: strings %d, dictionaries %d, of %d", strB.Rows(), dictB.Rows(), total)
				}
				if !dictB.memo.ok {
					t.Fatal("the dictionary records did not take the index path")
				}
				want, got := builderGroups(strB), builderGroups(dictB)
				if !maps.Equal(want, got) {
					for k, s := range want {
						if g, ok := got[k]; !ok || g != s {
							t.Errorf("group %q: strings %+v, dictionaries %+v (found %v)", k, s, g, ok)
						}
					}
					t.Fatalf("%d groups from strings, %d from dictionaries", len(want), len(got))
				}
				if shape == "many" && len(want) < 1000 {
					t.Errorf("only %d groups", len(want))
				}
			})
		}
	}
}

// TestSummaryIndexPathOverflow: a sum past int64 on the index path fails
// the builder as on the string path, without a panic (the memo is freed
// mid-record).
func TestSummaryIndexPathOverflow(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	rows := genHostileRows(rng, 4, "alternating")
	big := int64(math.MaxInt64)
	rows.hh = []*int64{&big, &big, &big, &big}
	for _, dict := range []bool{false, true} {
		rec := rows.record(t, rng, dict, nil)
		b := NewSummaryBuilder()
		b.Add(rec)
		rec.Release()
		if b.Err() == nil {
			t.Errorf("dict %v: no error for a sum past int64", dict)
		}
	}
}

// TestHashAreaIsHashWords: hashArea, written out for the 'area' tuples, is
// hashWords of the same words (whose spread the tuple table relies on):
// every word, in its place, with its multiplier.
func TestHashAreaIsHashWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for range 1000 {
		var k [areaWords]uint32
		for j := range k {
			switch rng.IntN(4) {
			case 0:
				k[j] = noIndex & 0xffffffff
			case 1:
				k[j] = uint32(rng.IntN(8))
			default:
				k[j] = rng.Uint32()
			}
		}
		if got, want := hashArea(&k), hashWords(k[:]); got != want {
			t.Fatalf("hashArea(%v) = %#x, hashWords %#x", k, got, want)
		}
	}
}
