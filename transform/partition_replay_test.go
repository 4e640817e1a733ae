package transform

import (
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

// AppendReplay holds the converted values of rows, as Convert hands them
// to its partition set, to measure partitionSet.append alone
// (BenchmarkPartitionAppend): the rows' values (strings of a dictionary
// column still carrying their intern numbers) and partitions.
type AppendReplay struct {
	c     *Converter
	vals  [][]value // rows of one slab (slices of it, in order)
	parts []Partition
}

// NewAppendReplay converts rows with c twice: once as Convert does (its
// records released), which fills the cell memos and intern tables, then
// row by row keeping the values and partition of the first keep rows
// written (of the first one's partition only when one is set). c must be
// new; the replay uses its partition set.
func NewAppendReplay(c *Converter, rows []ingest.Row, keep int, one bool) *AppendReplay {
	c.Convert(rows)
	for _, r := range c.Drain(true) {
		r.Record.Release()
	}
	ar := &AppendReplay{c: c}
	slab := make([]value, 0, keep*len(c.vals))
	rc := &c.rowCtx
	for _, r := range rows {
		*rc = rowContext{file: c.prov.File, line: r.Line, rejects: rc.rejects[:0]}
		c.convertRow(r, rc)
		if rc.dropped || (one && len(ar.parts) > 0 && c.partitionOf() != ar.parts[0]) {
			continue
		}
		if len(ar.vals) == keep {
			break
		}
		at := len(slab)
		slab = slab[:at+len(c.vals)]
		vals := slab[at:]
		for i, v := range c.vals {
			if v.sid == 0 {
				v.s = strings.Clone(v.s) // a string of the row's own (not a memo's) may be a reused buffer
			}
			v.list = append([]string(nil), v.list...)
			v.sadd = append([]SADDCell(nil), v.sadd...)
			vals[i] = v
		}
		ar.vals = append(ar.vals, vals)
		ar.parts = append(ar.parts, c.partitionOf())
	}
	return ar
}

// Rows is the number of rows replayed.
func (ar *AppendReplay) Rows() int { return len(ar.vals) }

// Run appends total rows, the replay's rows over and over, to the
// converter's partition set in calls of chunk rows, draining after each as
// Convert's caller does, and releases the records.
func (ar *AppendReplay) Run(total, chunk int) {
	ps, c := ar.c.parts, ar.c
	k := 0
	for i := 0; i < total; i += chunk {
		end := min(total, i+chunk)
		ps.expect(end - i)
		for range end - i {
			ps.append(c.fields, ar.vals[k], ar.parts[k], false)
			if k++; k == len(ar.vals) {
				k = 0
			}
		}
		for _, r := range ps.drain(c.opts.BatchRows, c.opts.MaxBufferedRows) {
			r.Record.Release()
		}
	}
	for _, r := range ps.drain(1, 0) {
		r.Record.Release()
	}
}
