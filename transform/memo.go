package transform

import "strings"

// convMemo caches the results of pure per-value checks across the rows of
// one converter: a file repeats the same few hundred p-codes and round
// labels on every row. Each map is cleared when it reaches its bound, so
// memory stays small whatever the input. The zero value is ready to use.
type convMemo struct {
	pcodes    pcodeMemos
	rows      pcodeRows // clean rows' p-code cells (pcode_row.go)
	rounds    map[string]roundMemo
	recentRnd recentRounds
	countries recentCountries
	site      *siteRefs // the site rules' slots (rules_site_refs.go)
}

// pcodeMemos holds the p-code results by context (country, level), each
// context's codes in a map keyed by the code alone: a row's codes cost one
// string lookup each, not a hash and comparison of a composite key. The
// last few contexts of each level are remembered, most recent first, so
// that a file of one country, or of a few countries row after row, finds
// its map without a lookup.
type pcodeMemos struct {
	byCtx   map[pcodeMemoCtx]*pcodeCodes
	recent  [8][pcodeRecentCtx]*pcodeCodes // by level, when 0 <= level < 8
	entries int                            // codes held in all contexts
}

// pcodeRecentCtx is the number of contexts remembered per level.
const pcodeRecentCtx = 4

// pcodeMemoCtx is the context of a p-code's shape check.
type pcodeMemoCtx struct {
	iso   string
	level int
}

// pcodeCodes are the results of the codes of one context; last is the
// entry asked for last (files sorted by place repeat a code row after row).
type pcodeCodes struct {
	ctx   pcodeMemoCtx
	codes map[string]*pcodeEntry
	last  *pcodeEntry
}

// pcodeEntry is a code's pcodeMemo and, once a row has named the code, its
// entry in the converter's pcodeFileChecks of generation gen (so that the
// row costs no second lookup of the code; pcodeFileChecks.noteNameOf).
type pcodeEntry struct {
	pcodeMemo
	code  string // the code, a copy owned by the memo
	names *pcodeNames
	gen   uint64
}

// convMemoMax bounds each map of a convMemo.
const convMemoMax = 1 << 14

// pcodeMemo is what checkPcodes needs to know of one code.
type pcodeMemo struct{ pseudo, shapeOK bool }

// roundMemo is the result of ParseRound of label (a copy owned by the
// memo).
type roundMemo struct {
	label string
	n     int64
	ok    bool
}

// pcode returns the entry of code: PcodeIsPseudo(code) and
// PcodeShapeOK(code, iso, level) (the latter is only computed, and only
// meaningful, when not pseudo). The entry stays valid after the memo is
// cleared (it is then no longer shared).
func (m *convMemo) pcode(code, iso string, level int) *pcodeEntry {
	cc := m.pcodes.context(iso, level)
	if v := cc.last; v != nil && v.code == code {
		return v
	}
	if v, ok := cc.codes[code]; ok {
		cc.last = v
		return v
	}
	v := new(pcodeEntry)
	v.pseudo = PcodeIsPseudo(code)
	if !v.pseudo {
		v.shapeOK = PcodeShapeOK(code, iso, level)
	}
	if m.pcodes.entries >= convMemoMax { // start again, as a bounded cache
		m.pcodes = pcodeMemos{}
		cc = m.pcodes.context(iso, level)
	}
	// Clone: code may point into a large reader buffer.
	v.code = strings.Clone(code)
	cc.codes[v.code] = v
	cc.last = v
	m.pcodes.entries++
	return v
}

// context returns the codes of (iso, level), made on first use.
func (pm *pcodeMemos) context(iso string, level int) *pcodeCodes {
	var recent *[pcodeRecentCtx]*pcodeCodes
	if level >= 0 && level < len(pm.recent) {
		recent = &pm.recent[level]
		for i, cc := range recent {
			if cc == nil {
				break
			}
			if cc.ctx.iso == iso {
				if i > 0 { // move to the front
					copy(recent[1:i+1], recent[:i])
					recent[0] = cc
				}
				return cc
			}
		}
	}
	k := pcodeMemoCtx{iso, level}
	cc, ok := pm.byCtx[k]
	if !ok {
		if pm.byCtx == nil {
			pm.byCtx = map[pcodeMemoCtx]*pcodeCodes{}
		}
		k.iso = strings.Clone(iso)
		cc = &pcodeCodes{ctx: k, codes: make(map[string]*pcodeEntry, 64)}
		pm.byCtx[k] = cc
	}
	if recent != nil {
		copy(recent[1:], recent[:len(recent)-1])
		recent[0] = cc
	}
	return cc
}

// round returns ParseRound(raw): from the last few labels read, else the
// map of labels.
func (m *convMemo) round(raw string) (int64, bool) {
	rr := &m.recentRnd
	for i := range rr.n {
		if rr.cell[i] == raw {
			return rr.val[i].n, rr.val[i].ok
		}
	}
	v, ok := m.rounds[raw]
	if !ok {
		v.n, v.ok = ParseRound(raw)
		if m.rounds == nil || len(m.rounds) >= convMemoMax {
			m.rounds = make(map[string]roundMemo, 16)
		}
		v.label = strings.Clone(raw) // raw may point into a reader's buffer
		m.rounds[v.label] = v
	}
	rr.n = min(rr.n+1, len(rr.cell))
	copy(rr.cell[1:rr.n], rr.cell[:rr.n-1])
	copy(rr.val[1:rr.n], rr.val[:rr.n-1])
	rr.cell[0], rr.val[0] = v.label, v
	return v.n, v.ok
}

// recentRounds remembers the last few round labels read and their
// ParseRound answers, most recent first: a file holds one round or a
// few, and a map lookup hashes the label on every row.
type recentRounds struct {
	n    int
	cell [4]string
	val  [4]roundMemo
}

// recentCountries remembers the last few country cells read and their
// ISO3FromCountry answers, most recent first: a file names one country,
// or a few, on every row, and each lookup upper-cases and hashes the cell.
type recentCountries struct {
	n    int
	cell [4]string
	iso  [4]string
	ok   [4]bool
}

// country returns ISO3FromCountry(raw).
func (m *convMemo) country(raw string) (string, bool) {
	rc := &m.countries
	for i := range rc.n {
		if rc.cell[i] == raw {
			return rc.iso[i], rc.ok[i]
		}
	}
	iso, ok := ISO3FromCountry(raw)
	rc.n = min(rc.n+1, len(rc.cell))
	copy(rc.cell[1:rc.n], rc.cell[:rc.n-1])
	copy(rc.iso[1:rc.n], rc.iso[:rc.n-1])
	copy(rc.ok[1:rc.n], rc.ok[:rc.n-1])
	rc.cell[0], rc.iso[0], rc.ok[0] = strings.Clone(raw), iso, ok // raw may point into a reader's buffer
	return iso, ok
}
