package xlsx

import (
	"fmt"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

// SheetInfo tells what Open sees in one worksheet, for `dtm inspect`.
type SheetInfo struct {
	Name       string // worksheet name as on its tab
	HeaderLine int    // 1-based row of the detected header, 0 if none
	Score      int    // header score of that row
	HasHXL     bool   // an HXL tag row sits under the header
	Chosen     bool   // a sheet OpenAll reads (Open reads the first)
	Reason     string // why it was (not) chosen
}

// sheetScan is the result of reading the first rows of a sheet.
type sheetScan struct {
	name   string
	hidden bool
	aux    string // auxiliary kind by name, "" if none
	rows   []rawRow
	find   headerFind
	err    error
}

// tier ranks a scanned sheet for automatic choice: lower is better, -1
// means the sheet cannot be chosen.
func (s *sheetScan) tier() int {
	switch {
	case s.err != nil || !s.find.found:
		return -1
	case s.find.score <= 0 && s.find.hxl < 0:
		return 2
	case s.aux != "" || s.hidden:
		return 1
	}
	return 0
}

// scanSheet reads the first MaxHeaderScan rows of a sheet and finds its
// header.
func scanSheet(wb *workbook, name string, score ingest.HeaderScorer) (sc sheetScan) {
	sc = sheetScan{name: name, aux: auxiliaryKind(name), hidden: wb.hidden[name]}
	defer recoverErr(&sc.err, wb.path, name)
	src, err := wb.openRows(name)
	if err != nil {
		sc.err = err
		return sc
	}
	defer func() { _ = src.close() }()
	sc.rows, sc.err = readRows(src, wb, name, wb.lim.MaxHeaderScan)
	if sc.err == nil {
		sc.find = findHeader(sc.rows, score)
	}
	return sc
}

// readRows reads up to n rows, trimmed of trailing empty cells.
func readRows(src rowSource, wb *workbook, sheet string, n int) ([]rawRow, error) {
	var rows []rawRow
	for len(rows) < n {
		r, ok, err := src.next()
		if err != nil {
			return rows, err
		}
		if !ok {
			break
		}
		if r.cells, err = fitRow(r.cells, 0, wb.lim, wb.path, sheet, r.line); err != nil {
			return rows, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// resolveSheet finds a sheet by exact name, else by a unique
// case-insensitive match of the trimmed name.
func resolveSheet(wb *workbook, want string) (string, error) {
	for _, s := range wb.sheets {
		if s == want {
			return s, nil
		}
	}
	var hits []string
	for _, s := range wb.sheets {
		if strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(want)) {
			hits = append(hits, s)
		}
	}
	if len(hits) == 1 {
		return hits[0], nil
	}
	quoted := make([]string, len(wb.sheets))
	for i, s := range wb.sheets {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "", fileErr(wb.path, fmt.Errorf("%w %q; the workbook has: %s", ErrNoSheet, want, strings.Join(quoted, ", ")))
}

// chooseSheet picks the data sheet among scans and fills one reason per
// sheet. forced, when not empty, is the sheet the user named. It returns
// the chosen index, or -1 if no sheet can be read.
func chooseSheet(scans []sheetScan, forced string) (int, []string) {
	reasons := make([]string, len(scans))
	chosen := -1
	if forced != "" {
		for i := range scans {
			if scans[i].name == forced {
				chosen = i
			}
		}
	} else {
		chosen = rank(scans)
	}
	for i := range scans {
		reasons[i] = reasonFor(scans, i, chosen, forced != "")
	}
	return chosen, reasons
}

// rank returns the best sheet: lowest tier, then an HXL row, then the
// highest header score; ties go to the first sheet.
func rank(scans []sheetScan) int {
	best := -1
	for i := range scans {
		t := scans[i].tier()
		if t < 0 {
			continue
		}
		if best < 0 || better(&scans[i], &scans[best]) {
			best = i
		}
	}
	return best
}

// better reports whether a outranks b (strictly).
func better(a, b *sheetScan) bool {
	if ta, tb := a.tier(), b.tier(); ta != tb {
		return ta < tb
	}
	if ha, hb := a.find.hxl >= 0, b.find.hxl >= 0; ha != hb {
		return ha
	}
	return a.find.score > b.find.score
}

// reasonFor explains the fate of scans[i].
func reasonFor(scans []sheetScan, i, chosen int, forced bool) string {
	s := &scans[i]
	if i == chosen {
		switch {
		case forced:
			return "chosen: named with --sheet"
		case s.find.hxl >= 0:
			return fmt.Sprintf("chosen: HXL tag row at row %d", s.rows[s.find.hxl].line)
		case s.tier() == 1:
			return fmt.Sprintf("chosen although it looks like %s: no other sheet has a header", s.auxDesc())
		case s.tier() == 2:
			return "chosen although no row looks like a header: no other sheet has one"
		}
		return fmt.Sprintf("chosen: best header score %d (row %d)", s.find.score, s.rows[s.find.header].line)
	}
	switch {
	case s.err != nil:
		return fmt.Sprintf("skipped: unreadable: %v", s.err)
	case !s.find.found:
		return "skipped: empty sheet"
	case forced:
		return fmt.Sprintf("not chosen: --sheet names %q", scans[chosen].name)
	case s.tier() == 1:
		return fmt.Sprintf("skipped: looks like %s", s.auxDesc())
	case s.tier() == 2:
		return fmt.Sprintf("skipped: no header row in the first %d rows", len(s.rows))
	}
	c := &scans[chosen]
	switch {
	case c.find.hxl >= 0 && s.find.hxl < 0:
		return fmt.Sprintf("not chosen: sheet %q has an HXL tag row", c.name)
	case c.find.score == s.find.score:
		return fmt.Sprintf("not chosen: same header score %d as sheet %q, which comes first", s.find.score, c.name)
	}
	return fmt.Sprintf("not chosen: header score %d is lower than sheet %q's %d", s.find.score, c.name, c.find.score)
}

// auxDesc describes why a sheet is auxiliary.
func (s *sheetScan) auxDesc() string {
	if s.aux != "" {
		return s.aux + " (by its name)"
	}
	return "an auxiliary sheet (it is hidden)"
}

// scanAll scans every sheet, or only forced when it is not empty.
func scanAll(wb *workbook, score ingest.HeaderScorer) []sheetScan {
	scans := make([]sheetScan, len(wb.sheets))
	for i, name := range wb.sheets {
		scans[i] = scanSheet(wb, name, score)
	}
	return scans
}

// Sheets lists every worksheet of the workbook at path with its detected
// header and why Open and OpenAll would (not) read it: Chosen marks every
// sheet OpenAll reads. opts.Sheet, when set, marks that sheet as the one
// chosen (an unknown name is an error listing the sheets).
func Sheets(path string, opts ingest.Options) ([]SheetInfo, error) {
	lim := opts.Limits.WithDefaults()
	wb, err := openWorkbook(path, lim, false)
	if err != nil {
		return nil, err
	}
	defer func() { _ = wb.close() }()
	score := scorerOf(opts)
	var scans []sheetScan
	var reasons []string
	read := map[int]bool{}
	if opts.Sheet != "" {
		forced, err := resolveSheet(wb, opts.Sheet)
		if err != nil {
			return nil, err
		}
		scans = scanAll(wb, score)
		var chosen int
		chosen, reasons = chooseSheet(scans, forced)
		read[chosen] = true
	} else {
		sel, err := selectSheets(wb, nil, score)
		if err != nil {
			return nil, err
		}
		scans, reasons = sel.scans, sel.reasons
		for _, i := range sel.read {
			read[i] = true
		}
	}
	infos := make([]SheetInfo, len(scans))
	for i, s := range scans {
		infos[i] = SheetInfo{Name: s.name, Score: s.find.score, HasHXL: s.find.hxl >= 0, Chosen: read[i], Reason: reasons[i]}
		if s.find.found {
			infos[i].HeaderLine = s.rows[s.find.header].line
		}
	}
	return infos, nil
}

// scorerOf returns the header scorer of opts, defaulting to DefaultScore.
func scorerOf(opts ingest.Options) ingest.HeaderScorer {
	if opts.Scorer != nil {
		return opts.Scorer
	}
	return ingest.DefaultScore
}
