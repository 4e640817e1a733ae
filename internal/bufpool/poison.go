package bufpool

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// PoisonByte fills every buffer a poisoning pool frees.
const PoisonByte = 0xA5

// defaultQuarantine is the default Options.Quarantine.
const defaultQuarantine = 256 << 20

// maxPoisonErrors bounds the faults a poisoning pool records.
const maxPoisonErrors = 32

// A poisoning pool (Options.Poison) never reuses memory: it finds the
// faults that would make reuse wrong.
//   - Every buffer handed out is tracked by its address until freed; a Free
//     of a buffer not outstanding (a double Free, a sub-slice, a buffer of
//     another allocator) is a fault.
//   - A freed buffer is filled with PoisonByte and kept in a quarantine (up
//     to Options.Quarantine bytes, oldest dropped first): a reader of freed
//     memory sees 0xA5 bytes (the output of a run differs from one on Go's
//     allocator), and a writer of freed memory is found when the buffer
//     leaves the quarantine or at Check.
//   - Reallocate always moves a growing buffer (and frees the old one), as
//     the recycling pool does when the size class is outgrown, so a holder
//     of the old slice reads poison.
type poisoner struct {
	mu         sync.Mutex
	live       map[uintptr]int
	quarantine [][]byte
	qBytes     int
	qMax       int
	faults     []string
	nFaults    int
}

func newPoisoner(quarantine int) *poisoner {
	if quarantine <= 0 {
		quarantine = defaultQuarantine
	}
	return &poisoner{live: map[uintptr]int{}, qMax: quarantine}
}

func addr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

func (z *poisoner) allocate(size int) []byte {
	b := goAllocate(size, size)
	if cap(b) == 0 {
		return b
	}
	z.mu.Lock()
	// An address already live was a buffer dropped without Free (allowed:
	// the garbage collector took it); the new one replaces it.
	z.live[addr(b)] = cap(b)
	z.mu.Unlock()
	return b
}

func (z *poisoner) reallocate(size int, b []byte) []byte {
	if size <= len(b) {
		return b[:size]
	}
	nb := z.allocate(size)
	copy(nb, b)
	if cap(b) > 0 {
		z.free(b)
	}
	return nb
}

func (z *poisoner) free(b []byte) {
	if cap(b) == 0 {
		return
	}
	a := addr(b)
	z.mu.Lock()
	defer z.mu.Unlock()
	n, ok := z.live[a]
	if !ok || n != cap(b) {
		z.fault(fmt.Sprintf("Free of a buffer (%d bytes at %#x) that is not outstanding: freed twice, a sub-slice or not allocated here", cap(b), a), 3)
		return
	}
	delete(z.live, a)
	b = b[:cap(b)]
	for i := range b {
		b[i] = PoisonByte
	}
	z.quarantine = append(z.quarantine, b)
	z.qBytes += len(b)
	for z.qBytes > z.qMax && len(z.quarantine) > 1 {
		old := z.quarantine[0]
		z.quarantine[0] = nil
		z.quarantine = z.quarantine[1:]
		z.qBytes -= len(old)
		z.verify(old)
	}
}

// verify records a fault if q (a quarantined buffer) was written after Free.
func (z *poisoner) verify(q []byte) {
	for i, c := range q {
		if c != PoisonByte {
			z.fault(fmt.Sprintf("buffer of %d bytes at %#x written after Free (byte %d is %#x)", len(q), addr(q), i, c), 0)
			return
		}
	}
}

// fault records msg with the caller's stack (skip frames; 0: none).
func (z *poisoner) fault(msg string, skip int) {
	z.nFaults++
	if len(z.faults) >= maxPoisonErrors {
		return
	}
	if skip > 0 {
		pcs := make([]uintptr, 16)
		n := runtime.Callers(skip+1, pcs)
		frames := runtime.CallersFrames(pcs[:n])
		var sb strings.Builder
		for {
			f, more := frames.Next()
			fmt.Fprintf(&sb, "\n\t%s (%s:%d)", f.Function, f.File, f.Line)
			if !more {
				break
			}
		}
		msg += sb.String()
	}
	z.faults = append(z.faults, msg)
}

// Check verifies the quarantined buffers of a poisoning pool and returns
// every fault found so far (nil if none, or if p does not poison).
func (p *Pool) Check() error {
	z := p.poison
	if z == nil {
		return nil
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	for _, q := range z.quarantine {
		z.verify(q)
	}
	if z.nFaults == 0 {
		return nil
	}
	errs := make([]error, 0, len(z.faults)+1)
	for _, f := range z.faults {
		errs = append(errs, errors.New(f))
	}
	if z.nFaults > len(z.faults) {
		errs = append(errs, fmt.Errorf("and %d more faults", z.nFaults-len(z.faults)))
	}
	return errors.Join(errs...)
}

// Outstanding is the number of buffers a poisoning pool handed out and
// that were not freed (0 if p does not poison). Buffers dropped without
// Free are counted too: Arrow allows it (Go's allocator frees nothing).
func (p *Pool) Outstanding() int {
	z := p.poison
	if z == nil {
		return 0
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	return len(z.live)
}
