package transform

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// Duplicate-row policies (Options.Duplicates, the job's `duplicates:` key
// and `dtm ingest --duplicates`).
const (
	// DuplicatesKeep keeps a row identical to an earlier one, with a
	// duplicate-row warning: published DTM files hold aggregated rows that
	// repeat, and their published totals count every one (the default).
	DuplicatesKeep = "keep"
	// DuplicatesDrop drops such a row (a duplicate-row error).
	DuplicatesDrop = "drop"
)

// ParseDuplicates checks a duplicate-row policy ("" means keep).
func ParseDuplicates(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", DuplicatesKeep:
		return DuplicatesKeep, nil
	case DuplicatesDrop:
		return DuplicatesDrop, nil
	}
	return "", fmt.Errorf("duplicates: %q is not keep or drop", s)
}

// checkDuplicate flags a row identical to an earlier row of the table in
// EVERY source column, mapped or not (cells compared trimmed; trailing
// empty cells ignored). Rows that differ in any column, even one dtm does
// not read, are different rows. The row is kept with a warning, or dropped
// under DuplicatesDrop. Re-ingesting the same file is not a duplicate: the
// ledger replaces the input's rows.
//
// Rows are compared by their 64-bit fingerprint (rowHash), every row of
// the table, with no cap (rowSet: about 9 MB at 1 M rows, 28 MB at 10 M,
// the rest on disk). Two different rows share a fingerprint with a
// chance of 2⁻⁶⁴, so a table of n distinct rows holds such a pair with a
// chance of about n²/2⁶⁵: 3·10⁻⁸ at 1 M rows, 3·10⁻⁶ at 10 M. Such a pair
// would make the later row a false duplicate: under keep, a wrong
// duplicate-row warning naming the earlier row (the row is written);
// under drop, the row dropped with a duplicate-row error in the rejects
// (never silently). The rows' text is not kept to confirm a match.
func (c *Converter) checkDuplicate(r ingest.Row, rc *rowContext) {
	c.checkDuplicateHash(rowHash(r.Cells), r.Line, rc)
}

// checkDuplicateHash is checkDuplicate of a row of the given hash (a
// worker's candidate, checked in row order by Absorb).
func (c *Converter) checkDuplicateHash(k uint64, line int, rc *rowContext) {
	if first := c.duplicateOf(k, line); first != 0 {
		c.duplicateReject(first, rc)
	}
}

// duplicateOf returns the row of the first occurrence of a row of hash k
// numbered line, 0 when it is the first (then recorded).
func (c *Converter) duplicateOf(k uint64, line int) int {
	first := c.seen.firstOrAdd(k, line)
	c.noteSetErr()
	return first
}

// duplicatesOf is duplicateOf of each hs[i] numbered lines[i], in order,
// its answer in firsts[i] (rowSet.firstOrAddAll: the keys' lookups
// overlap).
func (c *Converter) duplicatesOf(hs []uint64, lines, firsts []int) {
	c.seen.firstOrAddAll(hs, lines, firsts)
	c.noteSetErr()
}

// noteSetErr notes the duplicate-row set's I/O error, once.
func (c *Converter) noteSetErr() {
	if err := c.seen.takeErr(); err != nil {
		c.notes = append(c.notes, fmt.Sprintf("the duplicate-row check could not use its temporary file from row %d on (%v): it kept its rows in memory, or missed duplicates of the rows it could not read back", c.seen.errLine, err))
	}
}

// duplicateReject reports on rc a row identical to row first.
func (c *Converter) duplicateReject(first int, rc *rowContext) {
	if c.opts.Duplicates == DuplicatesDrop {
		rc.errorf("", "", schemas.CodeDuplicateRow,
			"row is identical to row %d in every column; dropped (the source says duplicates: drop)", first)
		return
	}
	rc.warnf("", "", schemas.CodeDuplicateRow,
		"row is identical to row %d in every column; kept and counted (published DTM totals count repeated aggregated rows); if it is a copy by mistake, remove it from the source or set duplicates: drop", first)
}

// rowHash is a 64-bit hash of the trimmed cells of a row, trailing empty
// cells left out: a cell is one to three words of its length in the top
// byte over its first bytes (byte i at bits 8i), then the rest of its
// bytes eight at a time and its last one to seven as one word: a cell
// shorter than 8 bytes is one word (the empty cell is 0), a cell of 8 to
// 254 bytes its first 7 in the first word, a longer one a word of 255 in
// the top byte alone, then a word of its length, then its bytes; so the
// words of a row tell its cells apart (the top byte of a cell's first
// word tells how many words follow it). The words are mixed as in
// MurmurHash3, alternately into two lanes (words 0, 2, 4, ... into the
// first, 1, 3, 5, ... into the second: each word's mix waits only for the
// word before the last, two chains of multiplications in flight instead
// of one), the second lane mixed into the first as a last word, and the
// result finalised with fmix64, so every bit of it depends on every input
// bit (the duplicate set takes slots and fingerprints from different
// bits). It is not stored: only rows of one run are compared.
// (Byte-at-a-time FNV-1a cost 0.25 CPU s of a 1 M-row ingest; a word for
// the length of every cell, 40 % more words; one lane, with the check of
// a cell's ends a call (trimCell is not inlined): 177 CPU ns a row of
// BenchmarkRowHash, median of 6 pairs; two lanes, the check inlined: 160.
// A word for the length of every cell of 8 bytes or more, 39 words a
// bench row instead of 32, and a long cell's tail read by tailWord, 99.4
// CPU ns a row against 94.2 now: medians of 11 alternated pairs, new
// faster in 9.)
// A cell whose first and last bytes are printable ASCII is its own trim
// (TestRowHashIsReference).
func rowHash(cells []string) uint64 {
	n := len(cells)
	for n > 0 && trimCell(cells[n-1]) == "" {
		n--
	}
	h := laneHash{a: 0x9e3779b97f4a7c15, b: 0x6a09e667f3bcc909}
	for _, s := range cells[:n] {
		if len(s) > 0 && !ownTrim(s) {
			s = strings.TrimSpace(s)
		}
		b := unsafe.Slice(unsafe.StringData(s), len(s))
		if len(b) < 8 {
			h.mix(uint64(len(b))<<56 | tailWord(b))
			continue
		}
		last := binary.LittleEndian.Uint64(b[len(b)-8:]) // the cell's last eight bytes
		if len(b) < rowHashLongCell {
			h.mix(uint64(len(b))<<56 | binary.LittleEndian.Uint64(b)&(1<<56-1))
			b = b[7:]
		} else {
			h.mix(rowHashLongCell << 56)
			h.mix(uint64(len(b)))
		}
		// The cell's last len(b)%8 bytes as a word: its last eight bytes
		// shifted down, without tailWord's branches on the tail's length.
		tail := last >> (64 - 8*(len(b)%8))
		for len(b) >= 8 {
			h.mix(binary.LittleEndian.Uint64(b))
			b = b[8:]
		}
		if len(b) > 0 {
			h.mix(tail)
		}
	}
	return fmix64(hashMix(h.a, h.b) ^ uint64(n))
}

// rowHashLongCell is the length from which a cell's length is a word of
// its own in rowHash (the top byte of its first word).
const rowHashLongCell = 255

// laneHash is rowHash's state: words go alternately to lanes a and b (a
// first), then swap so that the next word goes to the other lane.
type laneHash struct{ a, b uint64 }

// mix mixes w into lane a and makes b the next word's lane.
func (h *laneHash) mix(w uint64) { h.a, h.b = h.b, hashMix(h.a, w) }

// tailWord is the 0 to 7 bytes of b as a little-endian word (byte i at
// bits 8i; two overlapping loads, whose shared bytes OR to themselves),
// without a loop over the bytes.
func tailWord(b []byte) uint64 {
	switch n := len(b); {
	case n >= 4:
		return uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint32(b[n-4:]))<<(8*(n-4))
	case n >= 2:
		return uint64(binary.LittleEndian.Uint16(b)) | uint64(binary.LittleEndian.Uint16(b[n-2:]))<<(8*(n-2))
	case n == 1:
		return uint64(b[0])
	}
	return 0
}

// trimCell is strings.TrimSpace(s), without the call when s starts and
// ends with printable ASCII (ownTrim).
func trimCell(s string) string {
	if len(s) > 0 && ownTrim(s) {
		return s
	}
	return strings.TrimSpace(s)
}

// ownTrim reports whether s (not empty) starts and ends with printable
// ASCII, so that it is its own strings.TrimSpace (no Unicode space is a
// byte above ' ' and below utf8.RuneSelf). Inlined where trimCell is not
// (it calls TrimSpace).
func ownTrim(s string) bool {
	// c in ' '+1 .. utf8.RuneSelf-1 as one unsigned comparison a byte.
	// (Both ends in one comparison of the larger, max(...) < span: 95 ->
	// 124 CPU ns a row of BenchmarkRowHash, 6 alternated pairs.)
	const lo, span = ' ' + 1, utf8.RuneSelf - ' ' - 1
	return s[0]-lo < span && s[len(s)-1]-lo < span
}

// hashMix mixes the word w into the hash k (MurmurHash3's x64 body step).
func hashMix(k, w uint64) uint64 {
	const c1, c2 = 0x87c37b91114253d5, 0x4cf5ad432745937f
	w *= c1
	w = bits.RotateLeft64(w, 31)
	w *= c2
	k ^= w
	k = bits.RotateLeft64(k, 27)
	return k*5 + 0x52dce729
}

// fmix64 is MurmurHash3's finaliser: each output bit depends on every
// input bit.
func fmix64(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}
