package transform

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/iom-dtm/dtm/schemas"
)

// The p-code checks that judge a row by the rest of its file: a code's
// name is the one most rows give it, and the prefix hierarchy (TD0704
// under TD07) is checked only where the file's codes mostly nest that way.
// Rows are collected while converting and judged in Finish, as warnings
// (the rows were written; these checks never drop a row). A code whose
// parent the gazetteer gives is checked against it instead, row by row
// (rules_site.go), never by prefix.

const (
	// pcodeFileMaxCodes bounds the codes whose names are collected.
	pcodeFileMaxCodes = 1 << 20
	// pcodeFileMaxLines bounds the rows remembered per (code, name) and the
	// non-nesting rows remembered per file; past it, one warning says how
	// many more rows there are.
	pcodeFileMaxLines = 1000
	// pcodeNestShare is the share of rows whose codes nest by prefix above
	// which the file is taken to use prefix-nested codes.
	pcodeNestShare = 0.8
)

// pcodeNames are the names given to one code in a file, or in the chunk
// of rows a worker converts (pcodeFileChecks.chunk). A worker keeps its
// entries from chunk to chunk, so that a code seen in an earlier chunk costs
// no lookup, allocation or name normalisation: the counts and rows of
// names are the chunk's, reset when the entry's first row of a chunk is
// noted (startChunk), and takeChunk hands out a copy of them.
type pcodeNames struct {
	code, header string
	level        int
	// id numbers the entries of a worker's index (pcodeFileChecks.src), so
	// that its parent finds its own entry of the code without a lookup.
	id       int
	names    []pcodeNameRows // in order first seen (by this converter)
	lastName int             // index in names of the last exact match
	// chunk is the chunk whose rows names count (pcodeFileChecks.chunk);
	// seen numbers the names noted in it, in the order first noted.
	chunk uint64
	seen  int
}

type pcodeNameRows struct {
	name, key string // as first written; NormalizeLabel
	rows      int
	// lines are the first pcodeFileMaxLines rows, the bulk of the checks'
	// memory (a row number past 2³²-1 is counted in rows but not listed).
	lines lineList
	// chunkName is the name as first written in the current chunk (name
	// or another spelling of the same key) and first the order in which
	// the chunk first noted it; meaningful while rows > 0.
	chunkName string
	first     int32 // up to the names of a chunk (seen)
	// slot numbers the name in the checks' slotNames once a row counting
	// it is full (pcodeRow.full; 0: none). (With first, in a word: the
	// names of 1,700 codes are copied and merged every chunk.)
	slot uint16
	// listed is the rows a worker listed for the name in its earlier
	// chunks of this generation (0 in a table's own checks). The table
	// merges those chunks before this one, each listing its rows until
	// it holds pcodeFileMaxLines (appendFrom): it then holds at least
	// min(listed, pcodeFileMaxLines) rows of the name and keeps no more
	// than the first pcodeFileMaxLines-listed of this chunk's, so the
	// worker lists no more (addIn): every row of a long file's names
	// listed by its workers and thrown away by Absorb, 4 Ki rows at a
	// time, cost a varint, slices grown by append and their copy.
	listed int
}

// lineList is a list of row numbers (1..2³²-1) kept as varint deltas from
// the previous one (zigzag, the first from 0): 1 byte a row in a file
// sorted by place, where a code's rows follow one another, 2 bytes for rows
// up to 8,191 apart, at most 5. (As uint32 they took 4 bytes a row: 7 to
// 10 MB in a 3 M-row file of 1,700 codes, every code's 1,000 rows listed.)
type lineList struct {
	b    []byte
	n    int    // rows listed
	last uint32 // the last row listed
}

// add lists line (1..2³²-1).
func (l *lineList) add(line uint32) {
	l.b = binary.AppendVarint(l.b, int64(line)-int64(l.last))
	l.last = line
	l.n++
}

// each calls f with the rows listed, in order, until f returns false.
func (l *lineList) each(f func(line int) bool) {
	prev := int64(0)
	for b := l.b; len(b) > 0; {
		d, k := binary.Varint(b)
		if k <= 0 {
			return // not written by add
		}
		b = b[k:]
		prev += d
		if !f(int(prev)) {
			return
		}
	}
}

// pcodeNotNested is a row whose code does not start with its parent's.
type pcodeNotNested struct {
	line, level          int
	header, code, parent string
}

type pcodeFileChecks struct {
	names   pcodeNameIndex
	order   []*pcodeNames // the entries with rows in this chunk, in order first noted
	nested  [8]int        // rows whose child code nests, by child level
	notNest [8]int
	odd     []pcodeNotNested
	lines   lineArena // first line slots of the names
	// gen tells apart the indexes of names a converter had (memo entries
	// point at entries of names of one generation): a worker starts its
	// index again when it grows past pcodeWorkerIndexMax.
	gen uint64
	// chunk tells the chunks of a worker apart (takeChunk).
	chunk uint64
	// src names the worker's index of this generation in the chunks it
	// hands out (nil until the first takeChunk); nextID numbers its entries.
	src    *pcodeSrc
	nextID int
	// bufs are a chunk's buffers (takeChunk), given back by merge.
	bufs pcodeChunkBufs
	// epoch counts the names added to an entry that had some (its names
	// may have moved: pcodeRow.nrow).
	epoch uint64
	// slotNames are the names with a slot (pcodeNameRows.slot; 0 is
	// none), slotRows the rows the chunk counted for them, not yet in
	// their names (flushSlots).
	slotNames []pcodeSlot
	slotRows  []uint32
}

// pcodeSrc is a worker's index of codes of one generation, as its parent
// sees it: dst[id] is the parent's entry of the worker's entry id, filled
// in by merge. Only the parent (merge, on the goroutine absorbing the
// chunks) reads or writes dst; the worker only makes a pcodeSrc.
type pcodeSrc struct {
	dst []*pcodeNames
	// free are the buffers of chunks merged, for the worker's next chunks
	// (takeChunk): a chunk's copies cost no allocation once the worker's
	// first chunks are merged. Guarded by mu (merge gives, takeChunk takes).
	mu   sync.Mutex
	free []pcodeChunkBufs
}

// pcodeChunkBufs are the buffers of a chunk's checks (takeChunk).
type pcodeChunkBufs struct {
	ents  []pcodeNames
	rows  []pcodeNameRows
	order []*pcodeNames
}

// pcodeSrcFree bounds the buffers a pcodeSrc keeps for its worker.
const pcodeSrcFree = 4

// take returns buffers given back, or none.
func (s *pcodeSrc) take() pcodeChunkBufs {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.free) == 0 {
		return pcodeChunkBufs{}
	}
	b := s.free[len(s.free)-1]
	s.free[len(s.free)-1] = pcodeChunkBufs{}
	s.free = s.free[:len(s.free)-1]
	return b
}

// give keeps b for take, within pcodeSrcFree.
func (s *pcodeSrc) give(b pcodeChunkBufs) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.free) < pcodeSrcFree {
		s.free = append(s.free, b)
	}
}

// pcodeWorkerIndexMax bounds the codes a worker keeps indexed from chunk to
// chunk; past it, the index starts again at the next chunk.
const pcodeWorkerIndexMax = 1 << 16

// pcodeNameIndex finds the names of a code: a map keyed by the code per
// admin level (one string lookup, no composite key), and the entry of the
// previous row per level (files sorted by place repeat a code row after
// row). n counts the codes of all levels.
type pcodeNameIndex struct {
	byLevel map[int]map[string]*pcodeNames
	last    [8]*pcodeNames
	n       int
}

// find returns the entry of (level, code), nil if none.
func (x *pcodeNameIndex) find(level int, code string) *pcodeNames {
	if level >= 0 && level < len(x.last) {
		if e := x.last[level]; e != nil && e.code == code {
			return e
		}
	}
	e := x.byLevel[level][code]
	if e != nil && level >= 0 && level < len(x.last) {
		x.last[level] = e
	}
	return e
}

// add indexes e (whose code is not indexed at its level yet).
func (x *pcodeNameIndex) add(e *pcodeNames) {
	if x.byLevel == nil {
		x.byLevel = map[int]map[string]*pcodeNames{}
	}
	m := x.byLevel[e.level]
	if m == nil {
		m = map[string]*pcodeNames{}
		x.byLevel[e.level] = m
	}
	m[e.code] = e
	x.n++
	if e.level >= 0 && e.level < len(x.last) {
		x.last[e.level] = e
	}
}

// noteNameOf records the name a row gives a code; m is the code's memo
// entry, which remembers the code's entry here (valid for this generation
// of the checks), so that a repeated code costs no lookup. It returns the
// entry and the index of the name in its names (e nil: not noted, past
// the bounds).
func (p *pcodeFileChecks) noteNameOf(m *pcodeEntry, level int, code, name, header string, line int) (e *pcodeNames, i int) {
	e = m.names
	if e == nil || m.gen != p.gen {
		if e = p.entry(level, m.code, header); e == nil {
			return nil, 0
		}
		m.names, m.gen = e, p.gen
	} else if e.chunk != p.chunk && !p.join(e) {
		return nil, 0
	}
	had := len(e.names)
	i = e.note(&p.lines, name, line)
	if had > 0 && len(e.names) > had {
		p.epoch++
	}
	return e, i
}

// entry returns the names of (level, code), made on first use with the
// header of that row and counting this chunk's rows; nil past
// pcodeFileMaxCodes codes in the chunk. code must not point into a
// reader's buffer (it is kept).
func (p *pcodeFileChecks) entry(level int, code, header string) *pcodeNames {
	e := p.names.find(level, code)
	if e == nil {
		if len(p.order) >= pcodeFileMaxCodes {
			return nil
		}
		e = &pcodeNames{code: code, header: header, level: level, chunk: p.chunk - 1, id: p.nextID}
		p.nextID++
		p.names.add(e)
	}
	if !p.join(e) {
		return nil
	}
	return e
}

// join makes e count the rows of this chunk, listed in p.order after the
// entries already noted in it; false past pcodeFileMaxCodes codes.
func (p *pcodeFileChecks) join(e *pcodeNames) bool {
	if e.chunk == p.chunk {
		return true
	}
	if len(p.order) >= pcodeFileMaxCodes {
		return false
	}
	for i := range e.names {
		n := &e.names[i]
		n.listed += n.lines.n
		n.rows, n.lines, n.chunkName = 0, lineList{}, ""
	}
	e.chunk, e.seen = p.chunk, 0
	p.order = append(p.order, e)
	return true
}

// takeChunk returns the checks of the rows noted since the last call (a
// copy sharing nothing p changes later: Absorb merges it on another
// goroutine; its buffers come back to p through p.src once merged) and
// readies p for the next chunk, keeping its index of codes.
// The names of each entry are those the chunk noted, in the order it first
// noted them, each as the chunk first wrote it: what checks made for the
// chunk alone would hold.
func (p *pcodeFileChecks) takeChunk() pcodeFileChecks {
	p.flushSlots()
	if p.src == nil {
		p.src = new(pcodeSrc)
	}
	out := pcodeFileChecks{nested: p.nested, notNest: p.notNest, odd: p.odd, src: p.src}
	k := 0
	for _, e := range p.order {
		k += e.seen
	}
	bufs := p.src.take()
	ents := bufs.ents[:0]
	if cap(ents) < len(p.order) {
		ents = make([]pcodeNames, len(p.order))
	}
	ents = ents[:len(p.order)]
	rows := bufs.rows[:0]
	if cap(rows) < k {
		rows = make([]pcodeNameRows, 0, k)
	}
	out.order = bufs.order[:0]
	if cap(out.order) < len(p.order) {
		out.order = make([]*pcodeNames, len(p.order))
	}
	out.order = out.order[:len(p.order)]
	for i, e := range p.order {
		start := len(rows)
		for _, n := range e.names {
			if n.rows == 0 {
				continue
			}
			n.name, n.chunkName = n.chunkName, ""
			j := len(rows)
			rows = append(rows, n)
			for ; j > start && rows[j-1].first > n.first; j-- { // by first noted
				rows[j] = rows[j-1]
			}
			rows[j] = n
		}
		ents[i] = pcodeNames{code: e.code, header: e.header, level: e.level, id: e.id, names: rows[start:len(rows):len(rows)]}
		out.order[i] = &ents[i]
	}
	out.bufs = pcodeChunkBufs{ents: ents, rows: rows, order: out.order}
	clear(p.order)
	p.order = p.order[:0]
	p.nested, p.notNest, p.odd = [8]int{}, [8]int{}, nil
	p.chunk++
	if p.names.n > pcodeWorkerIndexMax {
		p.names = pcodeNameIndex{}
		p.slotNames, p.slotRows = nil, nil
		p.gen++
		p.src, p.nextID = nil, 0
	}
	return out
}

// note counts a row naming the code name (its line kept in a's slabs) and
// returns the index of the name in e.names. Counting the same row again
// with count(i, a, name, line), name equal to this one, does the same.
func (e *pcodeNames) note(a *lineArena, name string, line int) int {
	if i := e.lastName; i < len(e.names) && e.names[i].name == name {
		e.count(i, a, e.names[i].name, line)
		return i
	}
	for i := range e.names {
		if e.names[i].name == name {
			e.count(i, a, e.names[i].name, line)
			e.lastName = i
			return i
		}
	}
	key := NormalizeLabel(name)
	for i := range e.names {
		if e.names[i].key == key { // same name but for case, accents, spacing
			if e.names[i].rows == 0 {
				name = strings.Clone(name) // the chunk's first spelling
			}
			e.count(i, a, name, line)
			return i
		}
	}
	e.names = append(e.names, pcodeNameRows{name: strings.Clone(name), key: key})
	e.lastName = len(e.names) - 1
	e.count(e.lastName, a, e.names[e.lastName].name, line)
	return e.lastName
}

// count adds a row to names[i]; name is its spelling on the row, kept
// (it must not point into a reader's buffer) if it is the chunk's first.
func (e *pcodeNames) count(i int, a *lineArena, name string, line int) {
	n := &e.names[i]
	if n.rows == 0 {
		n.chunkName, n.first = name, int32(e.seen)
		e.seen++
	}
	n.addIn(a, line)
}

// lineArena hands out the first bytes of each (code, name)'s lines from
// shared slabs: most names of a chunk hold a handful of rows, and growing
// each one's slice from nothing cost three allocations a name.
type lineArena struct{ free []byte }

// lineArenaFirst is the capacity in bytes of a name's first lines (4 rows
// up to 1,023 apart, or 2 of 5 bytes); past it the slice grows by append,
// outside the slabs.
const lineArenaFirst = 8

func (a *lineArena) take() []byte {
	if len(a.free) < lineArenaFirst {
		a.free = make([]byte, lineArenaFirst*1024)
	}
	s := a.free[:0:lineArenaFirst]
	a.free = a.free[lineArenaFirst:]
	return s
}

// addIn counts a row (numbered line) naming the code so, and lists it
// while the table may keep it (listed), the first lines taken from a.
func (n *pcodeNameRows) addIn(a *lineArena, line int) {
	n.rows++
	if n.listed+n.lines.n >= pcodeFileMaxLines || line <= 0 || uint64(line) > math.MaxUint32 {
		return
	}
	if n.lines.b == nil && a != nil {
		n.lines.b = a.take()
	}
	n.lines.add(uint32(line))
}

// appendFrom counts q's rows in n and lists q's listed rows after n's, up
// to pcodeFileMaxLines (q names the same code in a later chunk).
func (n *pcodeNameRows) appendFrom(q *pcodeNameRows) {
	n.rows += q.rows
	if n.lines.n >= pcodeFileMaxLines || q.lines.n == 0 {
		return
	}
	if n.lines.n+q.lines.n <= pcodeFileMaxLines {
		// All of q's rows: its first delta (from 0) is its first row,
		// written again from n's last; the others are copied as they are.
		if d, k := binary.Varint(q.lines.b); k > 0 && d > 0 && d <= math.MaxUint32 {
			n.lines.add(uint32(d))
			n.lines.b = append(n.lines.b, q.lines.b[k:]...)
			n.lines.n += q.lines.n - 1
			n.lines.last = q.lines.last
			return
		}
	}
	q.lines.each(func(line int) bool {
		if n.lines.n >= pcodeFileMaxLines {
			return false
		}
		n.lines.add(uint32(line))
		return true
	})
}

// nestingNote is what noteNesting did of a row.
type nestingNote uint8

const (
	nestingNone    nestingNote = iota // nothing (a level past the counts)
	nestingCounted                    // counted a code nesting under its parent's
	nestingOdd                        // noted a code not nesting, for Finish
)

// noteNesting records whether a row's code nests under its parent's.
func (p *pcodeFileChecks) noteNesting(level int, code, parent, header string, line int) nestingNote {
	if level < 0 || level >= len(p.nested) {
		return nestingNone
	}
	if PcodeUnder(code, parent) {
		p.nested[level]++
		return nestingCounted
	}
	p.notNest[level]++
	if len(p.odd) < pcodeFileMaxLines*4 {
		p.odd = append(p.odd, pcodeNotNested{line: line, level: level, header: header,
			code: strings.Clone(code), parent: strings.Clone(parent)})
	}
	return nestingOdd
}

// finish judges the collected rows: pcode-name warnings on the rows that
// give a code another name than most rows do; pcode-hierarchy warnings on
// the rows whose codes do not nest, for levels where most rows' codes do
// (else a note says the check was skipped).
func (p *pcodeFileChecks) finish(file, sheet string) (out []schemas.Reject, notes []string) {
	p.flushSlots()
	warn := func(line int, header, value, code, msg string) {
		out = append(out, schemas.Reject{File: file, Sheet: sheet, Row: line, Column: header, Value: value,
			Code: code, Severity: schemas.SeverityWarning, Message: msg})
	}
	for _, e := range p.order {
		if len(e.names) < 2 {
			continue
		}
		best, total := 0, 0
		for i, n := range e.names {
			total += n.rows
			if n.rows > e.names[best].rows {
				best = i
			}
		}
		major := e.names[best]
		for i, n := range e.names {
			if i == best {
				continue
			}
			msg := fmt.Sprintf("admin%d p-code %q is named %q on this row but %q on %d of the %d rows that give it a name (the name most rows use); check this row's name or code",
				e.level, e.code, n.name, major.name, major.rows, total)
			n.lines.each(func(l int) bool {
				warn(l, e.header, e.code, schemas.CodePcodeName, msg)
				return true
			})
			if more := n.rows - n.lines.n; more > 0 {
				warn(0, e.header, e.code, schemas.CodePcodeName, fmt.Sprintf("and %d more rows name admin%d p-code %q %q (not listed one by one)", more, e.level, e.code, n.name))
			}
		}
	}
	listed := [8]int{}
	for lvl := range p.nested {
		yes, no := p.nested[lvl], p.notNest[lvl]
		if no == 0 {
			continue
		}
		if float64(yes)/float64(yes+no) < pcodeNestShare {
			notes = append(notes, fmt.Sprintf("admin%d p-codes were not checked against their admin%d p-codes by prefix: only %d of the %d rows' codes nest that way in this file (official codes need not nest by prefix); a gazetteer with a parent_pcode column checks them",
				lvl, lvl-1, yes, yes+no))
			p.notNest[lvl] = -1 // skipped
			continue
		}
	}
	for _, o := range p.odd {
		if p.notNest[o.level] < 0 {
			continue
		}
		listed[o.level]++
		warn(o.line, o.header, o.code, schemas.CodePcodeHierarchy,
			fmt.Sprintf("admin%d p-code %q does not start with its admin%d p-code %q, as %d of the %d rows' codes in this file do; check the two codes",
				o.level, o.code, o.level-1, o.parent, p.nested[o.level], p.nested[o.level]+p.notNest[o.level]))
	}
	for lvl := range listed {
		if p.notNest[lvl] > 0 && p.notNest[lvl] > listed[lvl] {
			warn(0, "", "", schemas.CodePcodeHierarchy, fmt.Sprintf("and %d more rows whose admin%d p-code does not start with its admin%d p-code (not listed one by one)",
				p.notNest[lvl]-listed[lvl], lvl, lvl-1))
		}
	}
	return out, notes
}
