package transform

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
)

// rowSpill holds the keys a rowSet has spilled: runs on disk, each the
// image of a full recent table (slots hashes of 8 bytes, then slots row
// numbers of 4 bytes, little-endian, so a key is found by probing from its
// home slot as in memory), and a filter of every spilled key in memory.
//
// The runs go to one temporary file in os.TempDir, unlinked as soon as it
// is made where the system allows it (else removed when the set is
// collected), so nothing is left behind by a killed process.
type rowSpill struct {
	f      *os.File
	runs   []int64 // offset of each run in f
	slots  int     // slots of every run (a power of two)
	keys   int     // keys spilled
	filter rowFilter
	hot    map[uint64]uint32 // keys found in the runs lately (true duplicates repeat)
	buf    []byte
}

// rowSpillHot bounds the hot map (it is emptied when full).
const rowSpillHot = 1 << 16

// rowSpillWindow is the number of hashes read at a time when probing a run.
const rowSpillWindow = 64

// spillFile is what the cleanup of a rowSpill closes and removes.
type spillFile struct {
	f    *os.File
	path string // "" when already unlinked
}

func (sf spillFile) close() {
	_ = sf.f.Close()
	if sf.path != "" {
		_ = os.Remove(sf.path)
	}
}

// open makes the temporary file.
func (p *rowSpill) open() error {
	f, err := os.CreateTemp("", "dtm-duplicates-*.bin")
	if err != nil {
		return fmt.Errorf("duplicate-row check: temporary file: %w", err)
	}
	sf := spillFile{f: f, path: f.Name()}
	if os.Remove(sf.path) == nil {
		sf.path = ""
	}
	p.f = f
	runtime.AddCleanup(p, spillFile.close, sf)
	return nil
}

// add appends the recent table (hashes, lines) as a run and puts its keys
// in the filter (lines is overwritten then: the caller empties the table).
func (p *rowSpill) add(hashes []uint64, lines []uint32) error {
	if p.f == nil {
		if err := p.open(); err != nil {
			return err
		}
	}
	if p.slots == 0 {
		p.slots = len(hashes)
	}
	if len(hashes) != p.slots || len(lines) != p.slots {
		return fmt.Errorf("duplicate-row check: a run of %d slots among runs of %d", len(hashes), p.slots)
	}
	off := int64(len(p.runs)) * int64(p.slots) * 12
	if err := p.write(off, hashes, lines); err != nil {
		return err
	}
	p.filter.addRun(hashes, lines)
	p.runs = append(p.runs, off)
	p.keys = p.filter.keys
	return nil
}

// write writes one run at off.
func (p *rowSpill) write(off int64, hashes []uint64, lines []uint32) error {
	if len(p.buf) < 8*rowSpillWindow*64 {
		p.buf = make([]byte, 8*rowSpillWindow*64) // 32 KiB
	}
	off, err := writeWords(p, off, hashes, binary.LittleEndian.AppendUint64)
	if err != nil {
		return err
	}
	_, err = writeWords(p, off, lines, binary.LittleEndian.AppendUint32)
	return err
}

// writeWords writes vs at off as little-endian words (put appends one),
// through p's buffer, and returns the offset after them.
func writeWords[T uint32 | uint64](p *rowSpill, off int64, vs []T, put func([]byte, T) []byte) (int64, error) {
	size := binary.Size(T(0))
	for i := 0; i < len(vs); {
		b := p.buf[:0]
		for ; i < len(vs) && len(b)+size <= len(p.buf); i++ {
			b = put(b, vs[i])
		}
		if _, err := p.f.WriteAt(b, off); err != nil {
			return off, fmt.Errorf("duplicate-row check: write: %w", err)
		}
		off += int64(len(b))
	}
	return off, nil
}

// lookup returns the row recorded for h in the runs (0 if none).
func (p *rowSpill) lookup(h uint64) (int, error) {
	if l, ok := p.hot[h]; ok {
		return int(l), nil
	}
	for r := range p.runs {
		l, err := p.find(r, h)
		if err != nil || l != 0 {
			if l != 0 {
				if p.hot == nil || len(p.hot) >= rowSpillHot {
					p.hot = make(map[uint64]uint32)
				}
				p.hot[h] = l
			}
			return int(l), err
		}
	}
	return 0, nil
}

// find probes run r for h from its home slot, a window at a time.
func (p *rowSpill) find(r int, h uint64) (uint32, error) {
	off := p.runs[r]
	mask := p.slots - 1
	i := int(rowSetHome(h)) & mask
	var w [8 * rowSpillWindow]byte
	for seen := 0; seen < p.slots; {
		n := min(rowSpillWindow, p.slots-i)
		b := w[:8*n]
		if _, err := p.f.ReadAt(b, off+8*int64(i)); err != nil {
			return 0, fmt.Errorf("duplicate-row check: read: %w", err)
		}
		for j := 0; j < n; j++ {
			switch binary.LittleEndian.Uint64(b[8*j:]) {
			case 0:
				return 0, nil
			case h:
				var l [4]byte
				if _, err := p.f.ReadAt(l[:], off+8*int64(p.slots)+4*int64(i+j)); err != nil {
					return 0, fmt.Errorf("duplicate-row check: read: %w", err)
				}
				return binary.LittleEndian.Uint32(l[:]), nil
			}
		}
		seen += n
		i = (i + n) & mask
	}
	return 0, errors.New("duplicate-row check: a run without an empty slot")
}
