package transform

import (
	"cmp"
	"encoding/binary"
	"math"
	"math/bits"
	"unsafe"
)

// The p-code checks of a row whose p-code cells are those of an earlier
// row. DTM files repeat a place on many rows (sorted by place, one after
// another; or, as exports of a whole country, a few thousand places in
// any order), and what checkPcodes finds of a row depends only on its
// country and its codes and names: a row with no flag, no warning and no
// code out of nesting (a clean row) only counts, per level, a row whose
// code nests under its parent's and a row naming the code (its count and
// row number, pcodeFileChecks). A pcodeRow remembers those effects of a
// clean row; a later row with the same cells replays them (replayRow)
// instead of three memo lookups, three name comparisons and three entry
// lookups. Rows that are not clean always take the full checks.

// pcodeRowLevels is the number of levels a pcodeRow holds (checkPcodes
// checks admin 1 to 4); a kind checking more levels takes the full checks.
const pcodeRowLevels = 4

// pcodeRow is the p-code cells of a clean row and their effects, laid
// out for find and replayRow: what they read of a row with up to
// pcodeRowHot levels (the cells' words, the flags, the names' counts of
// the chunk) is in the row's first two cache lines, the rest after.
type pcodeRow struct {
	// words are the cells' pcodeWords, per level: code and name (past
	// pcodeRowHot levels: moreWords). A cell whose word equals the row's
	// (not 0) is the same string.
	words [pcodeRowHot][2]uint64
	// isoWord is the country's bytes when it has at most 8 (pcodeIsoWord):
	// a country is compared by it and its length, not by reading the copy.
	isoWord uint64
	isoLen  uint32
	n       uint8 // levels
	// has tells which cells were set: bit 2l the code of level l, bit
	// 2l+1 its name.
	has uint8
	// nest tells the levels where the row counted a code nesting under its
	// parent's (pcodeFileChecks.nested): bit l for level l.
	nest uint8
	// full tells that the row's names list no more rows (listed): a
	// repeat only counts, at slots, from chunk to chunk.
	full bool
	gen  uint64
	// Once replayed in a chunk with every entry joined, the row's names
	// are at nrow while the checks' chunk and epoch are chunk-1 and epoch
	// (chunk 0: not yet): a repeat in the chunk only adds its row there.
	chunk, epoch uint64
	nrow         [pcodeRowLevels]*pcodeNameRows
	// slots are the row's names' pcodeNameRows.slot, when full (0: none).
	slots [pcodeRowLevels]uint16
	// The second half.
	h         uint64 // pcodeRows.hash of the cells
	moreWords [pcodeRowLevels - pcodeRowHot][2]uint64
	// ent and idx are the entry and name the row counted, per level (ent
	// nil: no name noted), in the pcodeFileChecks of generation gen.
	ent [pcodeRowLevels]*pcodeNames
	idx [pcodeRowLevels]int
	// iso is the country; cells are the row's code and name per level: a
	// dictionary column's interned string (immutable, and the very string
	// later rows with the cell carry: their words are equal) or a copy in
	// pcodeRows' arena (pcodeRows.keep).
	iso   string
	cells [pcodeRowLevels]struct{ code, name string }
	_     [24]byte // to 384 bytes: a slab's rows start on a cache line
}

// A slab's rows start on a cache line: this does not compile unless a
// row is 384 bytes.
var _ = [unsafe.Sizeof(pcodeRow{}) - 384]struct{}{}
var _ = [384 - unsafe.Sizeof(pcodeRow{})]struct{}{}

const (
	// pcodeRowHot is the levels whose words are in a row's first cache
	// line (DTM files have 3 levels of p-codes, at most 4).
	pcodeRowHot = 3
	// pcodeRowCode and pcodeRowName are the bits of level 0 in
	// pcodeRow.has (level l: shifted by 2l).
	pcodeRowCode uint8 = 1
	pcodeRowName uint8 = 2
)

// pcodeRowsMax bounds the rows a converter remembers.
const pcodeRowsMax = 1 << 13

// pcodeRows finds the pcodeRow of a row: the previous row's, else the
// row last seen with its deepest code (bySid, by the code's intern
// number), else by a hash of all of its cells (hash: an interned cell is hashed by its
// number, without reading its bytes) in an open-addressing table probed
// linearly, at most half full, whose slot holds the row's number and bits
// of its hash; the rows are kept in slabs of pcodeRowSlab, in the order
// remembered. So finding a row reads a slot of a small table (16 KB for
// a few thousand rows) and the first two cache lines of the row, which
// replayRow reads next; an interned cell is compared by its address
// (pcodeWord), without reading it. A Go map keyed by the deepest code
// hashed the code's bytes (an interned copy no one had read: a cache
// miss) and compared the remembered copy's, then read the row and its
// cells, on a file of a few thousand places in any order; a table of row
// pointers by a hash of the code's bytes, tried and reverted, had the
// same misses but one. A row is found only by comparing all of its cells
// (matches): hashes that collide cost probes, never a wrong row. Bounded
// by pcodeRowsMax rows (the table starts again when full: about 3 MB with
// their cells).
type pcodeRows struct {
	tab   []uint32     // slots: hash bits | number + 1 (0: empty); nil until the first add
	slabs [][]pcodeRow // the rows, by number
	held  int          // rows in tab
	// arena is the slab the cells that are not interned are copied to
	// (keep); a full slab is left to the strings cut from it.
	arena []byte
	last  *pcodeRow
	// bySid finds a row by its deepest code (pcodeRows.key): per level,
	// by the code's intern number, the number + 1 of the row last
	// remembered or found with that code there (0: none); cleared with tab.
	bySid [pcodeRowLevels][]uint32
	// spare is the record of the last row that was not clean, reused.
	spare *pcodeRow
	// hot holds the full rows found, by their deepest code
	// (pcode_row_hot.go); emptied when a row changes.
	hot pcodeHotRows
	// off makes every row take the full checks (the tests' reference).
	off bool
	// max, when set (tests), replaces pcodeRowsMax (not more); collide
	// (tests) keeps two bits of each hash, so that rows share slots and
	// probe sequences.
	max     int
	collide bool
	// found counts the rows find found (tests).
	found int
}

const (
	// pcodeRowNumBits is the bits of a slot of pcodeRows' table holding
	// the row's number + 1 (up to pcodeRowsMax); the others hold the top
	// bits of the row's hash (pcodeRowTag).
	pcodeRowNumBits = 14
	pcodeRowNumMask = 1<<pcodeRowNumBits - 1
	// pcodeRowSlab is the rows of a slab.
	pcodeRowSlab = 32
	// pcodeArenaSlab is the size of a slab of pcodeRows' arena.
	pcodeArenaSlab = 8 << 10
)

// A slot holds a number up to pcodeRowsMax: this does not compile unless.
var _ = [pcodeRowNumMask - pcodeRowsMax]struct{}{}

// find returns the remembered row whose cells equal the row's (c's
// values at the slots of pls, country iso), nil if none.
func (rs *pcodeRows) find(c *Converter, iso string, pls []pcodeLevel) *pcodeRow {
	k := pcodeCountryOf(iso)
	if pr := rs.last; pr != nil && pr.matches(c, &k, pls, true) {
		rs.found++
		return pr // the previous row's cells (interned), without reading them
	}
	if rs.tab == nil {
		return nil
	}
	l, sid := rs.key(c, pls)
	if sid > 0 && int(sid) < len(rs.bySid[l]) {
		if n := rs.bySid[l][sid]; n > 0 {
			if pr := rs.row(n); pr.matches(c, &k, pls, false) {
				rs.found++
				rs.last = pr
				return pr
			}
		}
	}
	h := rs.hash(c, &k, pls)
	tag := pcodeRowTag(h)
	mask := len(rs.tab) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := rs.tab[i]
		if s == 0 {
			return nil
		}
		if s&^pcodeRowNumMask == tag {
			if pr := rs.row(s); pr.matches(c, &k, pls, false) {
				rs.found++
				rs.last = pr
				if sid > 0 && int(sid) < len(rs.bySid[l]) {
					rs.bySid[l][sid] = s & pcodeRowNumMask // the latest row of the code
				}
				return pr
			}
		}
	}
}

// pcodeRowSidMax bounds the intern numbers pcodeRows.bySid holds a row
// for (a row whose deepest code has a larger one is found by its hash).
const pcodeRowSidMax = 1 << 16

// key returns the level of a row's deepest code (c's values at the slots
// of pls) and its intern number (0: none, or not interned). Most rows
// differ from the other rows remembered by their deepest code: its number
// finds the row in bySid, a small array (4 bytes a code) read without a
// cache miss, where the hash of all the cells (pcodeRows.hash, 0.40 s of
// 54.3 CPU s of a 10 M-row ingest) and the probe of the table (0.28 s,
// mostly a miss) found it. A row of another place with the same deepest
// code (another name, parent or country) is told apart by matches, and
// then found by its hash.
func (rs *pcodeRows) key(c *Converter, pls []pcodeLevel) (level int, sid int32) {
	for l := len(pls) - 1; l >= 0; l-- {
		if v := c.slotValue(pls[l].slot); v != nil && v.set {
			return l, v.sid
		}
	}
	return 0, 0
}

// pcodeRowTag is the bits of the hash h a slot holds.
func pcodeRowTag(h uint64) uint32 {
	return uint32(h>>(64-(32-pcodeRowNumBits))) << pcodeRowNumBits
}

// row returns the row of the slot s.
func (rs *pcodeRows) row(s uint32) *pcodeRow {
	i := int(s&pcodeRowNumMask) - 1
	return &rs.slabs[i/pcodeRowSlab][i%pcodeRowSlab]
}

// pcodeCountry is a row's country, its pcodeIsoWord and its hash.
type pcodeCountry struct {
	iso     string
	word, h uint64
}

func pcodeCountryOf(iso string) pcodeCountry {
	_, _, h := strWords(iso)
	return pcodeCountry{iso: iso, word: pcodeIsoWord(iso), h: h}
}

// pcodeIsoWord is the bytes of s, when it has at most 8, in a word (with
// the length, all of s); 0 for a longer s.
func pcodeIsoWord(s string) uint64 {
	if len(s) > 8 {
		return 0
	}
	var b [8]byte
	copy(b[:], s)
	return binary.LittleEndian.Uint64(b[:])
}

// hash returns the hash of a row's cells (c's values at the slots of pls,
// country k) that pcodeRows' table is probed by: a cell with an intern
// number is hashed by that number, read in the value (its bytes are an
// interned copy that the row has not read: a cache miss), the others by
// their bytes. Equal cells may hash apart (one interned, one not): the
// row is then not found and remembered again, which only costs the full
// checks once.
func (rs *pcodeRows) hash(c *Converter, k *pcodeCountry, pls []pcodeLevel) uint64 {
	h := k.h ^ uint64(len(pls))
	for _, pl := range pls {
		h = pcodeRowMix(h, pcodeHashWord(c.slotValue(pl.slot)))
		h = pcodeRowMix(h, pcodeHashWord(c.slotValue(pl.nameSlot)))
	}
	if rs.collide {
		h &= 3
	}
	return h
}

// pcodeHashWord is the word of a cell that pcodeRows.hash mixes: 0 for a
// cell not set, its intern number and length when it has one, else a
// hash of its bytes.
func pcodeHashWord(v *value) uint64 {
	switch {
	case v == nil || !v.set:
		return 0
	case v.sid > 0:
		return uint64(v.sid)<<32 | uint64(uint32(len(v.s)))
	}
	_, _, h := strWords(v.s)
	return h
}

// pcodeRowMix mixes the word w into the hash h.
func pcodeRowMix(h, w uint64) uint64 {
	hi, lo := bits.Mul64(h^w, 0x9E3779B97F4A7C15)
	return hi ^ lo
}

// pcodeWord is the address and length of s in one word, or 0 when they
// do not fit (an address past 2⁴⁷, a length past 2¹⁵) or s has no bytes.
// Two strings with the same word, not 0, are the same bytes: equal, as
// long as the bytes do not change (a remembered row's cells are copies or
// interned strings, which never do).
func pcodeWord(s string) uint64 {
	p := uint64(uintptr(unsafe.Pointer(unsafe.StringData(s))))
	if p == 0 || p >= 1<<47 || len(s) >= 1<<15 {
		return 0
	}
	return p | uint64(len(s))<<48
}

// wordsOf returns the words of level l's cells.
func (pr *pcodeRow) wordsOf(l int) *[2]uint64 {
	if l < pcodeRowHot {
		return &pr.words[l]
	}
	return &pr.moreWords[l-pcodeRowHot]
}

// start returns the record of a row's cells (c's values at the slots of
// pls, at most pcodeRowLevels of them), its strings still the row's;
// checkPcodes fills in the effects as it checks the row, and add keeps it
// if the row was clean.
func (rs *pcodeRows) start(c *Converter, iso string, pls []pcodeLevel) *pcodeRow {
	pr := rs.spare
	if pr == nil {
		pr = new(pcodeRow)
	}
	*pr = pcodeRow{iso: iso, n: uint8(len(pls)), gen: c.pcodeFile.gen}
	rs.spare = pr // until add takes it
	for l, pl := range pls {
		if v := c.slotValue(pl.slot); v != nil && v.set {
			pr.has |= pcodeRowCode << (2 * l)
			pr.cells[l].code = v.s
		}
		if v := c.slotValue(pl.nameSlot); v != nil && v.set {
			pr.has |= pcodeRowName << (2 * l)
			pr.cells[l].name = v.s
		}
	}
	return pr
}

// add remembers a copy of rec, made by start for the row whose values c
// still holds at the slots of pls: its interned cells as they are, the
// others copied into the arena (they may point into a reader's buffer). A
// remembered row with the same cells (of an older generation of the
// checks) is replaced.
func (rs *pcodeRows) add(c *Converter, rec *pcodeRow, pls []pcodeLevel) {
	if rs.spare == rec {
		rs.spare = nil
	}
	pr := *rec
	pr.iso = rs.keep(pr.iso)
	k := pcodeCountryOf(pr.iso)
	pr.isoWord, pr.isoLen = k.word, uint32(min(len(pr.iso), math.MaxUint32))
	for l, pl := range pls[:pr.n] {
		cell := &pr.cells[l]
		cell.code = rs.own(c, pl.slot, cell.code)
		cell.name = rs.own(c, pl.nameSlot, cell.name)
		*pr.wordsOf(l) = [2]uint64{pcodeWord(cell.code), pcodeWord(cell.name)}
	}
	pr.h = rs.hash(c, &k, pls)
	if rs.tab == nil || rs.held >= min(cmp.Or(rs.max, pcodeRowsMax), pcodeRowsMax) {
		rs.tab, rs.slabs, rs.held = make([]uint32, 64), nil, 0
		rs.hot.empty()
		for l := range rs.bySid {
			clear(rs.bySid[l])
		}
	}
	tag := pcodeRowTag(pr.h)
	mask := len(rs.tab) - 1
	i := int(pr.h) & mask
	for ; rs.tab[i] != 0; i = (i + 1) & mask {
		if q := rs.row(rs.tab[i]); rs.tab[i]&^pcodeRowNumMask == tag && q.sameCells(&pr) {
			*q = pr
			rs.hot.empty() // it may hold q's cells' words
			rs.last = q
			rs.index(c, pls, rs.tab[i]&pcodeRowNumMask)
			return
		}
	}
	if rs.held%pcodeRowSlab == 0 {
		rs.slabs = append(rs.slabs, make([]pcodeRow, pcodeRowSlab))
	}
	q := &rs.slabs[rs.held/pcodeRowSlab][rs.held%pcodeRowSlab]
	*q = pr
	rs.held++
	rs.tab[i] = tag | uint32(rs.held)
	if 2*rs.held > len(rs.tab) {
		rs.grow()
	}
	rs.last = q
	rs.index(c, pls, uint32(rs.held))
}

// index makes bySid find the row numbered n - 1 (its cells c's values at
// the slots of pls) by its deepest code, in place of any other row.
func (rs *pcodeRows) index(c *Converter, pls []pcodeLevel, n uint32) {
	l, sid := rs.key(c, pls)
	if sid <= 0 || sid >= pcodeRowSidMax {
		return
	}
	if int(sid) >= len(rs.bySid[l]) {
		rs.bySid[l] = append(rs.bySid[l], make([]uint32, min(max(int(sid)+1, 2*len(rs.bySid[l])), pcodeRowSidMax)-len(rs.bySid[l]))...)
	}
	rs.bySid[l][sid] = n
}

// grow doubles pcodeRows' table.
func (rs *pcodeRows) grow() {
	rs.tab = make([]uint32, 2*len(rs.tab))
	mask := len(rs.tab) - 1
	for n := 1; n <= rs.held; n++ {
		h := rs.row(uint32(n)).h
		i := int(h) & mask
		for rs.tab[i] != 0 {
			i = (i + 1) & mask
		}
		rs.tab[i] = pcodeRowTag(h) | uint32(n)
	}
}

// own returns the cell s of the value in slot to remember: s itself when
// it is the interned copy of a dictionary column's string (immutable),
// else a copy (keep).
func (rs *pcodeRows) own(c *Converter, slot int, s string) string {
	if s == "" {
		return ""
	}
	if v := c.slotValue(slot); v != nil && v.sid > 0 && slot < len(c.parts.interns) {
		if t := c.parts.interns[slot]; t != nil && int(v.sid) < len(t.strs) && sameString(t.strs[v.sid], s) {
			return s
		}
	}
	return rs.keep(s)
}

// keep returns a copy of s in pcodeRows' arena.
func (rs *pcodeRows) keep(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > cap(rs.arena)-len(rs.arena) {
		rs.arena = make([]byte, 0, max(pcodeArenaSlab, len(s)))
	}
	at := len(rs.arena)
	rs.arena = append(rs.arena, s...)
	return unsafe.String(&rs.arena[at], len(s))
}

// matches reports whether the row's p-code cells (c's values at the slots
// of pls, country k) are pr's. With wordsOnly, a cell is compared by its
// word alone (no bytes are read): a row reported equal is, one reported
// different may not be (a cell that is not interned).
func (pr *pcodeRow) matches(c *Converter, k *pcodeCountry, pls []pcodeLevel, wordsOnly bool) bool {
	if int(pr.n) != len(pls) || pr.isoWord != k.word || int(pr.isoLen) != len(k.iso) ||
		len(k.iso) > 8 && pr.iso != k.iso {
		return false
	}
	var has uint8
	for l, pl := range pls {
		if v := c.slotValue(pl.slot); v != nil && v.set {
			if x := pcodeWord(v.s); (x == 0 || x != pr.wordsOf(l)[0]) && (wordsOnly || v.s != pr.cells[l].code) {
				return false
			}
			has |= pcodeRowCode << (2 * l)
		}
		if v := c.slotValue(pl.nameSlot); v != nil && v.set {
			if x := pcodeWord(v.s); (x == 0 || x != pr.wordsOf(l)[1]) && (wordsOnly || v.s != pr.cells[l].name) {
				return false
			}
			has |= pcodeRowName << (2 * l)
		}
	}
	return has == pr.has
}

// sameCells reports whether q's cells are pr's.
func (pr *pcodeRow) sameCells(q *pcodeRow) bool {
	return pr.n == q.n && pr.iso == q.iso && pr.has == q.has && pr.cells == q.cells
}

// replayRow does what checkPcodes did for the clean row pr on a row
// numbered line with the same cells: count the nesting codes and the names.
func (p *pcodeFileChecks) replayRow(pr *pcodeRow, line int) {
	if pr.full {
		// Its names list no more rows: count them in the chunk's dense
		// counts (flushSlots), not in names far apart in memory (a cache
		// miss each for a file's thousand admin 3 names), whatever the
		// chunk. The chunk order of the names does not matter: the
		// table has them (listed).
		for l := range pr.n {
			if pr.nest&(1<<l) != 0 {
				p.nested[l+1]++
			}
			if s := pr.slots[l]; s > 0 {
				p.slotRows[s]++
			}
		}
		return
	}
	if pr.chunk == p.chunk+1 && pr.epoch == p.epoch {
		// Every entry joined this chunk and counts a row of the name
		// already (count would only add the row).
		for l := range pr.n {
			if pr.nest&(1<<l) != 0 {
				p.nested[l+1]++
			}
			if n := pr.nrow[l]; n != nil {
				n.addIn(&p.lines, line)
			}
		}
		return
	}
	joined := true
	for l := range pr.n {
		pr.nrow[l] = nil
		if pr.nest&(1<<l) != 0 {
			p.nested[l+1]++
		}
		if e := pr.ent[l]; e != nil {
			if e.chunk != p.chunk && !p.join(e) {
				joined = false
				continue
			}
			e.count(pr.idx[l], &p.lines, pr.cells[l].name, line)
			pr.nrow[l] = &e.names[pr.idx[l]]
		}
	}
	if joined {
		pr.chunk, pr.epoch = p.chunk+1, p.epoch
		p.makeFull(pr)
	} else {
		pr.chunk = 0
	}
}

// makeFull makes pr full when every name it counts lists no more rows
// (pcodeNameRows.listed) and has a slot, or can have one.
func (p *pcodeFileChecks) makeFull(pr *pcodeRow) {
	for l := range pr.n {
		if n := pr.nrow[l]; n != nil && (n.listed+n.lines.n < pcodeFileMaxLines ||
			n.slot == 0 && len(p.slotNames) >= pcodeSlotsMax) {
			return
		}
	}
	for l := range pr.n {
		pr.slots[l] = 0
		if n := pr.nrow[l]; n != nil {
			if n.slot == 0 {
				if len(p.slotNames) == 0 { // slot 0: none
					p.slotNames, p.slotRows = append(p.slotNames, pcodeSlot{}), append(p.slotRows, 0)
				}
				n.slot = uint16(len(p.slotNames))
				p.slotNames, p.slotRows = append(p.slotNames, pcodeSlot{pr.ent[l], pr.idx[l]}), append(p.slotRows, 0)
			}
			pr.slots[l] = n.slot
		}
	}
	pr.full = true
}

// pcodeSlotsMax bounds the names with a slot (pcodeNameRows.slot).
const pcodeSlotsMax = 1 << 16

// pcodeSlot is the name of a slot: its entry and index in the entry's
// names (stable: names are only appended to).
type pcodeSlot struct {
	e   *pcodeNames
	idx int
}

// flushSlots counts the rows the chunk counted by slot (replayRow of a
// full row) in their names, joining their entries to the chunk: before
// the names' counts are read (takeChunk, finish). A name of an entry
// that cannot join (past pcodeFileMaxCodes) is not counted, as count
// would not have.
func (p *pcodeFileChecks) flushSlots() {
	for s, k := range p.slotRows {
		if k == 0 {
			continue
		}
		p.slotRows[s] = 0
		sl := p.slotNames[s]
		if sl.e.chunk != p.chunk && !p.join(sl.e) {
			continue
		}
		n := &sl.e.names[sl.idx]
		if n.rows == 0 {
			n.chunkName, n.first = n.name, int32(sl.e.seen)
			sl.e.seen++
		}
		n.rows += int(k)
	}
}
