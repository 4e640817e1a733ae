package transform

import "math/bits"

// rowFilter tells whether a key may have been spilled by a rowSet: an
// open-addressing table of 16-bit fingerprints with linear probing, a
// power-of-two number of slots kept 3/8 to 3/4 full (2 bytes a slot: 2.7
// to 5.3 bytes a key). The slot comes from the top bits of the mixed hash,
// the fingerprint from its low 16 bits (never 0, which marks an empty
// slot), so the two are independent.
//
// No false negatives: every key added is found. False positives: a key
// not added is reported when a slot of its probe sequence holds its
// fingerprint: about (probe length)/2¹⁶, at 3/4 full (8.5 slots probed on
// average) 1.3·10⁻⁴, at 3/8 full 2·10⁻⁵; each costs a look in the runs on
// disk, not a wrong answer.
type rowFilter struct {
	fps   []uint16
	shift uint // 64 - log2(len(fps))
}

// needs reports whether the filter must grow to hold n keys.
func (f *rowFilter) needs(n int) bool { return 4*n > 3*len(f.fps) }

// reset empties the filter with room for n keys (3/4 full at most).
func (f *rowFilter) reset(n int) {
	size := 1024
	for 4*n > 3*size {
		size *= 2
	}
	f.fps = make([]uint16, size)
	f.shift = uint(64 - bits.TrailingZeros(uint(size)))
}

// slot returns the home slot and the fingerprint of hash h.
func (f *rowFilter) slot(h uint64) (uint64, uint16) {
	// splitmix64's finaliser: every bit of h moves every bit of m.
	m := h
	m ^= m >> 30
	m *= 0xbf58476d1ce4e5b9
	m ^= m >> 27
	m *= 0x94d049bb133111eb
	m ^= m >> 31
	fp := uint16(m)
	if fp == 0 {
		fp = 1
	}
	return m >> f.shift, fp
}

// mayHold reports whether h may have been added (false: it was not).
func (f *rowFilter) mayHold(h uint64) bool {
	if len(f.fps) == 0 {
		return false
	}
	mask := uint64(len(f.fps) - 1)
	i, fp := f.slot(h)
	for {
		switch f.fps[i] {
		case 0:
			return false
		case fp:
			return true
		}
		i = (i + 1) & mask
	}
}

// add adds h; the filter must have room (see needs). A fingerprint already
// in h's probe sequence is not stored twice.
func (f *rowFilter) add(h uint64) {
	mask := uint64(len(f.fps) - 1)
	i, fp := f.slot(h)
	for {
		switch f.fps[i] {
		case 0:
			f.fps[i] = fp
			return
		case fp:
			return
		}
		i = (i + 1) & mask
	}
}
