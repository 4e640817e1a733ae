package xlsx

import (
	"errors"
	"fmt"
	"io"

	"github.com/iom-dtm/dtm/ingest"
)

// rawValuesNote tells downstream users how cell values are delivered.
const rawValuesNote = "cells are stored values: date-formatted numbers become ISO dates, formulas give their cached result"

// date1904Note says that a workbook uses the 1904 date system.
const date1904Note = "the workbook uses the 1904 date system (workbookPr date1904): date-formatted cells are converted with it; a number in a date column that is not formatted as a date would be read in the 1900 system"

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

// open is Open with a choice of row engine (excelize's Rows, for
// differential tests, or fastRows).
func open(path string, opts ingest.Options, useExcelize bool) (ingest.Reader, error) {
	lim := opts.Limits.WithDefaults()
	wb, err := openWorkbook(path, lim, useExcelize)
	if err != nil {
		return nil, err
	}
	r, err := openReader(wb, opts)
	if err != nil {
		_ = wb.close()
		return nil, err
	}
	return r, nil
}

// openReader chooses the sheet and positions a reader on its data rows.
func openReader(wb *workbook, opts ingest.Options) (r *reader, err error) {
	defer recoverErr(&err, wb.path, "")
	score := scorerOf(opts)
	var (
		scans   []sheetScan
		chosen  int
		reasons []string
	)
	if opts.Sheet != "" {
		name, err := resolveSheet(wb, opts.Sheet)
		if err != nil {
			return nil, err
		}
		scans = []sheetScan{scanSheet(wb, name, score)}
		chosen, reasons = chooseSheet(scans, name)
	} else {
		scans = scanAll(wb, score)
		chosen, reasons = chooseSheet(scans, "")
	}
	if chosen < 0 {
		for _, s := range scans {
			if s.err != nil {
				return nil, s.err
			}
		}
		chosen = 0 // every sheet is empty: read the first one, which yields no rows
		reasons[0] = "chosen: every sheet is empty"
	}
	sc := &scans[chosen]
	if sc.err != nil {
		return nil, sc.err
	}
	r = &reader{wb: wb, hdr: buildHeader(wb, sc)}
	r.hdr.Notes = sheetNotes(scans, reasons, chosen, r.hdr.Notes)
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
		return nil, err
	}
	for range len(sc.rows) { // skip what the scan already holds
		if _, _, err := src.next(); err != nil {
			_ = src.close()
			return nil, err
		}
	}
	r.src = src
	return r, nil
}

// buildHeader fills the Header of a scanned sheet.
func buildHeader(wb *workbook, sc *sheetScan) ingest.Header {
	h := ingest.Header{File: wb.path, Sheet: sc.name, Format: "xlsx"}
	if !sc.find.found {
		h.Notes = append(h.Notes, "no header: the sheet is empty")
		return h
	}
	sc.find.Apply(&h, scanRows(sc.rows))
	h.Notes = append(h.Notes, rawValuesNote)
	if wb.date1904 {
		h.Notes = append(h.Notes, date1904Note)
	}
	return h
}

// pad extends cells with "" to width w.
func pad(cells []string, w int) []string {
	for len(cells) < w {
		cells = append(cells, "")
	}
	return cells
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
	errs = append(errs, r.wb.close())
	return errors.Join(errs...)
}
