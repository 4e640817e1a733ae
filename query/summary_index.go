package query

// The index path adds a record column at a time, in blocks of rows: the
// blocks' rounds and figures are read into slices, then each part's
// groups are found for every row of the block (one pass a part), then the
// figures are added to the groups. A pass is a short loop whose rows do
// not depend on each other, so the processor overlaps their memory reads:
// in an ingest the tuple table and the groups' sums are out of the cache
// by the time the next record comes (the converter and the Parquet writer
// run between two records), and a row at a time the 'area' lookup waited
// for its slot, then for its entry, row after row (tupleIndex.find was
// 0.79 of the 2.84 CPU s of SummaryBuilder.Add in a 10 M-row ingest). The
// 'area' pass goes further: it reads the first slot of every new tuple of
// the block first, then compares the entries, so that the reads of one
// loop do not wait on one another. Measured with the unread dictionaries
// and the kept column indices (resolve) against main c752f07:
// BenchmarkSummaryBuilderDTMCold 241 -> 204 thread CPU ns a row (medians
// of 6 alternated pairs, new faster in 5); CPU profiles of 1 M-row ingests,
// Add 0.33 -> 0.24 s (means of 4 alternated pairs).

// indexBlock is the number of rows of a block: its scratch (~100 bytes a
// row) stays in the L2 cache.
const indexBlock = 1024

// indexScratch is the scratch of a block, kept for the builder's life.
type indexScratch struct {
	round, hh, ind       [indexBlock]int64
	roundOK, hhOK, indOK [indexBlock]bool
	// The groups of the block's rows by part; area -1: the previous row's.
	area, siteType, reasons [indexBlock]int32
	// pend are the rows whose 'area' tuple is not the previous row's.
	pend [indexBlock]areaProbe
	// touched is the sum of touchSums' loads (not used).
	touched int64
}

// areaProbe is a row's 'area' tuple, its hash and the entry in the first
// slot of its probe sequence (-1: empty), read before any is compared.
type areaProbe struct {
	t     [areaWords]uint32
	h     uint64
	row   int32
	first int32
}

// addIndexed adds the n rows of the record the memo was reset for, on the
// index path.
func (b *SummaryBuilder) addIndexed(n int) {
	if b.memo.scratch == nil {
		b.memo.scratch = new(indexScratch)
	}
	for lo := 0; lo < n; lo += indexBlock {
		hi := min(n, lo+indexBlock)
		if !b.addBlock(lo, hi) {
			return
		}
		b.rows += int64(hi - lo)
	}
}

// addBlock adds rows lo to hi (exclusive, at most indexBlock) of the
// record: false when the builder gave up.
func (b *SummaryBuilder) addBlock(lo, hi int) bool {
	s, c := b.memo.scratch, &b.cols
	n := hi - lo
	readInts(c.round, lo, s.round[:n], s.roundOK[:n])
	readInts(c.hh, lo, s.hh[:n], s.hhOK[:n])
	readInts(c.ind, lo, s.ind[:n], s.indOK[:n])
	if !b.areaGroups(s, lo, hi) || !b.siteTypeGroups(s, lo, hi) || !b.reasonsGroups(s, lo, hi) {
		return false
	}
	b.touchSums(s.area[:n], s)
	area := int32(0)
	for k := range n {
		if g := s.area[k]; g >= 0 {
			area = g
		}
		hh, hhOK, ind, indOK := s.hh[k], s.hhOK[k], s.ind[k], s.indOK[k]
		b.add(area, hh, hhOK, ind, indOK)
		b.add(s.siteType[k], hh, hhOK, ind, indOK)
		b.add(s.reasons[k], hh, hhOK, ind, indOK)
		b.addSADD(lo+k, s.round[k], s.roundOK[k])
		if b.err != nil {
			return false
		}
	}
	return true
}

// areaGroups sets s.area to the 'area' groups of rows lo to hi: -1 for a
// row whose tuple is the previous row's (within the block).
func (b *SummaryBuilder) areaGroups(s *indexScratch, lo, hi int) bool {
	m := &b.memo
	tbl := &m.area
	mask := uint64(len(tbl.slots) - 1)
	np := 0
	var prev [areaWords]uint32
	for i := lo; i < hi; i++ {
		k := i - lo
		t := m.areaTuple(i, s.round[k], s.roundOK[k])
		if i > lo && t == prev {
			s.area[k] = -1
			continue
		}
		prev = t
		p := &s.pend[np]
		np++
		p.t, p.h, p.row, p.first = t, hashArea(&t), int32(i), -1
		if len(tbl.slots) > 0 {
			p.first = tbl.slots[p.h&mask] - 1
		}
	}
	for j := range np {
		p := &s.pend[j]
		k := int(p.row) - lo
		if p.first >= 0 {
			if e := &tbl.entries[p.first]; e.h == p.h && e.t == p.t {
				s.area[k] = e.g
				continue
			}
		}
		// Another tuple in the first slot, an empty one, or a tuple this
		// block added since: the whole probe sequence.
		g, found := tbl.find(p.t, p.h)
		if !found {
			i := int(p.row)
			b.key = b.areaKey(b.prefix(i, s.round[k], s.roundOK[k]), i)
			if g, found = b.group(); !found {
				return false
			}
			tbl.insert(p.t, p.h, g)
		}
		s.area[k] = g
	}
	return true
}

// touchSums reads the sums of a block's 'area' groups (area: its rows'
// s.area) before the figures are added to them, in a loop of independent
// loads: the sums are out of the cache when a record comes, and the adding
// loop, four adds a row with their checks, had few of their misses in
// flight (SummaryBuilder.add was 0.40 of the 2.33 CPU s of Add in a 10 M-row
// ingest, main 7b88f16, most of it waiting on a group's line).
func (b *SummaryBuilder) touchSums(area []int32, s *indexScratch) {
	sums := b.sums
	var t int64
	for _, g := range area {
		if g >= 0 {
			t += sums[g].sites
		}
	}
	s.touched = t
}

// siteTypeGroups sets s.siteType to the 'site_type' groups of rows lo to
// hi.
func (b *SummaryBuilder) siteTypeGroups(s *indexScratch, lo, hi int) bool {
	m, c := &b.memo, &b.cols
	for i := lo; i < hi; i++ {
		k := i - lo
		t := m.siteTypeTuple(i, s.round[k], s.roundOK[k])
		g, found := m.siteTypeGroup(t)
		if !found {
			b.key = appendStr(append(append(b.key[:0], partSiteType), b.prefix(i, s.round[k], s.roundOK[k])...), c.siteType, i)
			if g, found = b.group(); !found {
				return false
			}
			m.setSiteTypeGroup(t, g)
		}
		s.siteType[k] = g
	}
	return true
}

// reasonsGroups sets s.reasons to the 'reasons' groups of rows lo to hi.
func (b *SummaryBuilder) reasonsGroups(s *indexScratch, lo, hi int) bool {
	m, c := &b.memo, &b.cols
	for i := lo; i < hi; i++ {
		k := i - lo
		country, round, roundOK := uint32(m.ids[mCountry][i]), s.round[k], s.roundOK[k]
		g, found := m.reasonsGroup(c, i, country, round, roundOK)
		if !found {
			b.key = appendStrList(append(append(b.key[:0], partReasons), b.prefix(i, round, roundOK)...), c.reasons, c.reasonVals, i)
			if g, found = b.group(); !found {
				return false
			}
			m.setReasonsGroup(c, i, country, round, roundOK, g)
		}
		s.reasons[k] = g
	}
	return true
}

// readInts sets v[k] and ok[k] to row lo+k of c, for the len(v) rows.
func readInts(c intCol, lo int, v []int64, ok []bool) {
	switch c := c.(type) {
	case nullInt:
		clear(v)
		clear(ok)
		return
	case int64Col:
		if c.a.NullN() == 0 {
			copy(v, c.a.Int64Values()[lo:])
			setTrue(ok)
			return
		}
	case int32Col:
		if c.a.NullN() == 0 {
			for k, x := range c.a.Int32Values()[lo : lo+len(v)] {
				v[k] = int64(x)
			}
			setTrue(ok)
			return
		}
	}
	for k := range v {
		v[k], ok[k] = c.get(lo + k)
	}
}

func setTrue(ok []bool) {
	for k := range ok {
		ok[k] = true
	}
}
