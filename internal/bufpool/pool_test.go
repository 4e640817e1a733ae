package bufpool

import (
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

var _ memory.Allocator = (*Pool)(nil)

// TestClasses: every class is a multiple of 64 bytes (the multiples below
// 256, then at most 25% over the one before), classOf finds each class by
// its size and by one byte over the class before, and the classes start
// at MinSize.
func TestClasses(t *testing.T) {
	for _, min := range []int{64, 128, 256, 4096} {
		p := New(Options{MinSize: min, MaxSize: 1 << 20})
		prev := 0
		for i := range p.classes {
			c := &p.classes[i]
			if c.size <= prev || c.size%alignment != 0 {
				t.Fatalf("min %d class %d: size %d after %d", min, i, c.size, prev)
			}
			if got := p.classOf(c.size); got != i {
				t.Fatalf("min %d: classOf(%d) = %d, want %d", min, c.size, got, i)
			}
			if prev > 0 {
				if got := p.classOf(prev + 1); got != i {
					t.Fatalf("min %d: classOf(%d) = %d, want %d", min, prev+1, got, i)
				}
			}
			if prev > 0 && c.size > max(prev+prev/4, prev+alignment) {
				t.Fatalf("min %d class %d: %d is more than 25%% (or 64 bytes) over %d", min, i, c.size, prev)
			}
			prev = c.size
		}
		if p.classes[0].size != min || p.max != 1<<20 {
			t.Fatalf("min %d: classes %d..%d", min, p.classes[0].size, p.max)
		}
	}
	if p := New(Options{}); p.classes[0].size != 64 || p.classes[3].size != 256 || p.classes[4].size != 320 {
		t.Fatalf("default classes start %d, %d, %d", p.classes[0].size, p.classes[3].size, p.classes[4].size)
	}
}

func aligned(b []byte) bool { return uintptr(unsafe.Pointer(unsafe.SliceData(b)))%alignment == 0 }

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func TestReuseZeroedAligned(t *testing.T) {
	p := New(Options{})
	for _, size := range []int{0, 1, 100, 4095, 4096, 5000, 1 << 20, 3<<20 + 7, 65 << 20} {
		b := p.Allocate(size)
		if len(b) != size || !aligned(b) || !allZero(b) {
			t.Fatalf("Allocate(%d): len %d aligned %v zero %v", size, len(b), aligned(b), allZero(b))
		}
		for i := range b {
			b[i] = 0xff
		}
		p.Free(b)
		c := p.Allocate(size)
		if len(c) != size || !aligned(c) || !allZero(c[:cap(c)]) {
			t.Fatalf("Allocate(%d) after Free: len %d aligned %v zero %v", size, len(c), aligned(c), allZero(c[:cap(c)]))
		}
		pooled := size >= DefaultMinSize && size <= DefaultMaxSize
		if same := size > 0 && &b[0] == &c[0]; same != pooled {
			t.Fatalf("Allocate(%d) after Free: reused %v, pooled %v", size, same, pooled)
		}
		p.Free(c)
	}
	s := p.Stats()
	if s.Hits != 7 || s.Misses != 5 { // 4095 and 4096 bytes share a class
		t.Fatalf("stats %+v, want 7 hits and 5 misses", s)
	}
}

func TestReallocate(t *testing.T) {
	p := New(Options{})
	b := p.Allocate(4500) // the 5 KiB class
	for i := range b {
		b[i] = byte(i)
	}
	b = p.Reallocate(100, b)  // shrink in place
	b = p.Reallocate(5000, b) // regrow within the 5 KiB class: zeroes what it adds
	if len(b) != 5000 || b[99] != 99 || !allZero(b[100:]) {
		t.Fatalf("regrown in place: len %d, b[99] %d, tail zero %v", len(b), b[99], allZero(b[100:]))
	}
	old := b
	b = p.Reallocate(1<<20, b) // moves; the old one is free
	if b[99] != 99 || !allZero(b[100:]) || p.Stats().Frees != 1 {
		t.Fatalf("moved: b[99] %d, tail zero %v, stats %+v", b[99], allZero(b[100:]), p.Stats())
	}
	if c := p.Allocate(5000); &c[0] != &old[0] || !allZero(c) {
		t.Fatal("the buffer Reallocate moved from is not reused zeroed")
	}
}

func TestBounds(t *testing.T) {
	p := New(Options{MaxIdleBytes: 1 << 20})
	var bufs [][]byte
	for range 24 {
		bufs = append(bufs, p.Allocate(64<<10))
	}
	for _, b := range bufs {
		p.Free(b)
	}
	// 16 buffers of 64 KiB fill the bound; each later one evicts the
	// least recently freed.
	if s := p.Stats(); s.IdleBytes != 1<<20 || s.Frees != 24 || s.Evicted != 8 || s.Dropped != 0 {
		t.Fatalf("bound: %+v", s)
	}
	if b := p.Allocate(64 << 10); &b[0] != &bufs[23][0] {
		t.Fatal("not the most recently freed buffer")
	}
	for _, size := range []int{128 << 10, 192 << 10, 320 << 10, 640 << 10} {
		p.Free(p.Allocate(size))
	}
	if s := p.Stats(); s.IdleBytes > 1<<20 {
		t.Fatalf("idle %d over the 1 MiB bound: %+v", s.IdleBytes, s)
	}
	p.Free(make([]byte, 5000)) // not of a class: dropped
	p.Free(make([]byte, 40))   // below MinSize: ignored
	if c := p.Allocate(5000); cap(c) != 5120 {
		t.Fatalf("cap %d, want the 5 KiB class", cap(c))
	}
	big := New(Options{MaxIdleBytes: 1 << 20})
	big.Free(big.Allocate(2 << 20)) // larger than the bound: dropped
	if s := big.Stats(); s.Dropped != 1 || s.IdleBytes != 0 {
		t.Fatalf("a buffer larger than the bound: %+v", s)
	}
}

// TestEvictsLeastRecentlyFreed: a buffer of a class used once does not
// stay idle for ever while the classes in use miss (the bound of a quarter
// per class, the new buffer dropped at the bound, did that).
func TestEvictsLeastRecentlyFreed(t *testing.T) {
	p := New(Options{MaxIdleBytes: 1 << 20})
	once := p.Allocate(320 << 10) // a class used once, early
	p.Free(once)
	for range 50 { // a row group's buffers: allocated, then freed together
		var bufs [][]byte
		for range 12 {
			bufs = append(bufs, p.Allocate(64<<10))
		}
		for _, b := range bufs {
			p.Free(b)
		}
	}
	s := p.Stats()
	if s.Misses != 13 { // the first round's and the one of 320 KiB
		t.Fatalf("misses %d, want 13: %+v (classes %+v)", s.Misses, s, p.ClassStats())
	}
	if s.Evicted != 1 || s.IdleBytes != 12*64<<10 {
		t.Fatalf("the 320 KiB buffer is not the one evicted: %+v", s)
	}
	cs := p.ClassStats()
	if len(cs) != 2 || cs[1].Size != 320<<10 || cs[1].Dropped != 1 || cs[1].Idle != 0 || cs[0].Misses != 12 {
		t.Fatalf("class stats %+v", cs)
	}
}

func TestConcurrent(t *testing.T) {
	p := New(Options{})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				size := 4096 << ((g + i) % 6)
				b := p.Allocate(size)
				if !allZero(b) {
					t.Error("a buffer handed out is not zeroed")
					return
				}
				for j := range b {
					b[j] = byte(g)
				}
				b = p.Reallocate(size+size/2, b)
				for j := range b[:size] {
					if b[j] != byte(g) {
						t.Errorf("goroutine %d sees %d: a buffer handed out twice", g, b[j])
						return
					}
				}
				p.Free(b)
			}
		}()
	}
	wg.Wait()
	if s := p.Stats(); s.Hits == 0 || s.IdleBytes > DefaultMaxIdleBytes {
		t.Fatalf("stats %+v", s)
	}
}

// TestArrowBuilders builds arrays with the pool as Arrow does in an
// ingest and checks the values and that the pool recycles.
func TestArrowBuilders(t *testing.T) {
	p := New(Options{})
	for round := range 3 {
		b := array.NewInt64Builder(p)
		sb := array.NewStringBuilder(p)
		for i := range 100_000 {
			if i%7 == 0 {
				b.AppendNull()
				sb.AppendNull()
				continue
			}
			b.Append(int64(i))
			sb.Append("v" + strings.Repeat("x", i%5))
		}
		ints, strs := b.NewInt64Array(), sb.NewStringArray()
		b.Release()
		sb.Release()
		for i := range 100_000 {
			if ints.IsNull(i) != (i%7 == 0) || strs.IsNull(i) != (i%7 == 0) {
				t.Fatalf("round %d row %d: nulls wrong", round, i)
			}
			if i%7 != 0 && (ints.Value(i) != int64(i) || strs.Value(i) != "v"+strings.Repeat("x", i%5)) {
				t.Fatalf("round %d row %d: %d %q", round, i, ints.Value(i), strs.Value(i))
			}
		}
		ints.Release()
		strs.Release()
	}
	if s := p.Stats(); s.Hits == 0 {
		t.Fatalf("no reuse: %+v", s)
	}
}

func TestPoisonFindsFaults(t *testing.T) {
	p := New(Options{Poison: true, Quarantine: 1 << 20})
	b := p.Allocate(10_000)
	b[0] = 1
	p.Free(b)
	if b[0] != PoisonByte || b[9999] != PoisonByte {
		t.Fatal("a freed buffer is not poisoned")
	}
	if err := p.Check(); err != nil {
		t.Fatalf("no fault yet: %v", err)
	}
	p.Free(b) // double Free
	c := p.Allocate(100)
	c[50] = 7
	p.Free(c)
	c[50] = 8 // written after Free
	g := p.Allocate(5000)
	g = p.Reallocate(6000, g) // moves: the old buffer is poisoned
	p.Free(g)
	p.Free(make([]byte, 64)) // not allocated here
	err := p.Check()
	if err == nil {
		t.Fatal("Check found nothing")
	}
	msg := err.Error()
	for _, want := range []string{"not outstanding", "written after Free", "TestPoisonFindsFaults"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Check does not say %q:\n%s", want, msg)
		}
	}
	if n := strings.Count(msg, "not outstanding"); n != 2 {
		t.Errorf("%d Free faults, want 2:\n%s", n, msg)
	}
	if p.Outstanding() != 0 {
		t.Errorf("%d outstanding", p.Outstanding())
	}
}

func TestPoisonQuarantineBound(t *testing.T) {
	p := New(Options{Poison: true, Quarantine: 64 << 10})
	var bufs [][]byte
	for range 10 {
		bufs = append(bufs, p.Allocate(16<<10))
	}
	for _, b := range bufs {
		p.Free(b)
	}
	bufs[0][5] = 1 // left the quarantine already: not seen
	bufs[9][5] = 1 // still in it: found
	err := p.Check()
	if err == nil || strings.Count(err.Error(), "written after Free") != 1 || p.poison.qBytes > 64<<10 {
		t.Fatalf("quarantine %d bytes, faults: %v", p.poison.qBytes, err)
	}
}
