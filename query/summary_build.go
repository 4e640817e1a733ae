package query

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// SummaryBuilder computes the figure summary of site_assessment rows (the
// rows of summarySelect, SummaryVersion) in Go, from the Arrow records as
// they are written, so that an ingest need not read its rows back. Its
// memory is its groups' (a few hundred bytes each), not its rows': at
// most MaxSummaryGroups groups, past which it keeps nothing and Err says
// so (the caller then writes the summary from the files: SummaryWriter).
// Not safe for concurrent use; the zero value is not usable: use
// NewSummaryBuilder.
//
// A group is identified by its key: the part's tag byte and the group's
// values, each encoded as summaryKey describes; the key alone gives the
// group's values back when the summary is written, so a group costs its
// key, a map entry and its sums.
type SummaryBuilder struct {
	index map[string]int32 // group key -> index in sums
	keys  []string         // group keys by index
	sums  []summarySums
	rows  int64
	err   error
	// maxGroups is MaxSummaryGroups (tests lower it).
	maxGroups int

	// cols are the columns of the record being added (resolve); key is a
	// scratch buffer, pre the encoded country and round of row preRow
	// (prefix).
	cols summaryCols
	// schema is the schema of the last record resolved, fieldIdx the
	// indices of the columns resolve reads in it, in the order it reads
	// them (-1: absent).
	schema   *arrow.Schema
	fieldIdx []int
	key      []byte
	pre      []byte
	preRow   int
	// memo finds the 'area' and 'site_type' groups of dictionary columns
	// by string numbers (summary_memo.go).
	memo summaryMemo
}

// MaxSummaryGroups bounds the groups of one SummaryBuilder (about 200
// bytes each: 40 MB at the bound). A real DTM source has a few thousand
// to tens of thousands (areas by origin, by round); one with more would
// make a summary nearly as long as its rows.
const MaxSummaryGroups = 200_000

// ErrSummaryTooLarge is Err of a SummaryBuilder that met more than
// MaxSummaryGroups groups.
var ErrSummaryTooLarge = fmt.Errorf("more than %d summary groups", MaxSummaryGroups)

// summarySums are the sums of one group: sites (rows, or SADD cells) and
// the nullable sums of the 'area', 'site_type' and 'reasons' parts
// (households, individuals) or of the 'sadd' part (count: in hh).
type summarySums struct {
	sites       int64
	hh, ind     int64
	hhOK, indOK bool
}

// The tag bytes of the parts, ordered as the part names sort ('area' <
// 'reasons' < 'sadd' < 'site_type'), so that sorting keys sorts parts.
const (
	partArea     byte = 'a'
	partReasons  byte = 'r'
	partSADD     byte = 's'
	partSiteType byte = 't'
)

// partNames names the parts by tag.
var partNames = map[byte]string{partArea: "area", partReasons: "reasons", partSADD: "sadd", partSiteType: "site_type"}

// NewSummaryBuilder returns an empty builder.
func NewSummaryBuilder() *SummaryBuilder {
	return &SummaryBuilder{index: map[string]int32{}, maxGroups: MaxSummaryGroups}
}

// Rows is the number of rows added.
func (b *SummaryBuilder) Rows() int64 { return b.rows }

// Groups is the number of groups (summary rows) so far.
func (b *SummaryBuilder) Groups() int { return len(b.keys) }

// Err is the first error of Add (a column of an unexpected type, a sum
// past int64, ErrSummaryTooLarge): the builder then ignores further rows
// and its summary cannot be written.
func (b *SummaryBuilder) Err() error { return b.err }

// summaryCols are the columns the summary reads, nil when the records lack
// them (read as NULL, as the views do).
type summaryCols struct {
	country, a1p, a1n, a2p, a2n, a3p, a3n, o1p, o1n, siteType strCol
	round, hh, ind                                            intCol
	reasons                                                   *array.List
	reasonVals                                                strCol
	sadd                                                      *array.List
	cell                                                      *array.Struct
	cGroup, cSex                                              strCol
	cMin, cMax, cCount                                        intCol
}

// Add adds the rows of rec (a site_assessment record: columns by their
// stored names; those it lacks are NULL). The caller keeps rec.
func (b *SummaryBuilder) Add(rec arrow.RecordBatch) {
	if b.err != nil || rec.NumRows() == 0 {
		return
	}
	if err := b.resolve(rec); err != nil {
		b.fail(err)
		return
	}
	c := &b.cols
	n := int(rec.NumRows())
	memo := &b.memo
	memo.reset(c, n)
	b.preRow = -1 // the country and round of no row are encoded yet
	if memo.ok {
		b.addIndexed(n)
		return
	}
	for i := range n {
		round, roundOK := c.round.get(i)
		hh, hhOK := c.hh.get(i)
		ind, indOK := c.ind.get(i)
		pre := b.prefix(i, round, roundOK)
		b.key = b.areaKey(pre, i)
		b.count(hh, hhOK, ind, indOK)
		b.key = appendStr(append(append(b.key[:0], partSiteType), pre...), c.siteType, i)
		b.count(hh, hhOK, ind, indOK)
		b.key = appendStrList(append(append(b.key[:0], partReasons), pre...), c.reasons, c.reasonVals, i)
		b.count(hh, hhOK, ind, indOK)
		b.addSADD(i, round, roundOK)
		if b.err != nil {
			return
		}
		b.rows++
	}
}

// addSADD adds the SADD cells of row i (round and roundOK: its round).
func (b *SummaryBuilder) addSADD(i int, round int64, roundOK bool) {
	c := &b.cols
	if c.sadd == nil || !c.sadd.IsValid(i) {
		return
	}
	start, end := c.sadd.ValueOffsets(i)
	pre := b.prefix(i, round, roundOK)
	for j := int(start); j < int(end); j++ {
		k := append(append(b.key[:0], partSADD), pre...)
		var cnt int64
		var cntOK bool
		if c.cell.IsValid(j) {
			k = appendStr(k, c.cGroup, j)
			k = appendStr(k, c.cSex, j)
			k = appendInt(k, c.cMin, j)
			k = appendInt(k, c.cMax, j)
			cnt, cntOK = c.cCount.get(j)
		} else { // a NULL cell: every field NULL
			k = append(k, 0, 0, 0, 0)
		}
		b.key = k
		b.count(cnt, cntOK, 0, false)
	}
}

// prefix is the encoded country and round of row i (round and roundOK),
// which open every group's key, in b.pre: built once a row, when the row
// needs a key.
func (b *SummaryBuilder) prefix(i int, round int64, roundOK bool) []byte {
	if b.preRow != i {
		b.pre = appendRound(appendStr(b.pre[:0], b.cols.country, i), round, roundOK)
		b.preRow = i
	}
	return b.pre
}

// areaKey is the key of row i's 'area' group (pre: its country and
// round, encoded), in b.key's buffer.
func (b *SummaryBuilder) areaKey(pre []byte, i int) []byte {
	c := &b.cols
	k := append(append(b.key[:0], partArea), pre...)
	for _, col := range [...]strCol{c.a1p, c.a1n, c.a2p, c.a2n, c.a3p, c.a3n, c.o1p, c.o1n} {
		k = appendStr(k, col, i)
	}
	return k
}

// count adds one row (or cell) to the group of b.key, unless the builder
// has given up.
func (b *SummaryBuilder) count(hh int64, hhOK bool, ind int64, indOK bool) {
	if g, ok := b.group(); ok {
		b.add(g, hh, hhOK, ind, indOK)
	}
}

// group returns the group of b.key, made if new; false when the builder
// has given up (or gives up now: too many groups).
func (b *SummaryBuilder) group() (int32, bool) {
	if b.err != nil {
		return 0, false
	}
	g, ok := b.index[string(b.key)]
	if !ok {
		if len(b.keys) >= b.maxGroups {
			b.fail(ErrSummaryTooLarge)
			return 0, false
		}
		g = int32(len(b.keys))
		key := string(b.key)
		b.index[key] = g
		b.keys = append(b.keys, key)
		b.sums = append(b.sums, summarySums{})
	}
	return g, true
}

// add adds one row (or cell) to group g, unless the builder has given up.
func (b *SummaryBuilder) add(g int32, hh int64, hhOK bool, ind int64, indOK bool) {
	if b.err != nil {
		return
	}
	s := &b.sums[g]
	s.sites++
	if hhOK {
		if !addInt64(&s.hh, hh) {
			b.fail(errors.New("a sum of households or SADD counts is past the int64 range"))
			return
		}
		s.hhOK = true
	}
	if indOK {
		if !addInt64(&s.ind, ind) {
			b.fail(errors.New("a sum of individuals is past the int64 range"))
		}
		s.indOK = true
	}
}

// fail records the first error and frees the groups.
func (b *SummaryBuilder) fail(err error) {
	if b.err == nil {
		b.err = fmt.Errorf("figure summary: %w", err)
	}
	b.index, b.keys, b.sums = nil, nil, nil
	b.memo = summaryMemo{}
}

// addInt64 adds v to *sum, reporting false (and leaving *sum) on overflow.
func addInt64(sum *int64, v int64) bool {
	r := *sum + v // wraps on overflow
	// Signed overflow: both operands of one sign, the result of the other.
	if (*sum >= 0) == (v >= 0) && (r >= 0) != (v >= 0) {
		return false
	}
	*sum = r
	return true
}

// resolve points the columns at rec's arrays, found by name.
// A record of the previous record's schema reads its columns' indices from
// b.fieldIdx instead of looking their names up (0.06 CPU s of a 10 M-row
// ingest, main c752f07).
func (b *SummaryBuilder) resolve(rec arrow.RecordBatch) error {
	known := rec.Schema() == b.schema
	if !known {
		b.schema, b.fieldIdx = nil, b.fieldIdx[:0]
	}
	next := 0
	col := func(name string) arrow.Array {
		if !known {
			i := -1
			if idx := rec.Schema().FieldIndices(name); len(idx) > 0 {
				i = idx[0]
			}
			b.fieldIdx = append(b.fieldIdx, i)
		}
		i := b.fieldIdx[next]
		next++
		if i < 0 {
			return nil
		}
		return rec.Column(i)
	}
	var err error
	str := func(name string, a arrow.Array) strCol {
		s, e := newStrCol(name, a)
		err = errors.Join(err, e)
		return s
	}
	num := func(name string, a arrow.Array) intCol {
		s, e := newIntCol(name, a)
		err = errors.Join(err, e)
		return s
	}
	c := summaryCols{
		country: str("country_iso3", col("country_iso3")), a1p: str("admin1_pcode", col("admin1_pcode")),
		a1n: str("admin1_name", col("admin1_name")), a2p: str("admin2_pcode", col("admin2_pcode")),
		a2n: str("admin2_name", col("admin2_name")), a3p: str("admin3_pcode", col("admin3_pcode")),
		a3n: str("admin3_name", col("admin3_name")), o1p: str("origin_admin1_pcode", col("origin_admin1_pcode")),
		o1n: str("origin_admin1_name", col("origin_admin1_name")), siteType: str("site_type", col("site_type")),
		round: num("round", col("round")), hh: num("idp_households", col("idp_households")),
		ind: num("idp_individuals", col("idp_individuals")),
	}
	if a := col("displacement_reasons"); a != nil {
		l, ok := a.(*array.List)
		if !ok {
			return fmt.Errorf("displacement_reasons is %s, not a list of strings", a.DataType())
		}
		c.reasons = l
		c.reasonVals = str("displacement_reasons", l.ListValues())
	}
	if a := col("sadd"); a != nil {
		l, ok := a.(*array.List)
		var st *array.Struct
		if ok {
			st, ok = l.ListValues().(*array.Struct)
		}
		if !ok {
			return fmt.Errorf("sadd is %s, not a list of SADD cells", a.DataType())
		}
		c.sadd, c.cell = l, st
		field := func(name string) arrow.Array {
			if i, ok := st.DataType().(*arrow.StructType).FieldIdx(name); ok {
				return st.Field(i)
			}
			return nil
		}
		c.cGroup, c.cSex = str("sadd.group", field("group")), str("sadd.sex", field("sex"))
		c.cMin, c.cMax, c.cCount = num("sadd.age_min", field("age_min")), num("sadd.age_max", field("age_max")), num("sadd.count", field("count"))
	}
	if err != nil {
		return err
	}
	b.cols, b.schema = c, rec.Schema()
	return nil
}

// strCol reads a string column (nil: every value NULL).
type strCol interface {
	IsNull(i int) bool
	Value(i int) string
}

// nullStr is a missing string column.
type nullStr struct{}

func (nullStr) IsNull(int) bool  { return true }
func (nullStr) Value(int) string { return "" }

// dictStr is a dictionary-encoded string column. A dictionary of strings
// is read as an array (array.Dictionary.Dictionary, which makes the array
// on its first call) only by the string path and to build a new group's
// key: the index path reads its buffers (dictIndexCol.set). Making the
// arrays in resolve cost 0.12 CPU s of a 10 M-row ingest (main c752f07).
type dictStr struct {
	d    *array.Dictionary
	vals strCol // the dictionary when it is not of strings (nil: read d's)
}

// values is the column's dictionary.
func (d dictStr) values() strCol {
	switch v := d.d.Dictionary().(type) {
	case *array.String:
		return v
	case *array.LargeString:
		return v
	}
	return d.vals
}

func (d dictStr) IsNull(i int) bool  { return d.d.IsNull(i) || d.values().IsNull(d.d.GetValueIndex(i)) }
func (d dictStr) Value(i int) string { return d.values().Value(d.d.GetValueIndex(i)) }

// newStrCol reads a as strings; a nil a reads as NULL.
func newStrCol(name string, a arrow.Array) (strCol, error) {
	switch a := a.(type) {
	case nil:
		return nullStr{}, nil
	case *array.String:
		return a, nil
	case *array.LargeString:
		return a, nil
	case *array.Dictionary:
		if id := a.DataType().(*arrow.DictionaryType).ValueType.ID(); id == arrow.STRING || id == arrow.LARGE_STRING {
			return dictStr{d: a}, nil
		}
		vals, err := newStrCol(name, a.Dictionary())
		if err != nil {
			return nil, err
		}
		return dictStr{d: a, vals: vals}, nil
	}
	return nil, fmt.Errorf("column %s is %s, not a string", name, a.DataType())
}

// intCol reads an integer column.
type intCol interface {
	get(i int) (int64, bool)
}

// nullInt is a missing integer column.
type nullInt struct{}

func (nullInt) get(int) (int64, bool) { return 0, false }

type int64Col struct{ a *array.Int64 }

func (c int64Col) get(i int) (int64, bool) {
	if c.a.IsNull(i) {
		return 0, false
	}
	return c.a.Value(i), true
}

type int32Col struct{ a *array.Int32 }

func (c int32Col) get(i int) (int64, bool) {
	if c.a.IsNull(i) {
		return 0, false
	}
	return int64(c.a.Value(i)), true
}

// newIntCol reads a as integers; a nil a reads as NULL.
func newIntCol(name string, a arrow.Array) (intCol, error) {
	switch a := a.(type) {
	case nil:
		return nullInt{}, nil
	case *array.Int64:
		return int64Col{a}, nil
	case *array.Int32:
		return int32Col{a}, nil
	}
	return nil, fmt.Errorf("column %s is %s, not an integer", name, a.DataType())
}

// summaryKey encodes a group's values one after another: a NULL as the
// byte 0; a string as 1, its length (uvarint) and its bytes; an integer
// as 1 and its 8 bytes (big endian, sign bit flipped, so that the bytes
// sort as the numbers); a list as 1, its length (uvarint) and its
// elements. The encoding is unambiguous, so equal keys are equal groups.

func appendStr(k []byte, c strCol, i int) []byte {
	if c.IsNull(i) {
		return append(k, 0)
	}
	v := c.Value(i)
	k = binary.AppendUvarint(append(k, 1), uint64(len(v)))
	return append(k, v...)
}

func appendInt(k []byte, c intCol, i int) []byte {
	v, ok := c.get(i)
	return appendRound(k, v, ok)
}

// appendRound appends an integer v (NULL unless ok).
func appendRound(k []byte, v int64, ok bool) []byte {
	if !ok {
		return append(k, 0)
	}
	return binary.BigEndian.AppendUint64(append(k, 1), uint64(v)^(1<<63))
}

func appendStrList(k []byte, l *array.List, vals strCol, i int) []byte {
	if l == nil || l.IsNull(i) {
		return append(k, 0)
	}
	start, end := l.ValueOffsets(i)
	k = binary.AppendUvarint(append(k, 1), uint64(end-start))
	for j := int(start); j < int(end); j++ {
		k = appendStr(k, vals, j)
	}
	return k
}
