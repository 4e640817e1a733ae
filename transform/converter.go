package transform

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// Provenance identifies where the rows of a converter come from.
type Provenance struct {
	File   string // path or name as ingested
	FileID string // sha256 hex of the file's bytes
	Sheet  string
	RunID  string
}

// Options carries the run-level defaults and shared state of a conversion.
type Options struct {
	// Country is the ISO3 code used when a row has none (job or --country).
	Country string
	// Operation is the DTM operation used when a row has none.
	Operation string
	// Direction is the flow direction ("incoming" or "outgoing") of flow
	// rows whose direction no column gives (no direction column, or an
	// empty cell): the table's ingest.Header.DirectionHint, from a sheet
	// named Entry/Exit. A direction cell that is not empty wins.
	Direction string
	// Pcodes, when set, checks p-codes across all files of a run.
	Pcodes *PcodeBook
	// Pseudonymizer, when set, turns respondent ids into keyed pseudonyms.
	Pseudonymizer *Pseudonymizer
	// BatchRows is the number of rows per Arrow record (default 64 Ki).
	BatchRows int
	// Allocator allocates the Arrow builders and the records Drain returns
	// (nil: memory.DefaultAllocator). Tests pass a checked allocator and
	// assert that nothing is outstanding once every record is released.
	Allocator memory.Allocator
	// Duplicates is the policy for rows identical in every column to an
	// earlier row: DuplicatesKeep (the default, with a warning) or
	// DuplicatesDrop.
	Duplicates string
	// MaxBufferedRows bounds the rows held in Arrow builders across all
	// partitions (default 2 × BatchRows): past it, Drain also returns the
	// largest partitions' records early, so that memory does not grow with
	// the number of partitions a file spans.
	MaxBufferedRows int
	// Rules are the dataset kinds' own rules (nil: DefaultRules()).
	Rules *RuleRegistry
}

// Converter casts and validates the rows of one table into partitioned
// Arrow records. It is not safe for concurrent use.
type Converter struct {
	m      *Mapping
	prov   Provenance
	opts   Options
	fields []schemas.Field // stored fields, in schema order
	slot   map[string]int  // field name -> index in fields
	rules  Rules
	parts  *partitionSet
	vals   []value
	seen   *rowSet // the duplicate-row check's rows (nil: no check)
	stats  Stats
	ext    converterExt // dataset rules' state (personal.go)
	// plan lists, per mapped column, the slot its cast goes to, built at
	// the first Convert (after protectFirstBatch has dropped the columns
	// whose values are personal data). It spares map lookups per cell.
	plan []castStep
	// saddCols are the indexes in m.Columns of the SADD band columns
	// (castSADD), listed with the plan.
	saddCols []int
	// pcodeLevels are checkPcodes' levels, for the list pcodeLevelsFor
	// (rules_site.go).
	pcodeLevels    []pcodeLevel
	pcodeLevelsFor []string
	// required are the slots of the required fields, in schema order.
	required []int
	// provSlot holds the slots of the provenance fields (setProvenance).
	provSlot [5]int
	// countrySlot and partSlot are the slots of country_iso3 and of the
	// partition field (-1 if not stored); partKind is the latter's kind.
	countrySlot, partSlot int
	partKind              schemas.Kind
	vocab                 vocabCache
	lists                 listCache  // per-slot multi-valued cell splits (cast_field.go)
	memo                  convMemo   // per-code and per-label caches (memo.go)
	totalsMemo            totalsMemo // isTotalsRow's caches (totals_row.go)
	// refs caches the slot and column of the field names the rules use
	// (field_refs.go).
	refs fieldRefs
	// trace, when not nil (tests only), records every field name the
	// rules ask for (get, raw), so a test can check each is in the schema.
	trace map[string]bool
	// colAt maps a source column index to its m.Columns entry (-1: none).
	colAt []int
	// rowCtx is the row being converted, kept so that its rejects buffer
	// is reused (Convert copies the rejects out after each row).
	rowCtx rowContext
	// cellBuf holds a row's cells with its error cells emptied, and
	// rowErrCols their indexes (cell_faults.go).
	cellBuf    []string
	rowErrCols []int
	// valsReset is set when vals are reset already: the row before was
	// appended by Convert (partitionSet.append resets the values it reads,
	// sparing convertRow a pass of its own over a site row's 45 values).
	valsReset bool
	// recon are the headline figures (reconcile.go); totals the file's own
	// totals rows and lastDataLine the last row with data (totals_row.go).
	recon        []reconMeasure
	totals       []totalsRow
	lastDataLine int
	// pcodeFile collects the p-code checks judged per file (pcode_file.go).
	pcodeFile pcodeFileChecks
	// notes are file-level remarks for the run results (Notes).
	notes    []string
	finished bool
	// dateCols is the order of each date column's numeric dates, by value
	// slot, decided on the first batch (cast_date_order.go).
	dateCols map[int]*dateColumn
	// deferDups is set on a worker (Fork): the duplicate-row check is left
	// to the parent's Absorb, dups collecting the candidate rows; outLen is
	// the length of Convert's rejects before the current row (parallel.go).
	deferDups bool
	dups      []dupCandidate
	outLen    int
	// dupsFree returns Absorb's used dups slices to the workers (shared by
	// the parent and its forks; parallel.go).
	dupsFree chan []dupCandidate
}

// castStep is one column to cast: the index in Mapping.Columns and the
// value slot of its field, the index of its cells in a row (the column's
// Index, kept here: a site row's cast read a Mapping column per cell
// only for it, 0.2 of 52.1 CPU s of a 10 M-row ingest), and the column's
// cell memo (cell_memo.go; nil for the kinds not remembered).
type castStep struct {
	col, slot, cell int
	memo            *cellMemo
}

// Stats counts what a converter did with its input rows.
type Stats struct {
	RowsIn       int `json:"rows_in"`
	RowsWritten  int `json:"rows_written"`
	RowsRejected int `json:"rows_rejected"`
	Warnings     int `json:"warnings"`
}

// NewConverter prepares the conversion of one table mapped by m. The
// mapping must be final: Refine, when used, runs before (the converter
// keeps slots, column indexes and reconciled columns from m).
func NewConverter(m *Mapping, prov Provenance, opts Options) *Converter {
	if opts.BatchRows <= 0 {
		opts.BatchRows = 64 * 1024
	}
	if opts.MaxBufferedRows <= 0 {
		opts.MaxBufferedRows = 2 * opts.BatchRows
	}
	ds := m.Dataset
	fields := ds.StoredFields()
	c := &Converter{
		m: m, prov: prov, opts: opts, fields: fields,
		slot:  make(map[string]int, len(fields)),
		rules: rulesOf(opts.Rules, ds.Name),
		vals:  make([]value, len(fields)),
		parts: newPartitionSet(ds, opts.Allocator),
	}
	for i, f := range fields {
		c.slot[f.Name] = i
		if f.Required {
			c.required = append(c.required, i)
		}
	}
	c.parts.maxRows = opts.BatchRows
	if c.rules.Dedupe {
		c.seen = &rowSet{}
	}
	c.precomputeSlots()
	c.buildColumnIndex()
	c.prepareReconciliation()
	c.prepare()
	return c
}

// Stats returns the counts so far.
func (c *Converter) Stats() Stats { return c.stats }

// Convert casts and validates rows, keeping the good ones for Drain, and
// returns the rejects (errors and warnings) of these rows. A row with an
// error-severity reject is dropped (not written); warnings keep it. The
// converter's values (get) are then the last row's.
func (c *Converter) Convert(rows []ingest.Row) []schemas.Reject {
	out := c.protectFirstBatch(rows)
	if c.plan == nil {
		c.buildPlan() // once, after the first batch's personal-data check
	}
	if len(rows) > 0 {
		c.decideDateOrders(rows)
	}
	c.parts.expect(len(rows))
	if c.deferDups {
		c.dups = slices.Grow(c.dups, len(rows))
	}
	rc := &c.rowCtx
	for k, r := range rows {
		*rc = rowContext{file: c.prov.File, sheet: c.prov.Sheet, line: r.Line, rejects: rc.rejects[:0]}
		c.stats.RowsIn++
		c.outLen = len(out)
		c.convertRow(r, rc)
		for _, rj := range rc.rejects {
			if rj.Severity == schemas.SeverityWarning {
				c.stats.Warnings++
			}
		}
		if rc.dropped {
			c.stats.RowsRejected++
		} else {
			c.stats.RowsWritten++
			c.parts.append(c.fields, c.vals, c.partitionOf(), k < len(rows)-1)
			// The values of a row but the last are reset as they are
			// appended: the last row's stay for the caller (tests).
			c.valsReset = k < len(rows)-1
		}
		out = append(out, rc.rejects...)
	}
	return redactRejects(out)
}

// Drain returns the records of partitions holding at least BatchRows rows,
// or of every non-empty partition when final is true. When more than
// MaxBufferedRows rows are held across partitions, it also returns the
// largest partitions' records until at most half of that is held. The
// caller owns (and must Release) the returned records.
func (c *Converter) Drain(final bool) []PartRecord {
	if final {
		return c.parts.drain(1, 0)
	}
	return c.parts.drain(c.opts.BatchRows, c.opts.MaxBufferedRows)
}

// Release frees the builders of rows never drained.
func (c *Converter) Release() { c.parts.release() }

func (c *Converter) convertRow(r ingest.Row, rc *rowContext) {
	vals := c.vals[:c.toReset()] // a local: the loop's stores do not reload the slice
	for i := range vals {
		vals[i].reset()
	}
	if rowIsBlank(r.Cells) {
		rc.errorf("", "", schemas.CodeBlankRow, "row is empty")
		return
	}
	for _, is := range r.Issues { // the reader's findings: warnings, the row is kept
		rc.warnf(c.headerAt(is.Column), is.Value, is.Code, "%s", is.Message)
	}
	c.lastDataLine = r.Line
	if c.isTotalsRow(r.Cells) {
		c.rejectTotalsRow(r.Line, r.Cells, r.Errors, rc)
		return
	}
	asRead := r.Cells
	r.Cells = c.coalesceColumns(r, rc) // duplicate columns of a field (mapping_coalesce_row.go)
	filled := r.Cells
	r.Cells = c.blankErrorCells(r, rc)
	c.convertCells(r, rc)
	switch {
	case rc.dropped:
	case c.deferDups:
		c.dups = append(c.dups, dupCandidate{line: r.Line, at: c.outLen + len(rc.rejects), hash: rowHash(asRead)})
	case c.seen != nil:
		c.checkDuplicate(ingest.Row{Line: r.Line, Cells: asRead}, rc)
	}
	c.reconcileRow(r, filled, rc)
	c.setProvenance(r)
}

// toReset returns the number of values convertRow resets: none when
// Convert's append has reset them (valsReset, which it clears), else all.
func (c *Converter) toReset() int {
	if c.valsReset {
		c.valsReset = false
		return 0
	}
	return len(c.vals)
}

// convertCells casts the cells of a row (error cells already emptied) and
// applies the dataset's rules.
func (c *Converter) convertCells(r ingest.Row, rc *rowContext) {
	for _, st := range c.plan {
		raw := cell(r.Cells, st.cell)
		v := &c.vals[st.slot]
		if st.memo == nil {
			c.castInto(v, &c.fields[st.slot], st.slot, c.m.Columns[st.col].Header, raw, rc)
			continue
		}
		if st.memo.get(raw, v) {
			continue
		}
		n := len(rc.rejects)
		c.castInto(v, &c.fields[st.slot], st.slot, c.m.Columns[st.col].Header, raw, rc)
		if len(rc.rejects) == n {
			st.memo.put(raw, v, c.parts)
		}
	}
	c.castSADD(r, rc)
	c.rules.apply(c, r, rc)
	c.applyRunDefaults()
	c.checkRequired(rc)
}

func (c *Converter) checkRequired(rc *rowContext) {
	for _, i := range c.required {
		f := &c.fields[i]
		if c.vals[i].set {
			continue
		}
		if c.hasError(rc, f.Name) {
			continue // already rejected for this field
		}
		header := ""
		if ci, ok := c.m.ColumnFor(f.Name); ok {
			header = c.m.Columns[ci].Header
		}
		if rj, ok := emptiedCell(rc, header); ok {
			rc.errorf(header, rj.Value, schemas.CodeMissingCell, "required value %s is not usable (%s); the row is dropped", f.Name, rj.Code)
			continue
		}
		rc.errorf(header, "", schemas.CodeMissingCell, "%s; the row is dropped", c.requiredHint(f.Name, header))
	}
}

func (c *Converter) hasError(rc *rowContext, field string) bool {
	ci, ok := c.m.ColumnFor(field)
	if !ok {
		return false
	}
	h := c.m.Columns[ci].Header
	for _, rj := range rc.rejects {
		if rj.Column == h && rj.Severity == schemas.SeverityError {
			return true
		}
	}
	return false
}

func (c *Converter) setProvenance(r ingest.Row) {
	// Field by field, not whole values: the values were reset.
	setStr(&c.vals[c.provSlot[0]], c.prov.File)
	setStr(&c.vals[c.provSlot[1]], c.prov.FileID)
	setStr(&c.vals[c.provSlot[2]], c.prov.Sheet)
	v := &c.vals[c.provSlot[3]]
	v.set, v.i = true, int64(r.Line)
	setStr(&c.vals[c.provSlot[4]], c.prov.RunID)
}

// precomputeSlots looks up once the slots that every row uses.
func (c *Converter) precomputeSlots() {
	for i, name := range []string{schemas.ColSourceFile, schemas.ColSourceFileID, schemas.ColSourceSheet,
		schemas.ColSourceRow, schemas.ColRunID} {
		c.provSlot[i] = c.slot[name]
	}
	c.countrySlot, c.partSlot = -1, -1
	if i, ok := c.slot["country_iso3"]; ok {
		c.countrySlot = i
	}
	if i, ok := c.slot[c.m.Dataset.PartitionField]; ok {
		c.partSlot, c.partKind = i, c.fields[i].Kind
	}
	c.vocab = make(vocabCache, len(c.fields))
	c.lists = make(listCache, len(c.fields))
}

// buildPlan lists the columns whose cells are cast by kind: mapped to a
// stored field and not handled by SADD or by the dataset's custom rules
// (a personal field is not stored: pseudonymised by the rules or dropped).
func (c *Converter) buildPlan() {
	c.plan = make([]castStep, 0, len(c.m.Columns))
	c.saddCols = nil
	for i := range c.m.Columns {
		col := &c.m.Columns[i]
		if col.Rule == RuleSADD && col.Band != nil {
			c.saddCols = append(c.saddCols, i)
		}
		if col.Field == "" || col.Rule == RuleSADD || c.rules.custom[col.Field] {
			continue
		}
		if slot, stored := c.slot[col.Field]; stored {
			f := &c.fields[slot]
			c.plan = append(c.plan, castStep{col: i, slot: slot, cell: col.Index, memo: newCellMemo(f, slot, dictEncoded(*f))})
		}
	}
}

// get returns the value slot of a stored field (nil if not stored).
func (c *Converter) get(field string) *value {
	if c.trace != nil {
		c.trace[field] = true
	}
	if i := c.ref(field).slot; i >= 0 {
		return &c.vals[i]
	}
	return nil
}

// optional returns the value slot of a field that only some kinds have
// (nil when this kind lacks it), for the generic steps that apply to every
// kind: the run's defaults, SADD bands, p-code flags. Unlike get it is not
// traced: a rule of one kind must use get, and name only its own fields.
func (c *Converter) optional(field string) *value {
	if i := c.ref(field).slot; i >= 0 {
		return &c.vals[i]
	}
	return nil
}

// raw returns the raw cell and header feeding a field ("" if unmapped).
func (c *Converter) raw(r ingest.Row, field string) (rawValue, header string, ok bool) {
	if c.trace != nil {
		c.trace[field] = true
	}
	ci := c.ref(field).col
	if ci < 0 {
		return "", "", false
	}
	col := &c.m.Columns[ci]
	return cell(r.Cells, col.Index), col.Header, true
}

// headerAt returns the header of the column at cell index i, "" beyond
// the header (an extra cell) or for the whole row (i < 0).
func (c *Converter) headerAt(i int) string {
	for _, col := range c.m.Columns {
		if col.Index == i {
			return col.Header
		}
	}
	return ""
}

func cell(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

func rowIsBlank(cells []string) bool {
	for _, s := range cells {
		if s != "" && s[0] > ' ' && s[0] < utf8.RuneSelf {
			return false // a printable ASCII first byte: TrimSpace keeps it
		}
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// Finish judges what needs the whole input, once the last row has been
// converted: the p-code names and nesting of the file (pcode_file.go) and
// its own totals row (totals_row.go). It returns warnings only (the rows
// were written); call it once, after the last Convert and before
// Reconciliation and Notes.
func (c *Converter) Finish() []schemas.Reject {
	if c.finished {
		return nil
	}
	c.finished = true
	out, notes := c.pcodeFile.finish(c.prov.File, c.prov.Sheet)
	c.notes = append(c.notes, notes...)
	out = append(out, c.checkTotals()...)
	for _, rj := range out {
		if rj.Severity == schemas.SeverityWarning {
			c.stats.Warnings++
		}
	}
	return redactRejects(out)
}

// Notes returns the file-level remarks of the conversion (checks skipped,
// totals rows not compared), for the run results.
func (c *Converter) Notes() []string { return c.notes }
