package pipeline

import (
	"bytes"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// CodeCrossSourceDuplicate is the warning code of a site-round (country,
// site, round, assessment type) that two different inputs both hold.
const CodeCrossSourceDuplicate = "cross-source-duplicate"

// siteRoundDataset is the dataset whose rows have a site-round identity.
const siteRoundDataset = "site_assessment"

// maxSiteKeys bounds the site-rounds remembered per input (about 70 bytes
// each, so 14 MB); an input with more is compared on its first maxSiteKeys
// only, and its result says so in a note. The largest published DTM site
// and village lists hold tens of thousands of site-rounds. The bound is
// measured: at 500 k the keys held under the soft memory limit made the
// garbage collector double a 1 M-row ingest's CPU (15 s -> 29 s wall);
// at 200 k the ingest costs what it did without the check (13.9 s).
const maxSiteKeys = 200_000

// siteKeys remembers the site-rounds of one input, each with the first
// source row (and sheet) holding it. Safe for concurrent use.
//
// The keys are kept without pointers for the garbage collector to scan: an
// index from the key's 64-bit FNV-1a hash to an entry, the key's bytes in
// one arena, sheets by number. An input of 500 k site-rounds costs about
// 30 MB and no GC work (a map of strings cost twice the ingest's CPU at
// 1 M rows under the soft memory limit). Hash collisions are resolved by
// comparing the key bytes (entries of one hash are chained).
type siteKeys struct {
	mu        sync.Mutex
	index     map[uint64]int32 // hash -> first entry with that hash
	entries   []siteEntry
	arena     []byte
	sheets    []string
	truncated bool
}

// siteEntry is one remembered site-round: its key in the arena, its first
// row, its sheet (index in sheets) and the next entry of the same hash.
type siteEntry struct {
	off      uint32
	n        uint32
	row      int64
	sheet    int32
	nextSame int32 // -1: none
}

// siteRow locates a row of an input.
type siteRow struct {
	sheet string
	row   int64
}

// size is the number of site-rounds remembered.
func (k *siteKeys) size() int { return len(k.entries) }

func siteKeyHash[T string | []byte](key T) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= 1099511628211
	}
	return h
}

// lookup returns the first row of a site-round key.
func (k *siteKeys) lookup(key string) (siteRow, bool) {
	if k.index == nil {
		return siteRow{}, false
	}
	i, ok := k.index[siteKeyHash(key)]
	for ok && i >= 0 {
		e := &k.entries[i]
		if string(k.arena[e.off:e.off+e.n]) == key {
			return siteRow{sheet: k.sheets[e.sheet], row: e.row}, true
		}
		i = e.nextSame
	}
	return siteRow{}, false
}

// each calls f for every remembered site-round, in the order first seen.
func (k *siteKeys) each(f func(key string, r siteRow)) {
	for _, e := range k.entries {
		f(string(k.arena[e.off:e.off+e.n]), siteRow{sheet: k.sheets[e.sheet], row: e.row})
	}
}

// insert remembers key at sheet/row unless it is known; false when the
// bound is reached. key is copied.
func (k *siteKeys) insert(key []byte, sheet string, row int64) bool {
	if k.index == nil {
		k.index = map[uint64]int32{}
	}
	h := siteKeyHash(key)
	head, ok := k.index[h]
	for i := head; ok && i >= 0; i = k.entries[i].nextSame {
		e := &k.entries[i]
		if bytes.Equal(k.arena[e.off:e.off+e.n], key) {
			return true
		}
	}
	if len(k.entries) >= maxSiteKeys {
		return false
	}
	si := int32(-1)
	for j, s := range k.sheets {
		if s == sheet {
			si = int32(j)
			break
		}
	}
	if si < 0 {
		k.sheets = append(k.sheets, strings.Clone(sheet))
		si = int32(len(k.sheets) - 1)
	}
	next := int32(-1)
	if ok {
		next = head
	}
	k.entries = append(k.entries, siteEntry{off: uint32(len(k.arena)), n: uint32(len(key)), row: row, sheet: si, nextSame: next})
	k.arena = append(k.arena, key...)
	k.index[h] = int32(len(k.entries) - 1)
	return true
}

// add records the site-rounds of a converted record (of siteRoundDataset);
// rows without a round, or without a site id and a site name, have none.
func (k *siteKeys) add(rec arrow.RecordBatch) {
	sc := rec.Schema()
	col := func(name string) arrow.Array {
		if idx := sc.FieldIndices(name); len(idx) > 0 {
			return rec.Column(idx[0])
		}
		return nil
	}
	country, atype, id, name := col("country_iso3"), col("assessment_type"), col("site_id"), col("site_name")
	a1, a2, a3, a4 := col("admin1_pcode"), col("admin2_pcode"), col("admin3_pcode"), col("admin4_pcode")
	sheet, row := col(schemas.ColSourceSheet), col(schemas.ColSourceRow)
	round, _ := col("round").(*array.Int64)
	if round == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	var key []byte
	for i := 0; i < int(rec.NumRows()); i++ {
		if round.IsNull(i) {
			continue
		}
		key = query.AppendSiteRoundKey(key[:0], str(country, i), str(atype, i), round.Value(i), str(id, i),
			[4]string{str(a1, i), str(a2, i), str(a3, i), str(a4, i)}, str(name, i))
		if len(key) == 0 {
			continue
		}
		var r int64
		if rr, ok := row.(*array.Int64); ok && !rr.IsNull(i) {
			r = rr.Value(i)
		}
		if !k.insert(key, str(sheet, i), r) {
			k.truncated = true
			return
		}
	}
}

// str is the string at row i of a string column ("" when null or absent).
func str(a arrow.Array, i int) string {
	switch c := a.(type) {
	case *array.String:
		if !c.IsNull(i) {
			return c.Value(i)
		}
	case *array.LargeString:
		if !c.IsNull(i) {
			return c.Value(i)
		}
	case *array.Dictionary:
		if !c.IsNull(i) {
			return str(c.Dictionary(), c.GetValueIndex(i))
		}
	}
	return ""
}

// describeSiteRound renders a site-round key for people: "SSD, site
// SS-0001, round 38, SA" (or "site "Bentiu POC" in SS0101").
func describeSiteRound(key string) string {
	parts := strings.SplitN(key, "|", 4)
	if len(parts) < 4 {
		return key
	}
	site := parts[3]
	switch {
	case strings.HasPrefix(site, "id:"):
		site = "site " + strings.TrimPrefix(site, "id:")
	case strings.HasPrefix(site, "name:"):
		p := strings.Split(strings.TrimPrefix(site, "name:"), "/")
		name, codes := p[len(p)-1], ""
		for _, c := range p[:len(p)-1] {
			if c != "" {
				codes = c
			}
		}
		site = strconv.Quote(name)
		if codes != "" {
			site = "site " + site + " in " + codes
		} else {
			site = "site " + site
		}
	}
	out := parts[0] + ", " + site + ", round " + parts[2]
	if parts[1] != "" {
		out += ", " + parts[1]
	}
	return out
}
