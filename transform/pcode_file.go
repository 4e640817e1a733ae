package transform

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

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

// pcodeNames are the names given to one code in a file.
type pcodeNames struct {
	code, header string
	level        int
	names        []pcodeNameRows // in order first seen
	lastName     int             // index in names of the last exact match
}

type pcodeNameRows struct {
	name, key string // as first written; NormalizeLabel
	rows      int
	// lines are the first pcodeFileMaxLines rows, the bulk of the checks'
	// memory (a row number past 2³²-1 is counted in rows but not listed).
	lines lineList
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
	order   []*pcodeNames
	nested  [8]int // rows whose child code nests, by child level
	notNest [8]int
	odd     []pcodeNotNested
	lines   lineArena // first line slots of the names
	// gen tells the checks of successive chunks of a worker apart (memo
	// entries point at the entries of one generation).
	gen uint64
}

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
// of the checks), so that a repeated code costs no lookup.
func (p *pcodeFileChecks) noteNameOf(m *pcodeEntry, level int, code, name, header string, line int) {
	e := m.names
	if e == nil || m.gen != p.gen {
		if e = p.entry(level, m.code, header); e == nil {
			return
		}
		m.names, m.gen = e, p.gen
	}
	e.note(&p.lines, name, line)
}

// entry returns the names of (level, code), made on first use with the
// header of that row; nil past pcodeFileMaxCodes codes. code must not
// point into a reader's buffer (it is kept).
func (p *pcodeFileChecks) entry(level int, code, header string) *pcodeNames {
	e := p.names.find(level, code)
	if e == nil {
		if p.names.n >= pcodeFileMaxCodes {
			return nil
		}
		e = &pcodeNames{code: code, header: header, level: level}
		p.names.add(e)
		p.order = append(p.order, e)
	}
	return e
}

// note counts a row naming the code name (its line kept in a's slabs).
func (e *pcodeNames) note(a *lineArena, name string, line int) {
	if i := e.lastName; i < len(e.names) && e.names[i].name == name {
		e.names[i].addIn(a, line)
		return
	}
	for i := range e.names {
		if e.names[i].name == name {
			e.names[i].addIn(a, line)
			e.lastName = i
			return
		}
	}
	key := NormalizeLabel(name)
	for i := range e.names {
		if e.names[i].key == key { // same name but for case, accents, spacing
			e.names[i].addIn(a, line)
			return
		}
	}
	e.names = append(e.names, pcodeNameRows{name: strings.Clone(name), key: key})
	e.lastName = len(e.names) - 1
	e.names[e.lastName].addIn(a, line)
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

// addIn is add, the first lines taken from a.
func (n *pcodeNameRows) addIn(a *lineArena, line int) {
	if n.lines.b == nil && a != nil {
		n.lines.b = a.take()
	}
	n.add(line)
}

func (n *pcodeNameRows) add(line int) {
	n.rows++
	if n.lines.n < pcodeFileMaxLines && line > 0 && uint64(line) <= math.MaxUint32 {
		n.lines.add(uint32(line))
	}
}

// appendFrom counts q's rows in n and lists q's listed rows after n's, up
// to pcodeFileMaxLines (q names the same code in a later chunk).
func (n *pcodeNameRows) appendFrom(q *pcodeNameRows) {
	n.rows += q.rows
	q.lines.each(func(line int) bool {
		if n.lines.n >= pcodeFileMaxLines {
			return false
		}
		n.lines.add(uint32(line))
		return true
	})
}

// noteNesting records whether a row's code nests under its parent's.
func (p *pcodeFileChecks) noteNesting(level int, code, parent, header string, line int) {
	if level >= len(p.nested) {
		return
	}
	if PcodeUnder(code, parent) {
		p.nested[level]++
		return
	}
	p.notNest[level]++
	if len(p.odd) < pcodeFileMaxLines*4 {
		p.odd = append(p.odd, pcodeNotNested{line: line, level: level, header: header,
			code: strings.Clone(code), parent: strings.Clone(parent)})
	}
}

// finish judges the collected rows: pcode-name warnings on the rows that
// give a code another name than most rows do; pcode-hierarchy warnings on
// the rows whose codes do not nest, for levels where most rows' codes do
// (else a note says the check was skipped).
func (p *pcodeFileChecks) finish(file, sheet string) (out []schemas.Reject, notes []string) {
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
