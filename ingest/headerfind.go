package ingest

import (
	"fmt"
	"strings"
)

// ScanRow is a row read while looking for the header: its 1-based row
// number in the source and its raw cells.
type ScanRow struct {
	Line  int
	Cells []string
}

// HeaderFind is where FindHeader located the header among scanned rows.
// Indexes are into the scanned rows; -1 means none.
type HeaderFind struct {
	// Found is false when every scanned row is empty.
	Found bool
	// Header is the (first) header row.
	Header int
	// Sub is the second row of a two-row header (group labels in Header,
	// sub-labels in Sub), -1 if the header is one row.
	Sub int
	// Units is a units row under the header ("(persons)", "HH", "%"), -1
	// if none. It is header material, not data.
	Units int
	// HXL is the HXL tag row, -1 if none.
	HXL int
	// Score is the scorer's rating of the header (the best of its rows and
	// of the joined labels).
	Score int
	// Skipped counts the non-empty rows above Header (titles, banners).
	Skipped int
	// Columns are the header labels, trailing empty ones removed; for a
	// two-row header, "Group / Sub" where a group label is over sub-labels.
	Columns []string
	// Notes say why, for Header.Notes.
	Notes []string
}

// DataStart is the index of the first data row: the row after the last
// header, units or HXL row (0 when nothing was found).
func (f HeaderFind) DataStart() int {
	if !f.Found {
		return 0
	}
	return max(f.Header, f.Sub, f.Units, f.HXL) + 1
}

// Apply fills the header fields of h (HeaderLine, SubHeaderLine,
// UnitsLine, Columns, HXLLine, HXL, SkippedAbove) and appends f.Notes.
// When there is an HXL row, Columns and HXL are padded with "" to the
// wider of the two, so that they stay aligned.
func (f HeaderFind) Apply(h *Header, rows []ScanRow) {
	h.Notes = append(h.Notes, f.Notes...)
	if !f.Found {
		return
	}
	h.HeaderLine = rows[f.Header].Line
	h.SkippedAbove = f.Skipped
	if f.Sub >= 0 {
		h.SubHeaderLine = rows[f.Sub].Line
	}
	if f.Units >= 0 {
		h.UnitsLine = rows[f.Units].Line
	}
	cols := append([]string(nil), f.Columns...)
	if f.HXL >= 0 {
		tags := append([]string(nil), TrimTrailingEmpty(rows[f.HXL].Cells)...)
		w := max(len(cols), len(tags))
		cols = padTo(cols, w)
		h.HXL = padTo(tags, w)
		h.HXLLine = rows[f.HXL].Line
	}
	h.Columns = cols
}

// padTo extends cells with "" to n cells.
func padTo(cells []string, n int) []string {
	for len(cells) < n {
		cells = append(cells, "")
	}
	return cells
}

// FindHeader locates the header among the first rows of a table (a CSV
// file or a worksheet); it is the one rule both readers use, so the same
// table gets the same header whatever its format. score rates candidate
// rows (nil: DefaultScore).
//
// Rules, in order:
//  1. An HXL tag row (IsHXLRow; the first one) settles it: the header is
//     the nearest non-empty row above it, or, when that row is a units row
//     or the second row of a two-row header, the row above that one. The
//     HXL row is believed when that header is also the best-scoring row
//     above it (see 2) or when every cell of the tag row is a tag;
//     otherwise it is data (hashtags in a comment column). An HXL row with
//     nothing above it is its own header (its tags are the column names).
//  2. Otherwise the best header candidate: plausible headers (two or more
//     cells with a positive score) before banner rows (cells repeated in
//     runs, as unmerged group titles are, or at most half as many cells as
//     the next row while it scores as well), before multi-cell rows that
//     score nothing, before single-cell rows (titles); then the higher
//     score; ties go to the upper row.
//  3. A two-row header (see TwoRowHeader) is recognised with the row under
//     the chosen one or the row above it, and its labels are joined.
//  4. A units row (see unitsRow) right under the header is header
//     material; so is an HXL row right under the header and units rows.
//
// Rows above the header are titles and banners (Skipped counts the
// non-empty ones). A group banner over a complete row of sub-labels is a
// banner, not part of the header: the sub-labels alone name every column.
func FindHeader(rows []ScanRow, score HeaderScorer) HeaderFind {
	if score == nil {
		score = DefaultScore
	}
	f := HeaderFind{Header: -1, Sub: -1, Units: -1, HXL: -1}
	hxl := -1
	for i, r := range rows {
		if IsHXLRow(r.Cells) {
			hxl = i
			break
		}
	}
	if hxl >= 0 && !f.underHXL(rows, hxl, score) {
		f = HeaderFind{Header: -1, Sub: -1, Units: -1, HXL: -1, Notes: f.Notes}
	}
	if f.HXL < 0 {
		f.Header = bestRow(rows, score, &f.Notes)
		if f.Header < 0 {
			return f
		}
		f.twoRowAround(rows)
		last := max(f.Header, f.Sub)
		if last+1 < len(rows) && unitsRow(rows[f.Header].Cells, rows[last+1].Cells, nil) {
			f.Units = last + 1
			last++
		}
		if last+1 < len(rows) && IsHXLRow(rows[last+1].Cells) {
			f.HXL = last + 1
			f.Notes = append(f.Notes, fmt.Sprintf("HXL tag row at row %d, under the header", rows[f.HXL].Line))
		}
	}
	f.finish(rows, score)
	return f
}

// underHXL applies rule 1 for the HXL row at index hxl; it reports whether
// the HXL row is believed (f is then filled).
func (f *HeaderFind) underHXL(rows []ScanRow, hxl int, score HeaderScorer) bool {
	above := prevNonEmpty(rows, hxl)
	if above < 0 {
		f.Header, f.HXL = hxl, hxl
		f.Notes = append(f.Notes, fmt.Sprintf(
			"the HXL tag row (row %d) has no header row above it: its tags are the column names", rows[hxl].Line))
		return true
	}
	f.Header = above
	if u := above - 1; u >= 0 && nonEmpty(rows[u].Cells) > 0 {
		switch {
		case TwoRowHeader(rows[u].Cells, rows[above].Cells):
			f.Header, f.Sub = u, above
		case unitsRow(rows[u].Cells, rows[above].Cells, rows[hxl].Cells):
			f.Header, f.Units = u, above
		}
	}
	var ignored []string
	best := bestRow(rows[:hxl], score, &ignored)
	if best != f.Header && best != f.Sub && !strictHXLRow(rows[hxl].Cells) {
		f.Notes = append(f.Notes, fmt.Sprintf(
			"row %d looks like HXL tags but is not under the header: treated as data", rows[hxl].Line))
		return false
	}
	f.HXL = hxl
	f.Notes = append(f.Notes, fmt.Sprintf("header at row %d: the row above the HXL tag row (row %d)",
		rows[f.Header].Line, rows[hxl].Line))
	return true
}

// twoRowAround extends a one-row header chosen by score into a two-row
// header with the row under it, or the row above it.
func (f *HeaderFind) twoRowAround(rows []ScanRow) {
	h := f.Header
	switch {
	case h+1 < len(rows) && TwoRowHeader(rows[h].Cells, rows[h+1].Cells):
		f.Sub = h + 1
	case h > 0 && TwoRowHeader(rows[h-1].Cells, rows[h].Cells):
		f.Header, f.Sub = h-1, h
	}
}

// finish fills Columns, Score, Skipped and the notes once the rows are
// known.
func (f *HeaderFind) finish(rows []ScanRow, score HeaderScorer) {
	f.Found = true
	top := rows[f.Header].Cells
	if f.Sub >= 0 {
		f.Columns = JoinHeaderRows(top, rows[f.Sub].Cells)
		f.Score = max(score(top), score(rows[f.Sub].Cells), score(f.Columns))
		f.Notes = append(f.Notes, fmt.Sprintf(
			"two-row header: group labels in row %d over sub-labels in row %d, joined as \"group / sub\"",
			rows[f.Header].Line, rows[f.Sub].Line))
	} else {
		f.Columns = append([]string(nil), TrimTrailingEmpty(top)...)
		f.Score = score(top)
	}
	if f.Units >= 0 {
		f.Notes = append(f.Notes, fmt.Sprintf("row %d is a units row under the header: not data", rows[f.Units].Line))
	}
	for _, r := range rows[:f.Header] {
		if nonEmpty(r.Cells) > 0 {
			f.Skipped++
		}
	}
	if f.Skipped > 0 {
		f.Notes = append(f.Notes, fmt.Sprintf("%d title or banner row(s) above the header skipped", f.Skipped))
	}
}

// prevNonEmpty returns the index of the nearest non-empty row above i, or -1.
func prevNonEmpty(rows []ScanRow, i int) int {
	for j := i - 1; j >= 0; j-- {
		if nonEmpty(rows[j].Cells) > 0 {
			return j
		}
	}
	return -1
}

// rowKind classes a candidate header row; lower is better.
type rowKind int

const (
	kindNormal rowKind = iota // a plausible header
	kindBanner                // a group banner or multi-cell title above a wider row
	kindBlank                 // two or more cells, none scoring (numbers, codes)
	kindSingle                // one non-empty cell: a title or a note
)

// bestRow returns the index of the best header candidate (rule 2 of
// FindHeader), or -1 when every row is empty; it appends a note saying why.
func bestRow(rows []ScanRow, score HeaderScorer, notes *[]string) int {
	best, bestKind, bestScore := -1, kindSingle+1, 0
	for i, r := range rows {
		ne := nonEmpty(r.Cells)
		if ne == 0 {
			continue
		}
		s := score(r.Cells)
		k := kindOf(rows, i, ne, s, score)
		if best < 0 || k < bestKind || (k == bestKind && s > bestScore) {
			best, bestKind, bestScore = i, k, s
		}
	}
	switch {
	case best < 0:
	case bestKind <= kindBanner:
		*notes = append(*notes, fmt.Sprintf("header at row %d: best header score (%d)", rows[best].Line, bestScore))
	case bestKind == kindBlank:
		*notes = append(*notes, fmt.Sprintf("no row looks like a header; using the first row with two or more cells (row %d)", rows[best].Line))
	default:
		*notes = append(*notes, fmt.Sprintf("header at row %d: best score %d, but only single-cell rows among the %d scanned",
			rows[best].Line, bestScore, len(rows)))
	}
	return best
}

// kindOf tells a plausible header from a banner, a row that scores
// nothing and a single-cell row. A banner repeats its cells in runs
// (unmerged group titles), or has at most half as many cells as the next
// non-empty row while that row scores at least as well (so a header above
// wider data rows stays a header).
func kindOf(rows []ScanRow, i, ne, sc int, score HeaderScorer) rowKind {
	switch {
	case ne == 1:
		return kindSingle
	case sc <= 0:
		return kindBlank
	case runs(rows[i].Cells)*2 <= ne:
		return kindBanner
	}
	for _, r := range rows[i+1:] {
		next := nonEmpty(r.Cells)
		if next == 0 {
			continue
		}
		if ne*2 <= next && !IsHXLRow(r.Cells) && score(r.Cells) >= sc {
			return kindBanner
		}
		break
	}
	return kindNormal
}

// runs counts maximal groups of equal adjacent non-empty cells (empty
// cells in between do not break a group): "A A B" has 2 runs.
func runs(cells []string) int {
	n, prev := 0, ""
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if c != prev {
			n++
		}
		prev = c
	}
	return n
}
