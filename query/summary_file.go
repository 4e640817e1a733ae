package query

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/sinks"
)

// summarySchema is the Arrow schema of a figure summary file: the columns
// and types of summarySelect as DuckDB writes them (VARCHAR, BIGINT,
// INTEGER, VARCHAR[]), so that summaries written by SummaryWriter and by
// SummaryBuilder read alike.
var summarySchema = arrow.NewSchema([]arrow.Field{
	{Name: "part", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "country_iso3", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "round", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "admin1_pcode", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "admin1_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "admin2_pcode", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "admin2_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "admin3_pcode", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "admin3_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "origin_admin1_pcode", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "origin_admin1_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "site_type", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "displacement_reasons", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
	{Name: "sadd_group", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "sex", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "age_min", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "age_max", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "sites", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "idp_households", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "idp_individuals", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "sadd_count", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
}, nil)

// Indexes of the string group values of a summaryRow (str).
const (
	sCountry = iota
	sA1p
	sA1n
	sA2p
	sA2n
	sA3p
	sA3n
	sO1p
	sO1n
	sSiteType
	sSaddGroup
	sSex
	nStr
)

// optStr and optInt are nullable values (ok false: NULL).
type optStr struct {
	v  string
	ok bool
}

type optInt struct {
	v  int64
	ok bool
}

// summaryRow is one row of a summary: a group's values (decoded from its
// key) and sums.
type summaryRow struct {
	part           byte
	str            [nStr]optStr
	round          optInt
	ageMin, ageMax optInt
	reasons        []optStr
	reasonsOK      bool
	sums           summarySums
}

// keyReader decodes a summaryKey.
type keyReader struct {
	k   string
	err bool
}

func (r *keyReader) present() bool {
	if len(r.k) == 0 {
		r.err = true
		return false
	}
	b := r.k[0]
	r.k = r.k[1:]
	return b == 1
}

func (r *keyReader) length() int {
	n, w := binary.Uvarint([]byte(r.k[:min(len(r.k), binary.MaxVarintLen64)]))
	if w <= 0 || n > uint64(len(r.k)-w) {
		r.err = true
		return 0
	}
	r.k = r.k[w:]
	return int(n)
}

func (r *keyReader) str() optStr {
	if !r.present() {
		return optStr{}
	}
	n := r.length()
	v := r.k[:n]
	r.k = r.k[n:]
	return optStr{v: v, ok: true}
}

func (r *keyReader) int() optInt {
	if !r.present() {
		return optInt{}
	}
	if len(r.k) < 8 {
		r.err = true
		return optInt{}
	}
	v := binary.BigEndian.Uint64([]byte(r.k[:8])) ^ (1 << 63)
	r.k = r.k[8:]
	return optInt{v: int64(v), ok: true}
}

// row decodes group g.
func (b *SummaryBuilder) row(g int) (summaryRow, error) {
	key := b.keys[g]
	row := summaryRow{part: key[0], sums: b.sums[g]}
	r := keyReader{k: key[1:]}
	row.str[sCountry] = r.str()
	row.round = r.int()
	switch row.part {
	case partArea:
		for i := sA1p; i <= sO1n; i++ {
			row.str[i] = r.str()
		}
	case partSiteType:
		row.str[sSiteType] = r.str()
	case partReasons:
		if r.present() {
			row.reasonsOK = true
			n := r.length()
			row.reasons = make([]optStr, 0, min(n, len(r.k)))
			for range n {
				row.reasons = append(row.reasons, r.str())
			}
		}
	case partSADD:
		row.str[sSaddGroup], row.str[sSex] = r.str(), r.str()
		row.ageMin, row.ageMax = r.int(), r.int()
	default:
		r.err = true
	}
	if r.err || r.k != "" {
		return row, fmt.Errorf("figure summary: internal error: bad group key %q", key)
	}
	return row, nil
}

// compareSummaryRows orders rows as SummaryWriter does (ORDER BY part,
// country_iso3, "round", the admin columns, site_type,
// displacement_reasons, sadd_group, sex, age_min, age_max: ascending,
// NULLs last, strings by their bytes, lists element by element, a prefix
// first).
func compareSummaryRows(a, b *summaryRow) int {
	if c := cmp.Compare(partNames[a.part], partNames[b.part]); c != 0 {
		return c
	}
	if c := compareOptStr(a.str[sCountry], b.str[sCountry]); c != 0 {
		return c
	}
	if c := compareOptInt(a.round, b.round); c != 0 {
		return c
	}
	for i := sA1p; i <= sSiteType; i++ {
		if c := compareOptStr(a.str[i], b.str[i]); c != 0 {
			return c
		}
	}
	if c := compareLists(a.reasons, a.reasonsOK, b.reasons, b.reasonsOK); c != 0 {
		return c
	}
	for i := sSaddGroup; i <= sSex; i++ {
		if c := compareOptStr(a.str[i], b.str[i]); c != 0 {
			return c
		}
	}
	if c := compareOptInt(a.ageMin, b.ageMin); c != 0 {
		return c
	}
	return compareOptInt(a.ageMax, b.ageMax)
}

// nullsLast orders a NULL after any value; decided is false when both are
// values.
func nullsLast(aok, bok bool) (c int, decided bool) {
	switch {
	case aok && bok:
		return 0, false
	case aok:
		return -1, true
	case bok:
		return 1, true
	}
	return 0, true
}

func compareOptStr(a, b optStr) int {
	if c, ok := nullsLast(a.ok, b.ok); ok {
		return c
	}
	return cmp.Compare(a.v, b.v)
}

func compareOptInt(a, b optInt) int {
	if c, ok := nullsLast(a.ok, b.ok); ok {
		return c
	}
	return cmp.Compare(a.v, b.v)
}

func compareLists(a []optStr, aok bool, b []optStr, bok bool) int {
	if c, ok := nullsLast(aok, bok); ok {
		return c
	}
	for i := range min(len(a), len(b)) {
		if c := compareOptStr(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// WriteFile writes the summary of the rows added to the new Parquet file
// at path (fsynced), its rows sorted by their group: the rows, columns and
// types that SummaryWriter.Write writes from the same rows (the same rows
// give the same file). It fails when Err is set.
func (b *SummaryBuilder) WriteFile(path string) error {
	if b.err != nil {
		return b.err
	}
	rows := make([]summaryRow, len(b.keys))
	for g := range b.keys {
		r, err := b.row(g)
		if err != nil {
			return err
		}
		rows[g] = r
	}
	slices.SortFunc(rows, func(a, b summaryRow) int { return compareSummaryRows(&a, &b) })
	rec := summaryRecord(rows)
	defer rec.Release()
	pf, err := sinks.CreateParquet(path, summarySchema, nil)
	if err != nil {
		return fmt.Errorf("figure summary: %w", err)
	}
	if err := pf.Write(rec); err != nil {
		pf.Close()
		return fmt.Errorf("figure summary: %w", err)
	}
	if err := pf.Close(); err != nil {
		return fmt.Errorf("figure summary: %w", err)
	}
	return nil
}

// summaryRecord is rows as one record of summarySchema.
func summaryRecord(rows []summaryRow) arrow.RecordBatch {
	rb := array.NewRecordBuilder(memory.DefaultAllocator, summarySchema)
	defer rb.Release()
	rb.Reserve(len(rows))
	str := func(i int, v optStr) {
		b := rb.Field(i).(*array.StringBuilder)
		if v.ok {
			b.Append(v.v)
		} else {
			b.AppendNull()
		}
	}
	i64 := func(i int, v int64, ok bool) {
		b := rb.Field(i).(*array.Int64Builder)
		if ok {
			b.Append(v)
		} else {
			b.AppendNull()
		}
	}
	i32 := func(i int, v optInt) {
		b := rb.Field(i).(*array.Int32Builder)
		if v.ok {
			b.Append(int32(v.v))
		} else {
			b.AppendNull()
		}
	}
	lb := rb.Field(12).(*array.ListBuilder)
	lv := lb.ValueBuilder().(*array.StringBuilder)
	for _, r := range rows {
		str(0, optStr{v: partNames[r.part], ok: true})
		str(1, r.str[sCountry])
		i64(2, r.round.v, r.round.ok)
		for i := sA1p; i <= sSiteType; i++ {
			str(3+i-sA1p, r.str[i])
		}
		if r.reasonsOK {
			lb.Append(true)
			for _, v := range r.reasons {
				if v.ok {
					lv.Append(v.v)
				} else {
					lv.AppendNull()
				}
			}
		} else {
			lb.AppendNull()
		}
		str(13, r.str[sSaddGroup])
		str(14, r.str[sSex])
		i32(15, r.ageMin)
		i32(16, r.ageMax)
		i64(17, r.sums.sites, true)
		if r.part == partSADD { // the cells' counts are summed in hh
			i64(18, 0, false)
			i64(19, 0, false)
			i64(20, r.sums.hh, r.sums.hhOK)
		} else {
			i64(18, r.sums.hh, r.sums.hhOK)
			i64(19, r.sums.ind, r.sums.indOK)
			i64(20, 0, false)
		}
	}
	return rb.NewRecordBatch()
}
