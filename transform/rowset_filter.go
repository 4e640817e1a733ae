package transform

// rowFilter tells whether a key may have been spilled by a rowSet: a list
// of 16-bit fingerprints grouped by segment, 2 bytes a key with no
// hash-table slack (the open-addressing table it replaced was a power of
// two 3/8 to 3/4 full: 32 MiB at 9.8 M keys, the spill of a 10 M-row
// table).
//
// A key's hash h is mixed into m (splitmix64's finaliser: every bit of h
// moves every bit of m); the top rowFilterPageBits bits of m choose its
// page, the next rowFilterSegBits its segment in the page, and the low 16
// bits are its fingerprint, so segment and fingerprint are independent. A
// page is one slice of the fingerprints of its segments, one segment after
// the other (in each, in the order added), and the end of each segment in
// it (uint16). Memory: 2 bytes a key and a page's room for the next
// (about one run's and 1/8 more: filterPage.add), plus 1 KiB of bounds for
// each page (1 MiB in all, from the first run on) and 56 KiB of
// page headers: 2.8 MB at 0.8 M keys, 6.3 MB at 2.4 M, 21.9 MB at
// 9.8 M (room for 10.4 M fingerprints; 20.7 MB without the room).
//
// No false negatives: every key added is found. False positives: a key not
// added is reported when a key of its segment shares its fingerprint,
// about (keys per segment)/2¹⁶: 2.3·10⁻⁵ at 0.8 M keys, 2.9·10⁻⁴ at 9.8 M
// (measured on 4 Mi random keys: 2.0·10⁻⁵, 2.8·10⁻⁴); each costs a look
// in the runs on disk, not a wrong answer. A lookup reads the page's
// header, its segment's bounds and its fingerprints: mayHoldAll looks a
// group of keys up with those loads overlapping.
//
// A page holds at most 65,535 fingerprints (its uint16 ends; about 67 M
// keys spread evenly over the pages): a page that would hold more is
// marked full, its fingerprints dropped, and it reports every key it
// covers as maybe held (the runs on disk are looked at: slower, still
// exact).
type rowFilter struct {
	pages []filterPage // 1 << rowFilterPageBits; nil until the first add
	keys  int          // keys added (full pages' included)
	// starts holds every page's segment bounds in one array, a page after
	// the other, rowFilterSegs+1 a page: segment seg of page pg is
	// fps[starts[i]:starts[i+1]] with i = pg*(rowFilterSegs+1)+seg (a
	// page's first is 0, the rest are its ends: filterPage.ends is a view
	// of them; all 0 for a page without fingerprints). mayHoldAll reads a
	// key's bounds from here with one load of a line, where reading them
	// through the page (its slice header, then its own ends) waited for
	// two. full[pg] is pages[pg].full.
	starts []uint16
	full   [1 << rowFilterPageBits]bool

	touched uint16 // the sum of mayHoldAll's loads ahead (not used)
}

// filterPage is one page of a rowFilter.
type filterPage struct {
	ends []uint16 // ends[i]: index in fps past segment i's (a view of rowFilter.starts); nil while empty
	fps  []uint16
	full bool
}

const (
	rowFilterPageBits = 10
	rowFilterSegBits  = 9
	rowFilterSegs     = 1 << rowFilterSegBits // segments a page
	rowFilterPageMax  = 1<<16 - 1             // fingerprints a page
)

// rowFilterMix is splitmix64's finaliser.
func rowFilterMix(h uint64) uint64 {
	m := h
	m ^= m >> 30
	m *= 0xbf58476d1ce4e5b9
	m ^= m >> 27
	m *= 0x94d049bb133111eb
	m ^= m >> 31
	return m
}

// place returns the page, the segment and the fingerprint of mixed hash m.
func rowFilterPlace(m uint64) (page, seg int, fp uint16) {
	return int(m >> (64 - rowFilterPageBits)),
		int(m>>(64-rowFilterPageBits-rowFilterSegBits)) & (rowFilterSegs - 1),
		uint16(m)
}

// mayHold reports whether h may have been added (false: it was not).
func (f *rowFilter) mayHold(h uint64) bool {
	if f.pages == nil {
		return false
	}
	pg, seg, fp := rowFilterPlace(rowFilterMix(h))
	p := &f.pages[pg]
	if p.full {
		return true
	}
	if p.ends == nil {
		return false
	}
	start := 0
	if seg > 0 {
		start = int(p.ends[seg-1])
	}
	for _, x := range p.fps[start:p.ends[seg]] {
		if x == fp {
			return true
		}
	}
	return false
}

// mayHoldAll sets maybe[i] to mayHold(hs[i]) for each key (maybe is at
// least as long as hs), rowFilterAhead keys at a time in three passes: the
// first reads each key's segment bounds (f.starts), the second the first and
// last of its fingerprints, the third compares them (from the caches).
// A key misses the same lines as in mayHold, but the loads of the first
// two passes are independent of each other and their loops short, so the
// CPU has many in flight; mayHold's scan of one segment waiting for its
// line filled the CPU's window with a few keys' compares (one key after
// the other: 110-180 CPU ns a key of a 9.8 M-key filter, caches cleared
// between groups of 4 Ki keys; these passes 50-75 ns). The bounds read
// from f.starts, not through the page's header and its own ends:
// BenchmarkRowFilterMayHoldAll 84.9 -> 78.3 CPU ns a key (medians of 6
// alternated pairs, new faster in 5; main 7b88f16).
func (f *rowFilter) mayHoldAll(hs []uint64, maybe []bool) {
	maybe = maybe[:len(hs)]
	if f.pages == nil {
		clear(maybe)
		return
	}
	type segment struct{ pg, lo, hi, fp uint16 }
	var at [rowFilterAhead]segment
	var touched uint16
	starts := f.starts
	for len(hs) > 0 {
		n := min(len(hs), rowFilterAhead)
		for i, h := range hs[:n] {
			pg, seg, fp := rowFilterPlace(rowFilterMix(h))
			b := starts[pg*(rowFilterSegs+1)+seg:]
			at[i] = segment{uint16(pg), b[0], b[1], fp}
			maybe[i] = f.full[pg]
		}
		for i := range n {
			if a := &at[i]; a.lo < a.hi {
				fps := f.pages[a.pg].fps
				touched += fps[a.lo] + fps[a.hi-1]
			}
		}
		for i := range n {
			a := &at[i]
			for _, x := range f.pages[a.pg].fps[a.lo:a.hi] {
				if x == a.fp {
					maybe[i] = true
					break
				}
			}
		}
		hs, maybe = hs[n:], maybe[n:]
	}
	f.touched = touched
}

// rowFilterAhead is the number of keys whose segment bounds mayHoldAll
// reads before their fingerprints.
const rowFilterAhead = 256

// addRun adds the keys of a spilled run: the non-zero entries of hashes.
// scratch, if it is as long as the keys, is overwritten while sorting them
// by page (rowSpill.add passes the run's row numbers, written out by then;
// else 4 bytes a key are allocated). Each page that gets keys merges them
// in place (filterPage.add).
func (f *rowFilter) addRun(hashes []uint64, scratch []uint32) {
	if f.pages == nil {
		f.pages = make([]filterPage, 1<<rowFilterPageBits)
		f.starts = make([]uint16, (1<<rowFilterPageBits)*(rowFilterSegs+1))
	}
	// The new keys as (segment << 16 | fingerprint), grouped by page.
	var start [1<<rowFilterPageBits + 1]int
	n := 0
	for _, h := range hashes {
		if h != 0 {
			pg, _, _ := rowFilterPlace(rowFilterMix(h))
			start[pg+1]++
			n++
		}
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	byPage := scratch
	if len(byPage) < n {
		byPage = make([]uint32, n)
	}
	next := start
	for _, h := range hashes {
		if h != 0 {
			pg, seg, fp := rowFilterPlace(rowFilterMix(h))
			byPage[next[pg]] = uint32(seg)<<16 | uint32(fp)
			next[pg]++
		}
	}
	var sorted []uint32 // a page's new keys sorted by segment
	for pg := range f.pages {
		if add := byPage[start[pg]:start[pg+1]]; len(add) > 0 {
			if cap(sorted) < len(add) {
				sorted = make([]uint32, 2*len(add))
			}
			f.addPage(pg, add, sorted[:len(add)])
		}
	}
	f.keys += n
}

// addPage is filterPage.add of page pg (its ends in f.starts), noting in
// f.full whether the page is full.
func (f *rowFilter) addPage(pg int, add, sorted []uint32) {
	at := pg * (rowFilterSegs + 1)
	f.pages[pg].add(f.starts[at+1:at+rowFilterSegs+1], add, sorted)
	f.full[pg] = f.pages[pg].full
}

// add merges the keys add (segment << 16 | fingerprint) into the page,
// sorted (as long as add) its scratch, ends the page's ends in its
// filter's starts (taken as p.ends by its first keys; zeroed if the page
// becomes full). Segment i's fingerprints stay in
// [ends[i-1], ends[i]) of fps, its old ones first, then the new ones in
// the order given: the new keys are sorted by segment, then merged in
// place from the back, each span of old fingerprints between two new
// keys moved once. A page outgrowing fps gets room for as many more keys
// plus 1/8 of its own: over the 25 spills of a 10 M-row table a page is
// reallocated every two to four spills (88 MB allocated in all), where a
// page rebuilt into new slices at every spill left 255 MB of garbage (and
// 25 MiB of ends, 39 MB of byPage) for collections and page faults on the
// serial stage. BenchmarkRowFilterAddRun, medians of 5 alternated pairs
// (load 8-11): ingest-heap 418 -> 313 CPU ms (5 of 5), alone 573 -> 530
// (4 of 5).
func (p *filterPage) add(ends []uint16, add, sorted []uint32) {
	if p.full {
		return
	}
	old, total := len(p.fps), len(p.fps)+len(add)
	if total > rowFilterPageMax {
		clear(p.ends)
		*p = filterPage{full: true}
		return
	}
	if p.ends == nil {
		p.ends = ends
	}
	var at [rowFilterSegs + 1]uint16 // at[i+1]: new keys of segments <= i
	for _, k := range add {
		at[k>>16+1]++
	}
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	next := at
	for _, k := range add {
		sorted[next[k>>16]] = k
		next[k>>16]++
	}
	fps := p.fps
	if cap(fps) < total {
		fps = make([]uint16, total, total+len(add)+total/8)
		copy(fps, p.fps)
	}
	fps = fps[:total]
	r, w := old, total // old fingerprints [0, r) not yet moved; [w, total) placed
	for j := len(sorted) - 1; j >= 0; j-- {
		k := sorted[j]
		if e := int(p.ends[k>>16]); e < r {
			w -= r - e
			copy(fps[w:], fps[e:r])
			r = e
		}
		w--
		fps[w] = uint16(k)
	}
	for i := range p.ends {
		p.ends[i] += at[i+1]
	}
	p.fps = fps
}
