package xlsx

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

// rawValuesNote tells downstream users how cell values are delivered.
const rawValuesNote = "cells are stored values: date-formatted numbers become ISO dates, formulas give their cached result"

// date1904Note says that a workbook uses the 1904 date system.
const date1904Note = "the workbook uses the 1904 date system (workbookPr date1904): date-formatted cells are converted with it, and a number in a date column that is not formatted as a date is read as a serial of that system"

// reader streams the data rows of one sheet.
type reader struct {
	wb      *workbook
	src     rowSource
	hdr     ingest.Header
	width   int
	pending []rawRow // data rows already read while looking for the header
	eof     bool
	err     error // sticky
	closed  bool
}

// Open opens the XLSX workbook at path, picks its data sheet (opts.Sheet
// forces one) and its header row, and returns a reader of the rows below.
// See the package documentation for the rules.
func Open(path string, opts ingest.Options) (ingest.Reader, error) {
	return open(path, opts, false)
}

// OpenAll opens every data sheet of the workbook at path and returns one
// reader per sheet, in workbook order; the readers share the open archive,
// which is released when the last one is closed (close every reader). With
// names, the sheets read are those (each resolved as opts.Sheet is, an
// unknown name is an error listing the sheets; opts.Sheet is ignored);
// without, they are the sheet Open would choose and every other sheet with
// the same layout (see the package documentation).
func OpenAll(path string, names []string, opts ingest.Options) (rds []ingest.Reader, err error) {
	wb, err := openWorkbook(path, opts.Limits.WithDefaults(), false)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			for _, r := range rds {
				_ = r.Close()
			}
			if len(rds) == 0 {
				_ = wb.close()
			}
			rds = nil
		}
	}()
	sel, err := selectSheets(wb, names, scorerOf(opts))
	if err != nil {
		return nil, err
	}
	for _, i := range sel.read {
		r, err := sel.reader(wb, i)
		if err != nil {
			return rds, err
		}
		rds = append(rds, r)
	}
	return rds, nil
}

// open is Open with a choice of row engine (excelize's Rows, for
// differential tests, or fastRows).
func open(path string, opts ingest.Options, useExcelize bool) (ingest.Reader, error) {
	lim := opts.Limits.WithDefaults()
	wb, err := openWorkbook(path, lim, useExcelize)
	if err != nil {
		return nil, err
	}
	var names []string
	if opts.Sheet != "" {
		names = []string{opts.Sheet}
	}
	sel, err := selectSheets(wb, names, scorerOf(opts))
	if err != nil {
		_ = wb.close()
		return nil, err
	}
	r, err := sel.reader(wb, sel.read[0])
	if err != nil {
		_ = wb.close()
		return nil, err
	}
	return r, nil
}

// selection is the outcome of the sheet choice: the sheets scanned, why
// each was (not) read, and which are read (indexes into scans, in workbook
// order; never empty).
type selection struct {
	scans   []sheetScan
	reasons []string
	read    []int
}

// selectSheets scans the named sheets (or every sheet when names is empty)
// and decides which to read.
func selectSheets(wb *workbook, names []string, score ingest.HeaderScorer) (sel selection, err error) {
	defer recoverErr(&err, wb.path, "")
	if len(names) > 0 {
		seen := map[string]bool{}
		for _, n := range names {
			name, err := resolveSheet(wb, n)
			if err != nil {
				return sel, err
			}
			if !seen[name] {
				seen[name] = true
				sel.scans = append(sel.scans, scanSheet(wb, name, score))
			}
		}
		sel.reasons = make([]string, len(sel.scans))
		for i := range sel.scans {
			sel.read = append(sel.read, i)
			sel.reasons[i] = "chosen: named with --sheet"
		}
		return sel, nil
	}
	sel.scans = scanAll(wb, score)
	chosen, reasons := chooseSheet(sel.scans, "")
	sel.reasons = reasons
	if chosen < 0 {
		for _, s := range sel.scans {
			if s.err != nil {
				return sel, s.err
			}
		}
		chosen = 0 // every sheet is empty: read the first one, which yields no rows
		sel.reasons[0] = "chosen: every sheet is empty"
	}
	for i := range sel.scans {
		switch {
		case i == chosen:
			sel.read = append(sel.read, i)
		case sameLayout(&sel.scans[chosen], &sel.scans[i]):
			sel.read = append(sel.read, i)
			sel.reasons[i] = fmt.Sprintf("read too: same columns as sheet %q", sel.scans[chosen].name)
		}
	}
	return sel, nil
}

// sameLayout reports whether sheet b is another data sheet shaped like the
// chosen sheet a: b would be chosen on its own merits (not hidden, not
// auxiliary by its name, a header found), and both headers have the same
// labels, in any order (compared without case and extra spaces): each
// sheet is read with its own header, so an Exit sheet whose columns were
// moved is data as much as its Entry sheet.
func sameLayout(a, b *sheetScan) bool {
	if a.tier() != 0 || b.tier() != 0 {
		return false
	}
	ka, kb := layoutKey(a), layoutKey(b)
	return ka != "" && ka == kb
}

// layoutKey is a sheet's header labels, normalised, sorted and joined.
func layoutKey(s *sheetScan) string {
	if !s.find.found {
		return ""
	}
	cells := ingest.TrimTrailingEmpty(s.rows[s.find.header].cells)
	keys := make([]string, len(cells))
	for i, c := range cells {
		keys[i] = strings.Join(strings.Fields(strings.ToLower(c)), " ")
	}
	sort.Strings(keys)
	return strings.Join(keys, "\x00")
}

// reader positions a reader on the data rows of scans[i].
func (sel *selection) reader(wb *workbook, i int) (r *reader, err error) {
	defer recoverErr(&err, wb.path, "")
	sc := &sel.scans[i]
	if sc.err != nil {
		return nil, sc.err
	}
	wb.refs++
	r = &reader{wb: wb, hdr: buildHeader(wb, sc)}
	r.hdr.Notes = sheetNotes(sel.scans, sel.reasons, i, r.hdr.Notes)
	r.width = len(r.hdr.Columns)
	if !sc.find.found {
		r.eof = true
		return r, nil
	}
	r.pending = sc.rows[sc.find.dataStart():]
	if len(sc.rows) < wb.lim.MaxHeaderScan {
		r.eof = true // the scan reached the end of the sheet
		return r, nil
	}
	src, err := wb.openRows(sc.name)
	if err != nil {
		wb.refs--
		return nil, err
	}
	for range len(sc.rows) { // skip what the scan already holds
		if _, _, err := src.next(); err != nil {
			_ = src.close()
			wb.refs--
			return nil, err
		}
	}
	r.src = src
	return r, nil
}

// buildHeader fills the Header of a scanned sheet.
func buildHeader(wb *workbook, sc *sheetScan) ingest.Header {
	h := ingest.Header{File: wb.path, Sheet: sc.name, Format: "xlsx", DirectionHint: directionOfName(sc.name)}
	if !sc.find.found {
		h.Notes = append(h.Notes, "no header: the sheet is empty")
		return h
	}
	sc.find.Apply(&h, scanRows(sc.rows))
	h.Notes = append(h.Notes, rawValuesNote)
	if wb.date1904 {
		h.Date1904 = true
		h.Notes = append(h.Notes, date1904Note)
	}
	if h.DirectionHint != "" {
		h.Notes = append(h.Notes, fmt.Sprintf("the sheet name %q gives the flow direction %q to rows that have none", sc.name, h.DirectionHint))
	}
	return h
}

// sheetNotes puts the sheet choice in front of the header notes.
func sheetNotes(scans []sheetScan, reasons []string, chosen int, rest []string) []string {
	notes := []string{fmt.Sprintf("sheet %q %s", scans[chosen].name, reasons[chosen])}
	for i, s := range scans {
		if i != chosen {
			notes = append(notes, fmt.Sprintf("sheet %q %s", s.name, reasons[i]))
		}
	}
	return append(notes, rest...)
}

// Header returns what was found above the data rows.
func (r *reader) Header() ingest.Header { return r.hdr }

// Next returns up to max rows (at least one is asked for when max < 1).
func (r *reader) Next(max int) (rows []ingest.Row, err error) {
	defer recoverErr(&err, r.wb.path, r.hdr.Sheet)
	if r.closed {
		return nil, sheetErr(r.wb.path, r.hdr.Sheet, errors.New("reader is closed"))
	}
	if r.err != nil {
		return nil, r.err
	}
	max = maxOr(max, 1)
	out := make([]ingest.Row, 0, min(max, 4096))
	for len(out) < max {
		var raw rawRow
		switch {
		case len(r.pending) > 0:
			raw, r.pending = r.pending[0], r.pending[1:]
		case r.eof || r.src == nil:
			r.eof = true
		default:
			var ok bool
			var err error
			if raw, ok, err = r.src.next(); err != nil {
				r.err = err
				return nil, err
			}
			r.eof = !ok
		}
		if r.eof && raw.line == 0 {
			break
		}
		cells, err := fitRow(raw.cells, r.width, r.wb.lim, r.wb.path, r.hdr.Sheet, raw.line)
		if err != nil {
			r.err = err
			return nil, err
		}
		out = append(out, ingest.Row{Line: raw.line, Cells: cells, Errors: raw.errs})
	}
	if len(out) == 0 {
		return nil, io.EOF
	}
	return out, nil
}

// maxOr returns n, or def when n < 1.
func maxOr(n, def int) int {
	if n < 1 {
		return def
	}
	return n
}

// Close releases the sheet stream and the workbook's temporary files.
func (r *reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	var errs []error
	if r.src != nil {
		errs = append(errs, r.src.close())
	}
	if r.wb.refs--; r.wb.refs <= 0 {
		errs = append(errs, r.wb.close())
	}
	return errors.Join(errs...)
}
