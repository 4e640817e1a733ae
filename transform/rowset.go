package transform

import "math"

// rowSet is the set behind the duplicate-row check: for each row hash seen
// (the 64-bit rowHash, the row's 8-byte fingerprint), the row number of its
// first occurrence. Its memory is bounded by the recent table plus a filter
// of 2 bytes a key, with no cap on the keys checked:
//
//   - the recent table: an open-addressing table with linear probing in two
//     flat arrays (hashes, and row numbers as uint32: 12 bytes a slot, no
//     pointers for the garbage collector to scan), doubling past 3/4 full
//     up to maxSlots (rowSetRecentSlots: 512 Ki slots, 6 MiB);
//   - when the recent table is full (3/4 of maxSlots keys, 393,216), it is
//     spilled: its image is appended to an unlinked temporary file as one
//     run, its keys enter the filter, and it starts again empty (rowset_spill.go);
//   - the filter (rowFilter) holds a 16-bit fingerprint of every spilled
//     key; a key it does not hold was never spilled (no false negatives),
//     a key it holds is looked up in the runs on disk (from about one row
//     in 40,000 at 1 M rows to one in 3,500 at 10 M, a false alarm costs
//     a read a run).
//
// So a key is held once, in the recent table or in exactly one run, with
// the row of its first occurrence: the answers are those of an unbounded
// in-memory set of the hashes. At 10 M rows the recent table and the
// filter miss every cache (a lookup's lines: its slot, its segment's
// bounds, its fingerprints); firstOrAddAll looks a group of keys up ahead
// so that their misses overlap, then records them in order. Memory: 6 MiB (recent) + 2 bytes per
// spilled key, room for more, + 1 MiB (filter): 9 MB at 1 M rows, 28 MB at 10 M rows (the
// table of 1 Mi slots and power-of-two filter before: 16 and 44 MiB);
// disk: 6 MiB per run (a run per 393,216 keys, 150 MiB at 10 M rows) in
// os.TempDir, removed on exit or when the set is collected.
//
// Hash 0 is stored as 1 (0 marks an empty slot): rows whose hashes are 0
// and 1 are taken for the same row, a chance of 2⁻⁶³. Row numbers outside
// 1..2³²-1 are not recorded (nor checked). If the temporary file cannot be
// written, the recent table goes on growing in memory (the check stays
// exact); if a run cannot be read back, a key held there is missed; either
// way err says so (takeErr). The zero value is an empty set.
type rowSet struct {
	hashes []uint64
	lines  []uint32
	n      int // keys in the recent table
	total  int // keys held, recent and spilled

	// maxSlots bounds the recent table (0: rowSetRecentSlots; a power of
	// two, at least 1024; tests set it small).
	maxSlots int
	spill    *rowSpill // nil until the first spill
	noSpill  bool      // the temporary file failed: grow in memory instead
	err      error     // the first I/O error, until taken
	errLine  int       // the row at which err was met
	errTaken bool
	touched  uint64 // the sum of touchRecent's loads (not used)
}

// rowSetRecentSlots is the size of the recent table when it spills: 512 Ki
// slots of 12 bytes (6 MiB), 393,216 keys a run. (1 Mi slots held 6 MiB
// more all run for half the runs: a key the filter reports is looked for
// in every run until found, one read each.)
const rowSetRecentSlots = 1 << 19

// len is the number of hashes held.
func (s *rowSet) len() int { return s.total }

// firstOrAdd returns the row number recorded for hash h, or records line
// for it and returns 0 (also when line is outside 1..2³²-1, then nothing
// is recorded).
func (s *rowSet) firstOrAdd(h uint64, line int) int {
	if h == 0 {
		h = 1
	}
	return s.add(h, line, filterAsk)
}

// rowSetAhead is the number of keys firstOrAddAll looks up ahead of
// recording them: their lines of the recent table, the filter's segment
// bounds and fingerprints (at most 3 lines a key, 48 KiB in all) stay in
// the caches until the keys are recorded in order.
const rowSetAhead = 256

// firstOrAddAll is firstOrAdd of each hs[i] numbered lines[i], in order,
// with its answer in firsts[i] (the slices are as long as hs).
//
// A key costs the same cache misses as in firstOrAdd (the recent table's
// slot, the filter's segment bounds, then its fingerprints: at 10 M rows
// each misses every cache), but they overlap: for rowSetAhead keys at a
// time it reads their slots of the recent table, then asks the filter for
// all of them (rowFilter.mayHoldAll), and only then records the keys one
// after the other, as firstOrAdd would, with the filter's answers. Those
// answers hold until the recent table spills: its keys enter the filter,
// so the keys after a spill inside the group ask the filter again.
func (s *rowSet) firstOrAddAll(hs []uint64, lines, firsts []int) {
	var keys [rowSetAhead]uint64
	var maybe [rowSetAhead]bool
	for len(hs) > 0 {
		n := min(len(hs), rowSetAhead)
		for i, h := range hs[:n] {
			keys[i] = max(h, 1)
		}
		s.touchRecent(keys[:n])
		runs := -1 // the runs the filter's answers are of (-1: none asked)
		if s.spill != nil {
			runs = len(s.spill.runs)
			s.spill.filter.mayHoldAll(keys[:n], maybe[:n])
		}
		for i, h := range keys[:n] {
			hint := filterAsk
			if runs >= 0 && len(s.spill.runs) == runs {
				hint = filterNo
				if maybe[i] {
					hint = filterMaybe
				}
			}
			firsts[i] = s.add(h, lines[i], hint)
		}
		hs, lines, firsts = hs[n:], lines[n:], firsts[n:]
	}
}

// touchRecent reads the home slot in the recent table of each key, its
// hash and its row number (two arrays, two lines), so that the misses of
// a group of keys overlap (the loads are independent) and add finds the
// slots in the cache: a new key's row number is written where its probe
// ended, most often the home slot. (Reading the hashes alone left add's
// write of the row number a miss a key: BenchmarkRowSet10M/all 2.33 ->
// 2.26 CPU s with both, medians of 10 alternated pairs, new faster in 8.)
func (s *rowSet) touchRecent(keys []uint64) {
	if len(s.hashes) == 0 {
		return
	}
	mask := uint64(len(s.hashes) - 1)
	lines := s.lines[:mask+1]
	var sum uint64
	for _, h := range keys {
		i := rowSetHome(h) & mask
		sum += s.hashes[i] + uint64(lines[i])
	}
	s.touched = sum // kept, so that the loads are not dropped
}

// filterHint is what add knows of the filter's answer for its key.
type filterHint uint8

const (
	filterAsk   filterHint = iota // unknown: ask the filter
	filterNo                      // the filter does not hold the key
	filterMaybe                   // the filter may hold it
)

// add is firstOrAdd of h (non-zero), the filter's answer for h given by
// hint unless it is filterAsk.
func (s *rowSet) add(h uint64, line int, hint filterHint) int {
	if line <= 0 || uint64(line) > math.MaxUint32 {
		return 0
	}
	free := -1 // h's empty slot in the recent table, if it has room
	if len(s.hashes) > 0 {
		mask := uint64(len(s.hashes) - 1)
		i := rowSetHome(h) & mask
		for ; s.hashes[i] != 0; i = (i + 1) & mask {
			if s.hashes[i] == h {
				return int(s.lines[i])
			}
		}
		free = int(i)
	}
	if s.spill != nil && (hint == filterMaybe || hint == filterAsk && s.spill.filter.mayHold(h)) {
		first, err := s.spill.lookup(h)
		if err != nil {
			s.fail(err, line)
		}
		if first != 0 {
			return first
		}
	}
	if 4*(s.n+1) > 3*len(s.hashes) {
		if len(s.hashes) >= s.limit() && !s.noSpill {
			s.spillRecent(line)
		} else {
			s.grow()
		}
		s.insertRecent(h, uint32(line))
	} else { // the probe's slot: one probe a new key, not two
		s.hashes[free], s.lines[free] = h, uint32(line)
		s.n++
	}
	s.total++
	return 0
}

// fail records err, met at row line, if it is the first error.
func (s *rowSet) fail(err error, line int) {
	if s.err == nil {
		s.err, s.errLine = err, line
	}
}

// limit is the size of the recent table at which it spills.
func (s *rowSet) limit() int {
	if s.maxSlots > 0 {
		return max(1024, s.maxSlots)
	}
	return rowSetRecentSlots
}

// insertRecent records h (not held, non-zero) at line; the table has room.
func (s *rowSet) insertRecent(h uint64, line uint32) {
	mask := uint64(len(s.hashes) - 1)
	i := rowSetHome(h) & mask
	for s.hashes[i] != 0 {
		i = (i + 1) & mask
	}
	s.hashes[i], s.lines[i] = h, line
	s.n++
}

// rowSetHome spreads a hash's bits over the low ones (FNV-1a's low bits
// are weaker than its high ones).
func rowSetHome(h uint64) uint64 { return h ^ h>>29 ^ h>>47 }

// grow makes the recent table four times larger (1 Ki slots at first; up
// to its limit, past it only when it cannot spill: then doubling) and
// re-inserts the keys. (Doubling re-inserted every key of the first run
// about twice: 0.05 CPU s of a 1 M-row ingest, on the ordered stage.)
func (s *rowSet) grow() {
	oldH, oldL := s.hashes, s.lines
	size := max(1024, 2*len(oldH))
	if 4*len(oldH) <= s.limit() {
		size = max(1024, 4*len(oldH))
	}
	s.hashes, s.lines = make([]uint64, size), make([]uint32, size)
	s.n = 0
	for k, h := range oldH {
		if h != 0 {
			s.insertRecent(h, oldL[k])
		}
	}
}

// spillRecent writes the recent table as a run and empties it (before
// recording row line); on an I/O error it records err, stops spilling and
// grows the table instead.
func (s *rowSet) spillRecent(line int) {
	if s.spill == nil {
		s.spill = &rowSpill{}
	}
	if err := s.spill.add(s.hashes, s.lines); err != nil {
		s.fail(err, line)
		s.noSpill = true
		s.grow()
		return
	}
	clear(s.hashes)
	clear(s.lines)
	s.n = 0
}

// takeErr returns the set's first I/O error once (nil after, or if none);
// errLine is the row at which it was met.
func (s *rowSet) takeErr() error {
	if s.err == nil || s.errTaken {
		return nil
	}
	s.errTaken = true
	return s.err
}
