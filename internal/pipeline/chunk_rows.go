package pipeline

import (
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/bufpool"
)

// rowRecycler is a reader whose rows can be made of recycled memory
// (ingest/csv: Reader.RecycleRows): the rows of one Next call stay valid
// until the calls-th later call.
type rowRecycler interface {
	RecycleRows(calls int, poison bool)
}

// recycleRows returns the chunkFuncs.recycle of a table read by rd: when
// rd can recycle its rows, the chunked pipeline tells it after how many
// reads a chunk's memory is free again (runChunks: chunkTokens, the chunks
// in flight). It poisons the recycled memory when the run's allocator is a
// poisoning bufpool (tests, --allocator poison). nil when rd cannot.
//
// Every string of a chunk's rows must then be copied by whoever keeps it
// past the chunk's staging: the converters' dictionaries, memos, p-code
// checks and duplicate set, and the rejects (rejectWriter.addAll) do.
func recycleRows(rd ingest.Reader, cfg Config) func(calls int) {
	if f, ok := rd.(*firstRead); ok {
		rd = f.Reader
	}
	rr, ok := rd.(rowRecycler)
	if !ok {
		return nil
	}
	pool, _ := cfg.Allocator.(*bufpool.Pool)
	poison := pool.Poisoning()
	return func(calls int) { rr.RecycleRows(calls, poison) }
}
