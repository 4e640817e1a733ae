package sinks

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/zstd"
)

// pageLike returns n bytes shaped like Parquet pages: runs of repeated
// values, counters and random bytes.
func pageLike(r *rand.Rand, n int) []byte {
	var b bytes.Buffer
	for b.Len() < n {
		switch r.IntN(3) {
		case 0:
			fmt.Fprintf(&b, "site-%06d,", r.IntN(5000))
		case 1:
			b.Write(bytes.Repeat([]byte{byte(r.IntN(4))}, r.IntN(64)))
		default:
			for range r.IntN(32) {
				b.WriteByte(byte(r.Uint32()))
			}
		}
	}
	return b.Bytes()[:n]
}

// TestPageZstdSameBytes: the registered codec compresses a page of up to
// the window exactly as arrow-go's encoder (default 8 MiB window) at the
// page level (pageZstdLevel) does, and
// every page (larger ones too) decodes back.
func TestPageZstdSameBytes(t *testing.T) {
	codec, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := codec.(*pageZstd); !ok {
		t.Fatalf("the zstd codec is %T, not the page codec", codec)
	}
	ref, err := zstd.NewWriter(nil, zstd.WithZeroFrames(true), zstd.WithEncoderLevel(pageZstdLevel),
		zstd.WithEncoderConcurrency(1), zstd.WithAllLitEntropyCompression(true))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 100, 4 << 10, 200 << 10, pageZstdWindow, 3 << 20} {
		src := pageLike(r, n)
		got := codec.EncodeLevel(nil, src, compress.DefaultCompressionLevel)
		if n <= pageZstdWindow {
			if want := ref.EncodeAll(src, nil); !bytes.Equal(got, want) {
				t.Errorf("%d bytes: %d compressed bytes, arrow-go's encoder %d", n, len(got), len(want))
			}
		}
		back, err := compress.Decode(codec, nil, got)
		if err != nil || !bytes.Equal(back, src) {
			t.Errorf("%d bytes: round trip failed (%v)", n, err)
		}
	}
}

// TestPageZstdSmallHistory: a page encoder holds a few MB after a page,
// not the 16 MiB history of arrow-go's 8 MiB-window encoder.
func TestPageZstdSmallHistory(t *testing.T) {
	codec, _ := compress.GetCodec(compress.Codecs.Zstd)
	src := pageLike(rand.New(rand.NewPCG(3, 4)), 512<<10)
	held := func(newEnc func() *zstd.Encoder) int64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&before)
		enc := newEnc()
		enc.EncodeAll(src, nil)
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(enc)
		return int64(after.HeapAlloc) - int64(before.HeapAlloc)
	}
	z := &pageZstd{fullCodec: codec.(*pageZstd).fullCodec}
	page := held(func() *zstd.Encoder { return z.get(zstd.SpeedDefault) })
	wide := held(func() *zstd.Encoder {
		enc, _ := zstd.NewWriter(nil, zstd.WithZeroFrames(true), zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithEncoderConcurrency(1), zstd.WithAllLitEntropyCompression(true))
		return enc
	})
	t.Logf("after one page: page encoder %.1f MB, 8 MiB-window encoder %.1f MB", float64(page)/(1<<20), float64(wide)/(1<<20))
	if page > 6<<20 || page*2 > wide {
		t.Errorf("page encoder holds %d bytes, the 8 MiB-window one %d", page, wide)
	}
}

// TestPageZstdEncodersOutliveGC: an idle page encoder is reused after a
// garbage collection (a sync.Pool would have dropped it), and the idle list
// never holds more than maxIdleEncoders.
func TestPageZstdEncodersOutliveGC(t *testing.T) {
	z := &pageZstd{}
	src := pageLike(rand.New(rand.NewPCG(5, 6)), 64<<10)
	first := z.get(zstd.SpeedDefault)
	first.EncodeAll(src, nil)
	z.put(zstd.SpeedDefault, first)
	runtime.GC()
	runtime.GC()
	if again := z.get(zstd.SpeedDefault); again != first {
		t.Fatal("the idle encoder was not reused after a GC")
	}
	var encs []*zstd.Encoder
	for range maxIdleEncoders() + 3 {
		encs = append(encs, z.get(zstd.SpeedDefault))
	}
	for _, e := range encs {
		z.put(zstd.SpeedDefault, e)
	}
	if n := len(z.idle[zstd.SpeedDefault]); n != maxIdleEncoders() {
		t.Fatalf("idle encoders %d, want the cap %d", n, maxIdleEncoders())
	}
	// Pages still round-trip through the registered codec.
	codec, _ := compress.GetCodec(compress.Codecs.Zstd)
	out, err := codec.(fullCodec).DecodeWithError(nil, codec.Encode(nil, src))
	if err != nil || !bytes.Equal(out, src) {
		t.Fatalf("round trip: %v", err)
	}
}
