package file

import (
	"bytes"
	"math/bits"
	"sync"
)

// scratchList keeps the byte buffers of finished column writers (page
// scratch: the uncompressed concatenation, the compression output, the
// copies of buffered dictionary-encoded pages) for the writers created
// after them, by power-of-two size class. (dtm patch: a column writer is
// created for every row group and every column, and each grew its buffers
// from nothing to the page size: 1.3 GB of a 10 M-row ingest's 6.5 GB of
// allocations.) A free list, not a sync.Pool, so that a garbage collection
// does not empty it; at most maxBytes of capacity are kept.
type scratchList struct {
	mu       sync.Mutex
	classes  [40][][]byte
	bytes    int
	maxBytes int
}

var scratch = &scratchList{maxBytes: 16 << 20}

// classOf is the class of a buffer of capacity c: every buffer of class k
// has a capacity of at least 1<<k.
func classOf(c int) int { return bits.Len(uint(c)) - 1 }

// get returns an empty buffer of capacity n at least.
func (l *scratchList) get(n int) []byte {
	if n <= 0 {
		return nil
	}
	k := bits.Len(uint(n - 1)) // 1<<k >= n
	if k >= len(l.classes) {
		return make([]byte, 0, n)
	}
	l.mu.Lock()
	for c := k; c < len(l.classes) && c <= k+1; c++ {
		if s := l.classes[c]; len(s) > 0 {
			b := s[len(s)-1]
			s[len(s)-1] = nil
			l.classes[c] = s[:len(s)-1]
			l.bytes -= cap(b)
			l.mu.Unlock()
			return b[:0]
		}
	}
	l.mu.Unlock()
	return make([]byte, 0, 1<<k)
}

// put keeps b for a later get, if the bound allows.
func (l *scratchList) put(b []byte) {
	c := cap(b)
	if c < 1024 {
		return
	}
	k := classOf(c)
	if k >= len(l.classes) {
		return
	}
	l.mu.Lock()
	if l.bytes+c <= l.maxBytes {
		l.classes[k] = append(l.classes[k], b[:0])
		l.bytes += c
	}
	l.mu.Unlock()
}

// ensure makes buf (empty) able to hold n bytes without growing, taking
// a buffer from the list and giving back the one it had.
func (l *scratchList) ensure(buf *bytes.Buffer, n int) {
	buf.Reset()
	if buf.Cap() >= n {
		return
	}
	old := buf.Bytes()
	*buf = *bytes.NewBuffer(l.get(n))
	l.put(old)
}

// release gives buf's memory back to the list and leaves it empty.
func (l *scratchList) release(buf *bytes.Buffer) {
	if buf == nil {
		return
	}
	buf.Reset()
	old := buf.Bytes()
	*buf = bytes.Buffer{}
	l.put(old)
}
