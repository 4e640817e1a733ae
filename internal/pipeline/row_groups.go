package pipeline

import "github.com/iom-dtm/dtm/sinks"

// rowGroups decides where the buffered row groups of one input's part files
// end (the chunked ingest appends each chunk's records to its file's open
// row group: sinks.ParquetFile.WriteBuffered). An open row group costs its
// encoded pages, dictionaries and page buffers until it is closed, about
// 260 bytes a row of a site assessment (measured: 8.4 MB for a 32 Ki-row
// group), and every part file holds one: an input spanning six partitions
// held 50 MB of open row groups, one spanning a hundred would hold 800 MB.
// So a row group ends when it reaches groupRows rows, or earlier, once it
// holds minRows, when the rows buffered across the input's files exceed
// maxOpen: the files receiving rows close theirs in turn, and the open rows
// stay about maxOpen whatever the number of partitions. An input with one
// partition (the usual DTM file) gets row groups of groupRows rows.
//
// The decisions depend only on the sequence of records (chunk order), so
// a run's row groups are reproducible; the rows and their order do not
// depend on them at all.
//
// groupRows stays Config.RecordRows' default, 32 Ki rows, though DuckDB
// writes 122 880 and its files are smaller. Measured (issue 15, 1 M-row
// synth site CSV, `dtm ingest`, 3 rounds of 32/64/128 Ki alternated on a
// shared 2-core machine, medians): CPU 12.8 / 13.7 / 19.6 s, peak RSS 257
// / 255 / 241 MB, Parquet files 35.4 / 33.4 / 32.0 MB. 128 Ki costs half
// as much CPU again (system time 1.2 -> 4 s: larger buffers under the soft
// memory limit) and 64 Ki saves 5.6 % of the files for no CPU gain and an
// RSS over the ~250 MB the issue allows.
type rowGroups struct {
	groupRows, minRows, maxOpen int64
	open                        map[*sinks.ParquetFile]int64
	total                       int64
}

func newRowGroups(groupRows, maxOpen int64) *rowGroups {
	return &rowGroups{groupRows: groupRows, minRows: max(groupRows/8, 1), maxOpen: max(maxOpen, groupRows),
		open: map[*sinks.ParquetFile]int64{}}
}

// next counts a record of n rows for pf and reports whether it starts a
// new row group (the open one is closed first).
func (g *rowGroups) next(pf *sinks.ParquetFile, n int64) bool {
	cur := g.open[pf]
	newGroup := cur > 0 && (cur >= g.groupRows || (g.total+n > g.maxOpen && cur >= g.minRows))
	if newGroup {
		g.total -= cur
		cur = 0
	}
	g.open[pf] = cur + n
	g.total += n
	return newGroup
}

// closed forgets pf, closed with its open row group.
func (g *rowGroups) closed(pf *sinks.ParquetFile) {
	g.total -= g.open[pf]
	delete(g.open, pf)
}
