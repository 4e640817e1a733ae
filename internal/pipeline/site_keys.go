package pipeline

import (
	"bytes"
	"hash/maphash"
	"math"
	"sort"
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

// maxSiteKeys bounds the site-rounds remembered per input (about 50 bytes
// each, so 10 MB); an input with more is compared on its first maxSiteKeys
// only, and its result says so in a note. The largest published DTM site
// and village lists hold tens of thousands of site-rounds. The bound is
// measured: at 500 k the keys held under the soft memory limit made the
// garbage collector double a 1 M-row ingest's CPU (15 s -> 29 s wall);
// at 200 k the ingest costs what it did without the check (13.9 s).
const maxSiteKeys = 200_000

// siteKeys remembers the site-rounds of one input, each with the first
// source row (and sheet) holding it. Safe for concurrent use.
//
// The keys are kept with few pointers for the garbage collector to scan
// and in about 50 bytes each: the keys' bytes one after another in blocks
// of siteKeyBlock bytes (a key longer than that gets a block of its own),
// an entry per key (its offset in the concatenated blocks, its first row,
// its sheet by number: 16 bytes) in blocks of siteEntryBlock entries, and
// an open-addressing table of entry numbers indexed by the key's 64-bit
// hash (hash/maphash: 8 bytes at a time; FNV-1a, a byte at a time, cost
// twice as much at each insert and again at each doubling; 4 bytes a
// slot, at most half full). Equal hashes are told
// apart by comparing the key bytes. (A Go map from hash to entry cost
// 15 MB at 200 k keys, in a 131 MB live heap; this layout ~10 MB. The keys
// and entries in two slices grown by doubling allocated 42 MB to hold
// 10 MB at 200 k keys, each doubling a copy: blocks are never copied.)
type siteKeys struct {
	mu    sync.Mutex
	seed  maphash.Seed // of the hashes (made with the table)
	slots []int32      // entry number + 1 by hash (linear probing); 0: empty
	n     int          // entries
	// entries[i/siteEntryBlock][i%siteEntryBlock] is entry i.
	entries [][]siteEntry
	// blocks hold the keys; starts[b] is the offset of blocks[b]'s first
	// byte in their concatenation, end the offset past the last key.
	blocks    [][]byte
	starts    []uint32
	end       uint32
	sheets    []string
	truncated bool
}

// Block sizes of siteKeys: 64 KiB of keys (~1,500 keys), 4,096 entries
// (64 KiB).
const (
	siteKeyBlock   = 64 << 10
	siteEntryBlock = 4096
)

// siteEntry is one remembered site-round: where its key starts in the
// concatenated blocks (it ends where the next entry's starts), its first
// row and its sheet (index in sheets).
type siteEntry struct {
	off   uint32
	sheet int32
	row   int64
}

// siteRow locates a row of an input.
type siteRow struct {
	sheet string
	row   int64
}

// size is the number of site-rounds remembered.
func (k *siteKeys) size() int { return k.n }

// entry is entry i.
func (k *siteKeys) entry(i int) *siteEntry {
	return &k.entries[i/siteEntryBlock][i%siteEntryBlock]
}

// hash is the hash of a key (the seed is made with the table: grow).
func (k *siteKeys) hash(key []byte) uint64 { return maphash.Bytes(k.seed, key) }

// key is the key of entry i.
func (k *siteKeys) key(i int) []byte {
	off, end := k.entry(i).off, k.end
	if i+1 < k.n {
		end = k.entry(i + 1).off
	}
	b := len(k.starts) - 1 // most keys are in the last block
	if off < k.starts[b] {
		b = sort.Search(len(k.starts), func(j int) bool { return k.starts[j] > off }) - 1
	}
	return k.blocks[b][off-k.starts[b] : end-k.starts[b]]
}

// find returns the slot holding key (hash h) and whether it is there; when
// not, the slot is the empty one where it goes. The table must have room.
func (k *siteKeys) find(key []byte, h uint64) (int, bool) {
	mask := uint64(len(k.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := k.slots[i]
		if e == 0 {
			return int(i), false
		}
		if bytes.Equal(k.key(int(e-1)), key) {
			return int(i), true
		}
	}
}

// lookup returns the first row of a site-round key.
func (k *siteKeys) lookup(key string) (siteRow, bool) {
	if len(k.slots) == 0 {
		return siteRow{}, false
	}
	slot, ok := k.find([]byte(key), maphash.String(k.seed, key))
	if !ok {
		return siteRow{}, false
	}
	e := k.entry(int(k.slots[slot] - 1))
	return siteRow{sheet: k.sheets[e.sheet], row: e.row}, true
}

// each calls f for every remembered site-round, in the order first seen.
func (k *siteKeys) each(f func(key string, r siteRow)) {
	for i := range k.n {
		e := k.entry(i)
		f(string(k.key(i)), siteRow{sheet: k.sheets[e.sheet], row: e.row})
	}
}

// insert remembers key at sheet/row unless it is known; false when the
// bound is reached (or the arena would pass 4 GiB). key is copied.
func (k *siteKeys) insert(key []byte, sheet string, row int64) bool {
	if 2*(k.n+1) > len(k.slots) {
		k.grow()
	}
	h := k.hash(key)
	slot, ok := k.find(key, h)
	if ok {
		return true
	}
	if k.n >= maxSiteKeys || int64(k.end)+int64(len(key)) > math.MaxUint32 {
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
	if k.n%siteEntryBlock == 0 {
		k.entries = append(k.entries, make([]siteEntry, siteEntryBlock))
	}
	*k.entry(k.n) = siteEntry{off: k.end, sheet: si, row: row}
	k.n++
	last := len(k.blocks) - 1
	if last < 0 || len(k.blocks[last])+len(key) > cap(k.blocks[last]) {
		k.blocks = append(k.blocks, make([]byte, 0, max(siteKeyBlock, len(key))))
		k.starts = append(k.starts, k.end)
		last++
	}
	k.blocks[last] = append(k.blocks[last], key...)
	k.end += uint32(len(key))
	k.slots[slot] = int32(k.n)
	return true
}

// grow doubles the table (at least 1 Ki slots) and re-places every entry.
func (k *siteKeys) grow() {
	if len(k.slots) == 0 {
		k.seed = maphash.MakeSeed()
	}
	k.slots = make([]int32, max(1024, 2*len(k.slots)))
	mask := uint64(len(k.slots) - 1)
	for i := range k.n {
		j := k.hash(k.key(i)) & mask
		for k.slots[j] != 0 {
			j = (j + 1) & mask
		}
		k.slots[j] = int32(i + 1)
	}
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
		// The p-codes and name are read only for a row without a site id
		// (AppendSiteRoundKey ignores them otherwise).
		var pcodes [4]string
		var siteName string
		siteID := str(id, i)
		if siteID == "" {
			pcodes, siteName = [4]string{str(a1, i), str(a2, i), str(a3, i), str(a4, i)}, str(name, i)
		}
		key = query.AppendSiteRoundKey(key[:0], str(country, i), str(atype, i), round.Value(i), siteID, pcodes, siteName)
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
