package transform

import "strings"

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

// pcodeRow is the p-code cells of a clean row and their effects.
type pcodeRow struct {
	iso string
	n   int // levels
	// has tells which cells were set, per level: pcodeRowCode, pcodeRowName.
	has        [pcodeRowLevels]uint8
	code, name [pcodeRowLevels]string // owned copies
	// nest tells the levels where the row counted a code nesting under its
	// parent's (pcodeFileChecks.nested).
	nest [pcodeRowLevels]bool
	// ent and idx are the entry and name the row counted, per level (ent
	// nil: no name noted), in the pcodeFileChecks of generation gen.
	ent [pcodeRowLevels]*pcodeNames
	idx [pcodeRowLevels]int
	gen uint64
	// Once replayed in a chunk with every entry joined, the row's names
	// are at nrow while the checks' chunk and epoch are chunk-1 and epoch
	// (chunk 0: not yet): a repeat in the chunk only adds its row there.
	nrow         [pcodeRowLevels]*pcodeNameRows
	chunk, epoch uint64
}

// pcodeRowsMax bounds the rows a converter remembers.
const pcodeRowsMax = 1 << 13

const (
	pcodeRowCode uint8 = 1 << iota
	pcodeRowName
)

// pcodeRows finds the pcodeRow of a row: the previous row's, else by the
// code of the row's deepest level set. Bounded by pcodeRowsMax rows
// (cleared when full: about 3 MB with their cells).
type pcodeRows struct {
	byCode map[string]*pcodeRow
	last   *pcodeRow
	// spare is the record of the last row that was not clean, reused.
	spare *pcodeRow
	// off makes every row take the full checks (the tests' reference).
	off bool
}

// find returns the remembered row whose cells equal the row's (c's
// values at the slots of pls, country iso), nil if none; key is the code
// of the row's deepest level set ("" when none is).
func (rs *pcodeRows) find(c *Converter, iso, key string, pls []pcodeLevel) *pcodeRow {
	if pr := rs.last; pr != nil && pr.matches(c, iso, pls) {
		return pr
	}
	pr := rs.byCode[key]
	if pr == nil || !pr.matches(c, iso, pls) {
		return nil
	}
	rs.last = pr
	return pr
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
	*pr = pcodeRow{iso: iso, n: len(pls), gen: c.pcodeFile.gen}
	rs.spare = pr // until add takes it
	for l, pl := range pls {
		if v := c.slotValue(pl.slot); v != nil && v.set {
			pr.has[l] |= pcodeRowCode
			pr.code[l] = v.s
		}
		if v := c.slotValue(pl.nameSlot); v != nil && v.set {
			pr.has[l] |= pcodeRowName
			pr.name[l] = v.s
		}
	}
	return pr
}

// add remembers pr (made by start) under the code of its deepest level
// set, with its strings copied into one block: they may point into a
// reader's buffer.
func (rs *pcodeRows) add(pr *pcodeRow) {
	if rs.spare == pr {
		rs.spare = nil
	}
	// One copy of all the cells, so that matching a row reads one block.
	size := len(pr.iso)
	for l := range pr.n {
		size += len(pr.code[l]) + len(pr.name[l])
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(pr.iso)
	for l := range pr.n {
		b.WriteString(pr.code[l])
		b.WriteString(pr.name[l])
	}
	all, at := b.String(), 0
	cut := func(n int) string {
		at += n
		return all[at-n : at]
	}
	pr.iso = cut(len(pr.iso))
	for l := range pr.n {
		pr.code[l] = cut(len(pr.code[l]))
		pr.name[l] = cut(len(pr.name[l]))
	}
	key := "" // pcodeRowKey of the row, as copied
	for l := pr.n - 1; l >= 0; l-- {
		if pr.has[l]&pcodeRowCode != 0 {
			key = pr.code[l]
			break
		}
	}
	if rs.byCode == nil || len(rs.byCode) >= pcodeRowsMax {
		rs.byCode = make(map[string]*pcodeRow, 64)
	}
	rs.byCode[key] = pr
	rs.last = pr
}

// matches reports whether the row's p-code cells are pr's.
func (pr *pcodeRow) matches(c *Converter, iso string, pls []pcodeLevel) bool {
	if pr.n != len(pls) || pr.iso != iso {
		return false
	}
	for l, pl := range pls {
		var has uint8
		if v := c.slotValue(pl.slot); v != nil && v.set {
			if v.s != pr.code[l] {
				return false
			}
			has = pcodeRowCode
		}
		if v := c.slotValue(pl.nameSlot); v != nil && v.set {
			if v.s != pr.name[l] {
				return false
			}
			has |= pcodeRowName
		}
		if has != pr.has[l] {
			return false
		}
	}
	return true
}

// pcodeRowKey returns the code of the row's deepest level set, "" if none.
func (c *Converter) pcodeRowKey(pls []pcodeLevel) string {
	for l := len(pls) - 1; l >= 0; l-- {
		if v := c.slotValue(pls[l].slot); v != nil && v.set {
			return v.s
		}
	}
	return ""
}

// replayRow does what checkPcodes did for the clean row pr on a row
// numbered line with the same cells: count the nesting codes and the names.
func (p *pcodeFileChecks) replayRow(pr *pcodeRow, line int) {
	if pr.chunk == p.chunk+1 && pr.epoch == p.epoch {
		// Every entry joined this chunk and counts a row of the name
		// already (count would only add the row).
		for l := range pr.n {
			if pr.nest[l] {
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
		if pr.nest[l] {
			p.nested[l+1]++
		}
		if e := pr.ent[l]; e != nil {
			if e.chunk != p.chunk && !p.join(e) {
				joined = false
				continue
			}
			e.count(pr.idx[l], &p.lines, pr.name[l], line)
			pr.nrow[l] = &e.names[pr.idx[l]]
		}
	}
	if joined {
		pr.chunk, pr.epoch = p.chunk+1, p.epoch
	} else {
		pr.chunk = 0
	}
}
