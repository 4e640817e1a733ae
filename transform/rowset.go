package transform

// rowSet is the compact set behind the duplicate-row check: for each row
// hash seen (the 64-bit rowHash, the row's 8-byte fingerprint), the row
// number of its first occurrence.
//
// It is an open-addressing table with linear probing, in two flat arrays
// (hashes, and row numbers as uint32): 12 bytes a slot, no pointers for the
// garbage collector to scan, and no per-entry overhead; it doubles past 3/4
// full, so it takes 16 to 32 bytes a key (a map[uint64]int takes about 36
// and is scanned by the GC): 25 MB at 1 M rows, 48 MB at maxDuplicateKeys.
// Hash 0 is stored as 1 (0 marks an empty slot): rows whose hashes are 0
// and 1 are taken for the same row, a chance of 2⁻⁶³.
//
// Row numbers above 2³²-1 are not recorded (nor checked), like the rows
// past maxDuplicateKeys. The zero value is an empty set.
type rowSet struct {
	hashes []uint64
	lines  []uint32
	n      int
}

// len is the number of hashes held.
func (s *rowSet) len() int { return s.n }

// firstOrAdd returns the row number recorded for hash h, or records line
// for it and returns 0 (also when line is outside 1..2³²-1, then nothing
// is recorded).
func (s *rowSet) firstOrAdd(h uint64, line int) int {
	if line <= 0 || uint64(line) > 1<<32-1 {
		return 0
	}
	if h == 0 {
		h = 1
	}
	if 4*(s.n+1) > 3*len(s.hashes) {
		s.grow()
	}
	mask := uint64(len(s.hashes) - 1)
	for i := rowSetHome(h) & mask; ; i = (i + 1) & mask {
		switch s.hashes[i] {
		case 0:
			s.hashes[i], s.lines[i] = h, uint32(line)
			s.n++
			return 0
		case h:
			return int(s.lines[i])
		}
	}
}

// rowSetHome spreads a hash's bits over the low ones (FNV-1a's low bits
// are weaker than its high ones).
func rowSetHome(h uint64) uint64 { return h ^ h>>29 ^ h>>47 }

// grow doubles the table (1 Ki slots at first) and re-inserts the keys.
func (s *rowSet) grow() {
	oldH, oldL := s.hashes, s.lines
	size := max(1024, 2*len(oldH))
	s.hashes, s.lines = make([]uint64, size), make([]uint32, size)
	mask := uint64(size - 1)
	for k, h := range oldH {
		if h == 0 {
			continue
		}
		i := rowSetHome(h) & mask
		for s.hashes[i] != 0 {
			i = (i + 1) & mask
		}
		s.hashes[i], s.lines[i] = h, oldL[k]
	}
}
