// Package bufpool is a recycling Arrow allocator (arrow/memory.Allocator)
// for one ingest run: buffers freed by Arrow's builders, arrays and Parquet
// encoders are kept in size classes and handed out again, so a run
// allocates less fresh heap and the garbage collector runs less often.
//
// Contract:
//   - Requests below Options.MinSize (default 64 bytes) and above
//     Options.MaxSize (default 64 MiB) go straight to Go's allocator and
//     are never reused; the others are rounded up to a size class: the
//     multiples of 64 bytes below 256 (64, 128, 192), then the powers of
//     two from 256 bytes, each split in four steps (at most 25% slack).
//     (A MinSize of 4 KiB left the column buffers of the converters'
//     records of a chunk, a few hundred rows of a partition: bitmaps of
//     ~100 bytes, int32 values of ~3 KiB, to Go's allocator: in a 1 M-row
//     site ingest 141 k requests, 78 MB, half of the pool's part of the
//     run's allocation.)
//   - A buffer is reused only after Free: whoever calls Free (or Reallocate,
//     which frees the old buffer when it moves) asserts that nothing reads
//     or writes it any more. A buffer not allocated here is ignored by Free
//     (its capacity is no size class, or it is dropped as surplus).
//   - Every buffer is handed out zeroed and 64-byte aligned, as
//     memory.GoAllocator hands it out; Reallocate zeroes the bytes it adds.
//   - Idle buffers are bounded: at most Options.MaxIdleBytes in all
//     (default 8 MiB). A buffer freed over the bound evicts the least
//     recently freed idle buffers of any class (left to the garbage
//     collector) to make room; a buffer larger than the bound is dropped.
//     Idle buffers are plain live memory (no sync.Pool, which every GC
//     empties): they count in the heap and the soft memory limit.
//     (A bound of a quarter per class, the new buffer dropped when the
//     total was reached, kept buffers of classes used once in the run
//     idle for ever while the classes of every row group missed: a 1 M-row
//     site ingest missed 7,324 of 36,462 requests, 229 MB, with the 64 and
//     128 KiB classes dropping nearly every buffer freed.)
//   - A double Free is not detected in the normal mode: the buffer would be
//     handed out twice. Options.Poison (tests) detects it, and use after
//     Free: see poison.go.
//   - A Pool is safe for concurrent use (one mutex: an ingest makes tens of
//     thousands of requests, not millions).
package bufpool

import (
	"math/bits"
	"sync"
	"unsafe"
)

// Options bound a Pool; zero values take the defaults.
type Options struct {
	// MinSize is the smallest request that is pooled and the smallest
	// size class (default 64 bytes; a power of two, at least 64).
	MinSize int
	// MaxSize is the largest request that is pooled (default 64 MiB).
	MaxSize int
	// MaxIdleBytes bounds the bytes of idle buffers kept for reuse
	// (default 8 MiB); the least recently freed are evicted first.
	MaxIdleBytes int
	// Poison makes the pool a use-after-free detector for tests instead of
	// a recycler: see poison.go.
	Poison bool
	// Quarantine is the bytes of freed buffers a poisoning pool keeps
	// (filled with PoisonByte) before it checks and drops them (default
	// 256 MiB).
	Quarantine int
}

// Defaults of Options.
const (
	DefaultMinSize      = 64
	DefaultMaxSize      = 64 << 20
	DefaultMaxIdleBytes = 8 << 20
	// stepsLog2 splits each power of two from stepsFrom bytes in
	// 1<<stepsLog2 classes; the classes below stepsFrom are the multiples
	// of alignment (every class is one: buffers are 64-byte aligned).
	stepsLog2 = 2
	stepsFrom = 256
	alignment = 64
)

// Stats are a Pool's counters since New.
type Stats struct {
	// Hits are pooled requests served from an idle buffer, Misses those
	// that allocated (requests outside the pooled sizes are neither).
	Hits, Misses int64
	// Frees are buffers kept for reuse; Dropped those freed larger than
	// the bound (or not of a class) and left to the garbage collector;
	// Evicted idle buffers left to it to make room for newer ones.
	Frees, Dropped, Evicted int64
	// IdleBytes are the bytes of the idle buffers now.
	IdleBytes int64
}

// Pool is a recycling memory.Allocator (see the package comment).
type Pool struct {
	min, max int
	// small is the number of classes below stepsFrom (multiples of
	// alignment from min); base, of shift baseShift, is the first class
	// split in steps (the larger of min and stepsFrom).
	small     int
	base      int
	baseShift int
	maxIdle   int64

	mu      sync.Mutex // guards the rest but poison
	classes []class
	idle    int64  // bytes of idle buffers
	clock   uint64 // numbers the frees, for eviction
	// The counters of Stats.
	hits, misses, frees, dropped, evicted int64

	poison *poisoner
}

// class holds the idle buffers of one size: free[head:], least recently
// freed first.
type class struct {
	size int
	free []idleBuf
	head int

	misses, dropped int64 // ClassStats
}

// idleBuf is an idle buffer and when it was freed (Pool.clock).
type idleBuf struct {
	b  []byte
	at uint64
}

// New returns an empty pool bounded by o.
func New(o Options) *Pool {
	if o.MinSize <= 0 {
		o.MinSize = DefaultMinSize
	}
	if o.MinSize < alignment || o.MinSize&(o.MinSize-1) != 0 {
		o.MinSize = DefaultMinSize
	}
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.MaxSize < o.MinSize {
		o.MaxSize = o.MinSize
	}
	if o.MaxIdleBytes <= 0 {
		o.MaxIdleBytes = DefaultMaxIdleBytes
	}
	p := &Pool{min: o.MinSize, max: o.MaxSize, base: max(o.MinSize, stepsFrom),
		maxIdle: int64(o.MaxIdleBytes)}
	p.baseShift = bits.TrailingZeros(uint(p.base))
	p.small = (p.base - p.min) / alignment
	for i := 0; ; i++ {
		s := p.classSize(i)
		p.classes = append(p.classes, class{size: s})
		if s >= o.MaxSize {
			break
		}
	}
	p.max = p.classes[len(p.classes)-1].size
	if o.Poison {
		p.poison = newPoisoner(o.Quarantine)
	}
	return p
}

// classSize is the size of class i: MinSize + 64 × i below the stepped
// classes, then base << (j/steps) × (1 + (j%steps)/steps) for the j-th
// stepped class.
func (p *Pool) classSize(i int) int {
	const steps = 1 << stepsLog2
	if i < p.small {
		return p.min + i*alignment
	}
	i -= p.small
	base := p.base << (i >> stepsLog2)
	return base + base/steps*(i&(steps-1))
}

// classOf is the smallest class holding size bytes (MinSize <= size <= max).
func (p *Pool) classOf(size int) int {
	const steps = 1 << stepsLog2
	if size < p.base {
		return (size - p.min + alignment - 1) / alignment
	}
	// k: the power of two at or below size, relative to base.
	k := bits.Len(uint(size)) - 1 - p.baseShift
	base := p.base << k
	step := base / steps
	j := (size - base + step - 1) / step // 0..steps
	return p.small + k<<stepsLog2 + j
}

// Allocate returns a zeroed, 64-byte aligned buffer of size bytes.
func (p *Pool) Allocate(size int) []byte {
	if size < 0 {
		panic("bufpool: negative size")
	}
	if p.poison != nil {
		return p.poison.allocate(size)
	}
	if size < p.min || size > p.max {
		return goAllocate(size, size)
	}
	p.mu.Lock()
	c := &p.classes[p.classOf(size)]
	if n := len(c.free); n > c.head {
		b := c.free[n-1].b
		c.free[n-1] = idleBuf{}
		c.free = c.free[:n-1]
		if len(c.free) == c.head {
			c.free, c.head = c.free[:0], 0
		}
		p.idle -= int64(cap(b))
		p.hits++
		p.mu.Unlock()
		clear(b[:size])
		return b[:size]
	}
	c.misses++
	p.misses++
	size2 := c.size
	p.mu.Unlock()
	return goAllocate(size, size2)[:size]
}

// Reallocate returns a buffer of size bytes holding b's first bytes: b
// itself when its capacity allows (the bytes added are zeroed), else a new
// buffer, b being freed.
func (p *Pool) Reallocate(size int, b []byte) []byte {
	if size < 0 {
		panic("bufpool: negative size")
	}
	if p.poison != nil {
		return p.poison.reallocate(size, b)
	}
	if cap(b) >= size {
		if size > len(b) {
			clear(b[len(b):size])
		}
		return b[:size]
	}
	nb := p.Allocate(size)
	copy(nb, b)
	p.Free(b)
	return nb
}

// Free keeps b for reuse if it is of a size class and the bounds allow.
func (p *Pool) Free(b []byte) {
	if p.poison != nil {
		p.poison.free(b)
		return
	}
	n := cap(b)
	if n < p.min || n > p.max {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	c := &p.classes[p.classOf(n)]
	if c.size != n || uintptr(unsafe.Pointer(unsafe.SliceData(b)))%alignment != 0 || int64(n) > p.maxIdle {
		c.dropped++
		p.dropped++
		return
	}
	for p.idle+int64(n) > p.maxIdle {
		p.evictOldest()
	}
	p.clock++
	c.free = append(c.free, idleBuf{b: b[:n], at: p.clock})
	p.idle += int64(n)
	p.frees++
}

// evictOldest leaves the least recently freed idle buffer to the garbage
// collector (p.mu held; some buffer is idle).
func (p *Pool) evictOldest() {
	var oldest *class
	for i := range p.classes {
		c := &p.classes[i]
		if c.head < len(c.free) && (oldest == nil || c.free[c.head].at < oldest.free[oldest.head].at) {
			oldest = c
		}
	}
	oldest.free[oldest.head] = idleBuf{}
	oldest.head++
	oldest.dropped++
	p.idle -= int64(oldest.size)
	p.evicted++
	switch {
	case oldest.head == len(oldest.free):
		oldest.free, oldest.head = oldest.free[:0], 0
	case oldest.head >= 16 && 2*oldest.head >= len(oldest.free):
		k := copy(oldest.free, oldest.free[oldest.head:])
		clear(oldest.free[k:])
		oldest.free, oldest.head = oldest.free[:k], 0
	}
}

// Stats returns the pool's counters.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Hits: p.hits, Misses: p.misses, Frees: p.frees, Dropped: p.dropped,
		Evicted: p.evicted, IdleBytes: p.idle}
}

// ClassStats are the counters of one size class: its requests that
// missed, its buffers dropped or evicted, and how many are idle now.
type ClassStats struct {
	Size            int
	Misses, Dropped int64
	Idle            int
}

// ClassStats returns the counters of the classes that missed or dropped a
// buffer, smallest first (to tune the bounds: --allocator's debug log).
func (p *Pool) ClassStats() []ClassStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []ClassStats
	for i := range p.classes {
		c := &p.classes[i]
		if c.misses > 0 || c.dropped > 0 {
			out = append(out, ClassStats{Size: c.size, Misses: c.misses, Dropped: c.dropped, Idle: len(c.free) - c.head})
		}
	}
	return out
}

// goAllocate returns a zeroed 64-byte aligned slice of length size and
// capacity capacity from Go's heap. Go's size classes from 1 KiB up and its
// large objects (pages) are 64-byte aligned already; others are padded.
func goAllocate(size, capacity int) []byte {
	b := make([]byte, capacity)
	if uintptr(unsafe.Pointer(unsafe.SliceData(b)))%alignment == 0 {
		return b[:size:capacity]
	}
	b = make([]byte, capacity+alignment)
	shift := int(-uintptr(unsafe.Pointer(unsafe.SliceData(b))) % alignment)
	return b[shift : shift+size : shift+capacity]
}

// Poisoning reports whether p is a poisoning pool (Options.Poison), so that
// other recycled memory of the run can be poisoned with it.
func (p *Pool) Poisoning() bool { return p != nil && p.poison != nil }
