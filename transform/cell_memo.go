package transform

import (
	"strings"
	"time"

	"github.com/iom-dtm/dtm/schemas"
)

// Cell memos. A DTM file repeats the same few texts down a column (admin
// names and p-codes, site types, assessment types, survey dates, yes/no),
// and often on consecutive rows (files are grouped by area). The cast of
// such a column (castInto: missing-value tokens, white space, vocabulary,
// date order and parse) is a pure function of the raw cell, so each column
// cast by kind whose field is a string, date or bool remembers, per raw
// cell, the value its cast gave: a cell seen before costs one lookup in an
// index of the raw cells (strTable), which holds its value in the slot,
// instead of the cast. (A check of the previous row's cell first, kept in
// the memo, spared the lookup of a cell repeated on the next row but cost
// more than it spared on rows in no order of place:
// BenchmarkCellMemoSite, 5 alternated pairs, random rows 350 -> 310
// cpu-ns a row, 476 <- 540 with the caches streamed through, runs of
// equal cells 275 -> 280, within the noise.) A string value of
// a dictionary column also carries its intern number in the partition set
// (partition_dict.go), which spares the record dictionary a second lookup.
//
// Only casts that gave no reject are remembered (a cell with a warning,
// an ambiguous date or an unknown vocabulary label, is cast again each
// time and warns each time), so the rows, values and rejects are exactly
// those of the cast (TestCellMemoMatchesCast). A column whose cells are
// nearly all different (site names, coordinates) turns its memo off after
// memoProbe lookups; a memo holds at most maxMemoCells cells.
type cellMemo struct {
	kind colKind
	// dictSlot is the field's value slot when its strings are interned
	// (a dictionary column), else -1.
	dictSlot int
	// raws numbers the raw cells remembered (copies) and holds, in each
	// one's slot, its value but for a date (memoHot); dates holds the
	// dates by number (date columns).
	raws    strTable[memoHot]
	dates   []time.Time
	lookups int
	hits    int
	off     bool
}

// memoHot is the cast value of one raw cell, held in its slot of the
// memo's index (the date of a date column is in cellMemo.dates): a memo
// hit reads the slot alone. With the value in an array by number, the
// lookup read a slot and then the value elsewhere, two cache misses on a
// column of a thousand different cells (admin 3 p-codes): cellMemo.get was
// 2.90 of 54.3 CPU s of a 10 M-row ingest, 0.95 s of it on reading the
// value.
type memoHot struct {
	s   string
	sid int32
	set bool
	b   bool
}

const (
	// maxMemoCells bounds the cells a column's memo holds.
	maxMemoCells = 4096
	// memoProbe is the number of lookups after which a memo that found
	// fewer than half of its cells is turned off.
	memoProbe = 4096
)

// newCellMemo returns the memo of a column of field f stored in slot, or
// nil for the kinds that are not remembered: numbers and plain strings
// have fast casts and few repeats; lists have their own cache
// (listCache).
func newCellMemo(f *schemas.Field, slot int, dict bool) *cellMemo {
	k := colKindOf(f.Kind)
	switch {
	case k == colDate, k == colBool:
	case k == colString && (dict || len(f.Vocabulary) > 0):
		// A plain string column (site names and ids) is nearly unique
		// and cheap to cast.
	default:
		return nil
	}
	m := &cellMemo{kind: k, dictSlot: -1}
	if dict && k == colString {
		m.dictSlot = slot
	}
	return m
}

// len is the number of cells remembered.
func (m *cellMemo) len() int { return len(m.raws.keys) }

// get sets v (reset) to the remembered value of raw and reports whether
// there was one.
func (m *cellMemo) get(raw string, v *value) bool {
	if m.off {
		return false
	}
	lo, hi, h := strWords(raw)
	// Every cell is looked up (no check of the previous row's first:
	// see the type's comment); the counts judge whether the memo pays.
	m.lookups++
	e := m.raws.lookup(raw, lo, hi, h)
	if e == nil {
		if m.lookups >= memoProbe && 2*m.hits < m.lookups {
			m.turnOff()
		}
		return false
	}
	m.hits++
	if !e.p.set {
		return true
	}
	v.set = true
	switch m.kind {
	case colString:
		v.s, v.sid = e.p.s, e.p.sid
	case colDate:
		v.d = m.dates[e.id-1]
	case colBool:
		v.b = e.p.b
	}
	return true
}

// put remembers v, the cast of raw. The string of a dictionary column is
// interned in ps (v then carries its interned copy and number); a string
// ps no longer interns (its column's table is full) is not remembered.
func (m *cellMemo) put(raw string, v *value, ps *partitionSet) {
	if m.off || m.len() >= maxMemoCells {
		return
	}
	key := strings.Clone(raw)
	e := memoHot{set: v.set}
	if v.set {
		switch m.kind {
		case colString:
			switch {
			case m.dictSlot >= 0:
				e.sid, e.s = ps.intern(m.dictSlot, v.s)
				if e.sid == 0 {
					return // the column's strings are not interned: nothing to spare
				}
				v.s, v.sid = e.s, e.sid
			case v.s == raw:
				e.s = key
			default:
				e.s = strings.Clone(v.s)
			}
		case colBool:
			e.b = v.b
		}
	}
	id := m.raws.addWith(key, e)
	if id < 0 {
		return
	}
	if m.kind == colDate {
		var d time.Time
		if v.set {
			d = v.d
		}
		m.dates = append(m.dates, d)
	}
}

// turnOff drops the memo of a column whose cells rarely repeat.
func (m *cellMemo) turnOff() {
	m.off, m.raws, m.dates = true, strTable[memoHot]{}, nil
}
