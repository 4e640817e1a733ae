package sinks

import (
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/zstd"
)

// Parquet's zstd pages are compressed one page at a time (EncodeAll of one
// data or dictionary page, at most about a megabyte: parquet's default page
// size and dictionary page limit). arrow-go's own codec keeps encoders with
// the library's default 8 MiB window, and each encoder's history buffer is
// sized from the window: 16 MiB of heap per pooled encoder (measured: 16 MB
// of a 175 MB live heap in a 1 M-row ingest), for history that a single
// page can never use. pageZstd is arrow-go's codec with encoders whose window
// is pageZstdWindow: the same compressed pages for any page up to the window
// (a match cannot reach further back than the page's start), about 1 MiB of
// history per encoder. Decoding, streaming and bounds are arrow-go's.
//
// Idle encoders are kept on a free list, not in a sync.Pool: a pool is
// emptied by every garbage collection, and under the soft memory limit a
// large ingest collects every 20-50 ms, so pooled encoders were built again
// (history and match tables: megabytes each) for almost every page, which
// fed the collector in turn. Measured on the 10 M-row bench file (CPU
// profile, dee9a77): EncodeAll 24.6 CPU s against 0.86 s at 1 M rows, a
// third of it allocating. The list keeps at most maxIdleEncoders per level.
//
// The codec is registered once, when the package is initialised (arrow-go's
// registry is a process-wide map read without locks, so init is the only
// safe time): every Parquet file this process writes with zstd uses it.

// pageZstdWindow is the window of the page encoders: parquet's default data
// page size and dictionary page size limit (1 MiB). A larger page is still
// compressed correctly, with matches up to this far back.
const pageZstdWindow = 1 << 20

func init() {
	base, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		return // no zstd codec to wrap: arrow-go's registry decides
	}
	full, ok := base.(fullCodec)
	if !ok {
		return
	}
	compress.RegisterCodec(compress.Codecs.Zstd, &pageZstd{fullCodec: full})
}

// fullCodec is what arrow-go's zstd codec implements (encode, decode with
// errors, and streaming for the page reader).
type fullCodec interface {
	compress.Codec
	compress.StreamingCodec
	DecodeWithError(dst, src []byte) ([]byte, error)
}

// pageZstd encodes pages with small-window encoders, one free list per
// level; everything else is the wrapped codec's.
type pageZstd struct {
	fullCodec
	mu   sync.Mutex
	idle map[zstd.EncoderLevel][]*zstd.Encoder
}

// maxIdleEncoders bounds the idle encoders kept per level: the pages being
// compressed at once are at most one per encoding goroutine (one per CPU),
// so twice the CPUs is never short and bounds the memory held (3.7 MB per
// idle encoder after a 512 KiB page at the default level, as
// TestPageZstdSmallHistory logs).
func maxIdleEncoders() int { return 2 * runtime.GOMAXPROCS(0) }

// pageZstdLevel is the level of pages written at arrow-go's default
// compression level (every Parquet file dtm writes: parquet_writer.go sets
// no level): zstd's fastest level, not its default (3). Measured on the
// 1 M-row site_assessment bench input (3 alternated pairs, machine load
// 11-16, medians): 14.97 -> 13.41 CPU s per ingest, the warehouse's
// data 35.42 -> 38.14 MB (+7.7 %). The run is CPU-bound and DuckDB's own
// COPY writes snappy, which is larger still; the files stay zstd (DESIGN).
const pageZstdLevel = zstd.SpeedFastest

// Encode compresses src at the default level (pageZstdLevel).
func (z *pageZstd) Encode(dst, src []byte) []byte {
	return z.EncodeLevel(dst, src, compress.DefaultCompressionLevel)
}

// EncodeLevel compresses src at level (zstd's numbering; arrow-go's
// default level is pageZstdLevel here, not arrow-go's zstd.SpeedDefault).
func (z *pageZstd) EncodeLevel(dst, src []byte, level int) []byte {
	lvl := pageZstdLevel
	if level != compress.DefaultCompressionLevel {
		lvl = zstd.EncoderLevelFromZstd(level)
	}
	enc := z.get(lvl)
	defer z.put(lvl, enc)
	return enc.EncodeAll(src, dst[:0])
}

// get takes an idle encoder of level lvl, or builds one.
func (z *pageZstd) get(lvl zstd.EncoderLevel) *zstd.Encoder {
	z.mu.Lock()
	if l := z.idle[lvl]; len(l) > 0 {
		enc := l[len(l)-1]
		l[len(l)-1] = nil
		z.idle[lvl] = l[:len(l)-1]
		z.mu.Unlock()
		return enc
	}
	z.mu.Unlock()
	// The options of arrow-go's encoders, and the page window. Options are
	// constants: NewWriter cannot fail with them.
	enc, err := zstd.NewWriter(nil, zstd.WithZeroFrames(true), zstd.WithEncoderLevel(lvl),
		zstd.WithEncoderConcurrency(1), zstd.WithAllLitEntropyCompression(true),
		zstd.WithWindowSize(pageZstdWindow))
	if err != nil {
		panic("sinks: zstd page encoder: " + err.Error())
	}
	return enc
}

// put returns enc to the idle list of its level, or drops it when the list
// is full.
func (z *pageZstd) put(lvl zstd.EncoderLevel, enc *zstd.Encoder) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.idle == nil {
		z.idle = map[zstd.EncoderLevel][]*zstd.Encoder{}
	}
	if len(z.idle[lvl]) < maxIdleEncoders() {
		z.idle[lvl] = append(z.idle[lvl], enc)
	}
}
