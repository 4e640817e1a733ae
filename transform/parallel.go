package transform

import (
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// Data-parallel conversion. A table's rows come in numbered chunks; the
// first chunk is converted by the table's own Converter (the parent), which
// decides what the first rows decide (personal-data notices, each date
// column's order, the plan). Later chunks are converted by workers made
// with Fork, one per goroutine, and each converted chunk is handed back as
// a Chunk that the parent absorbs (Absorb) strictly in chunk order. What
// depends on the order of the rows is done or merged there:
//
//   - the duplicate-row check: a worker records each candidate row's hash
//     and where its warning would go; Absorb checks them against the
//     parent's set in row order, so the first occurrence wins as in a serial
//     run, and inserts the warnings at the same place in the rejects;
//   - counts, headline reconciliation, totals rows, the last data row and
//     the file-level p-code checks are summed or appended in order.
//
// So the rejects, counts, notes and reconciliation of a table converted in
// chunks by any number of workers are those of one serial Converter, and
// the rows of each partition come in the same order (the caller writes the
// chunks' records in chunk order). Under DuplicatesDrop a duplicate row is
// dropped, which a worker cannot know; Parallel reports false and the
// caller converts serially.

// Chunk is the result of converting one chunk of rows with a worker: its
// rejects in row order (duplicate-row warnings still to come from Absorb),
// its records (one per partition, sorted by partition; the receiver must
// Release them) and the row-order state Absorb merges.
type Chunk struct {
	Rejects []schemas.Reject
	Records []PartRecord

	stats        Stats
	recon        []Reconciliation
	totals       []totalsRow
	lastDataLine int
	pcodeFile    pcodeFileChecks
	dups         []dupCandidate
}

// dupsFreeSlices bounds the dups slices kept for reuse: enough for the
// chunks in flight (a slice per chunk of 4 Ki rows is 96 KiB; allocated
// afresh for each chunk they were 25 MB of a 1 M-row ingest).
const dupsFreeSlices = 16

// dupCandidate is a row that reached the duplicate-row check in a worker:
// its row number, its hash and the index in the chunk's rejects where its
// warning goes.
type dupCandidate struct {
	line, at int
	hash     uint64
}

// Parallel reports whether the table may be converted in chunks by
// workers: not under DuplicatesDrop (see above).
func (c *Converter) Parallel() bool { return c.opts.Duplicates != DuplicatesDrop }

// Fork returns a worker for converting chunks on another goroutine. Call it
// after the parent has converted the first chunk. The worker shares what is
// fixed once the first chunk is converted (mapping, fields, rules, date
// orders, p-code book, pseudonymizer); it has its own value slots, caches,
// builders and row-order state. Fork copies the Converter and then resets
// the per-row state: a field added to Converter is shared by default, so a
// field written while converting rows must be reset here too.
func (c *Converter) Fork() *Converter {
	if c.dupsFree == nil && c.seen != nil {
		c.dupsFree = make(chan []dupCandidate, dupsFreeSlices)
	}
	w := new(Converter)
	*w = *c
	// The mapping is final, but its population and p-code caches
	// (populationRouting) are written while rows are converted: each worker
	// has its own (the race detector caught workers writing the parent's).
	wm := *c.m
	wm.routing = populationRouting{}
	w.m = &wm
	w.vals = make([]value, len(c.fields))
	w.parts = newPartitionSet(c.m.Dataset, c.opts.Allocator)
	w.parts.hintsFrom(c.parts)
	w.seen = nil
	w.deferDups = c.seen != nil
	w.dups = nil
	w.stats = Stats{}
	w.plan = nil
	w.vocab = make(vocabCache, len(c.fields))
	w.lists = make(listCache, len(c.fields))
	w.memo = convMemo{}
	w.totalsMemo = totalsMemo{}
	w.trace = nil
	w.cellBuf, w.rowErrCols = nil, nil
	w.rowCtx = rowContext{}
	w.recon = make([]reconMeasure, len(c.recon))
	for i, m := range c.recon {
		w.recon[i] = reconMeasure{col: m.col, slot: m.slot, header: m.header}
	}
	w.totals, w.lastDataLine = nil, 0
	w.pcodeFile = pcodeFileChecks{gen: c.pcodeFile.gen + 1}
	w.notes = nil
	w.finished = false
	w.ext.started = true // the parent's first chunk gave the notices
	return w
}

// ConvertChunk converts the rows of one chunk with a worker (see Fork) and
// returns everything the parent's Absorb needs, leaving the worker ready
// for the next chunk.
func (c *Converter) ConvertChunk(rows []ingest.Row) *Chunk {
	if c.deferDups && c.dups == nil {
		select {
		case d := <-c.dupsFree:
			c.dups = d
		default:
		}
	}
	rj := c.Convert(rows)
	ch := &Chunk{Rejects: rj, Records: c.parts.drain(1, 0), stats: c.stats,
		totals: c.totals, lastDataLine: c.lastDataLine, pcodeFile: c.pcodeFile.takeChunk(), dups: c.dups}
	ch.recon = make([]Reconciliation, len(c.recon))
	for i := range c.recon {
		ch.recon[i] = c.recon[i].out
		c.recon[i].out = Reconciliation{}
	}
	c.stats, c.totals, c.lastDataLine, c.dups = Stats{}, nil, 0, nil
	return ch
}

// Absorb merges a worker's chunk into the parent, in chunk order: the
// duplicate-row check of its rows (warnings inserted into ch.Rejects),
// counts, reconciliation, totals rows and p-code file checks. It returns
// the chunk's rejects, complete.
func (c *Converter) Absorb(ch *Chunk) []schemas.Reject {
	out := ch.Rejects
	if len(ch.dups) > 0 && c.seen != nil {
		var warned []schemas.Reject
		next := 0 // index in out of the next reject not yet copied
		var hs [rowSetAhead]uint64
		var lines, firsts [rowSetAhead]int
		for rest := ch.dups; len(rest) > 0; { // rowSetAhead rows at a time
			group := rest[:min(len(rest), rowSetAhead)]
			rest = rest[len(group):]
			for i, d := range group {
				hs[i], lines[i] = d.hash, d.line
			}
			c.duplicatesOf(hs[:len(group)], lines[:len(group)], firsts[:len(group)])
			for i, d := range group {
				first := firsts[i]
				if first == 0 {
					continue
				}
				rc := rowContext{file: c.prov.File, sheet: c.prov.Sheet, line: d.line}
				c.duplicateReject(first, &rc)
				if warned == nil {
					warned = make([]schemas.Reject, 0, len(out)+len(ch.dups))
				}
				warned = append(warned, out[next:d.at]...)
				next = d.at
				for _, rj := range rc.rejects {
					if rj.Severity == schemas.SeverityWarning {
						c.stats.Warnings++
					}
					warned = append(warned, rj)
				}
			}
		}
		if warned != nil {
			out = append(warned, out[next:]...)
		}
	}
	if ch.dups != nil {
		select { // for a worker's next chunk
		case c.dupsFree <- ch.dups[:0]:
		default:
		}
		ch.dups = nil
	}
	c.stats = addStats(c.stats, ch.stats)
	for i := range c.recon {
		c.recon[i].out.Add(ch.recon[i])
	}
	c.totals = append(c.totals, ch.totals...)
	if ch.lastDataLine > 0 {
		c.lastDataLine = ch.lastDataLine
	}
	c.pcodeFile.merge(&ch.pcodeFile)
	return out
}

// addStats sums two counts.
func addStats(a, b Stats) Stats {
	return Stats{RowsIn: a.RowsIn + b.RowsIn, RowsWritten: a.RowsWritten + b.RowsWritten,
		RowsRejected: a.RowsRejected + b.RowsRejected, Warnings: a.Warnings + b.Warnings}
}

// Add sums the running counts of b into r: in file, written, dropped and
// its parts, unusable cells and the split by reject code. The figure's
// names, column and file total stay r's (callers merging tables of one
// input handle those).
func (r *Reconciliation) Add(b Reconciliation) {
	r.InFile += b.InFile
	r.Written += b.Written
	r.Dropped += b.Dropped
	r.RowsDropped += b.RowsDropped
	r.CellsEmptied += b.CellsEmptied
	r.UnusableCells += b.UnusableCells
	for code, n := range b.ByCode {
		if r.ByCode == nil {
			r.ByCode = map[string]int64{}
		}
		r.ByCode[code] += n
	}
}

// merge appends the rows noted in q (a later chunk) to p, as if p had
// noted them itself after its own, within the same bounds. A chunk's code
// costs a lookup the first time its worker hands it out (pcodeSrc).
func (p *pcodeFileChecks) merge(q *pcodeFileChecks) {
	var dst []*pcodeNames
	if q.src != nil {
		dst = q.src.dst
	}
	for _, qe := range q.order {
		var e *pcodeNames
		if q.src != nil && qe.id >= 0 && qe.id < len(dst) {
			e = dst[qe.id]
		}
		if e == nil {
			if e = p.names.find(qe.level, qe.code); e == nil {
				if p.names.n >= pcodeFileMaxCodes {
					continue
				}
				e = &pcodeNames{code: qe.code, header: qe.header, level: qe.level}
				p.names.add(e)
				p.order = append(p.order, e)
			}
			if q.src != nil && qe.id >= 0 {
				if qe.id >= len(dst) {
					dst = append(dst, make([]*pcodeNames, qe.id+1-len(dst))...)
				}
				dst[qe.id] = e
			}
		}
		for j := range qe.names {
			qn := &qe.names[j]
			i := 0
			for i < len(e.names) && e.names[i].key != qn.key {
				i++
			}
			if i == len(e.names) {
				if i > 0 {
					p.epoch++ // e's names may move
				}
				e.names = append(e.names, pcodeNameRows{name: qn.name, key: qn.key})
			}
			e.names[i].appendFrom(qn)
		}
	}
	if q.src != nil {
		q.src.dst = dst
		if q.bufs.ents != nil {
			q.src.give(q.bufs) // q's findings are p's now
			q.bufs, q.order = pcodeChunkBufs{}, nil
		}
	}
	for i := range p.nested {
		p.nested[i] += q.nested[i]
		p.notNest[i] += q.notNest[i]
	}
	if room := pcodeFileMaxLines*4 - len(p.odd); room > 0 {
		p.odd = append(p.odd, q.odd[:min(room, len(q.odd))]...)
	}
}
