package xlsx

import (
	"fmt"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

// headerFind is where the header (and HXL row) of a sheet were found among
// its first rows.
type headerFind struct {
	found   bool     // false when every scanned row is empty
	header  int      // index of the header row in the scanned rows
	hxl     int      // index of the HXL row, -1 if none
	score   int      // scorer's rating of the header row
	skipped int      // non-empty rows above the header (titles, banners)
	notes   []string // why this row
}

// dataStart is the index of the first data row in the scanned rows.
func (h headerFind) dataStart() int {
	return max(h.header, h.hxl) + 1
}

// rowKind classes a candidate header row.
type rowKind int

const (
	kindNormal rowKind = iota // a plausible header
	kindBanner                // a group banner or multi-cell title above a wider row
	kindSingle                // one non-empty cell: a title or a note
)

// excelErrors are the error literals Excel writes into cells (they start
// with '#' but are not HXL tags).
var excelErrors = map[string]bool{
	"#N/A": true, "#REF!": true, "#DIV/0!": true, "#VALUE!": true, "#NAME?": true,
	"#NUM!": true, "#NULL!": true, "#SPILL!": true, "#CALC!": true, "#GETTING_DATA": true,
}

// isHXLRow is ingest.LooksLikeHXLRow ignoring Excel error literals, so that
// a data row full of #N/A is not taken for tags while an HXL row with a
// #REF! cell still is.
func isHXLRow(cells []string) bool {
	clean := make([]string, len(cells))
	for i, c := range cells {
		if !excelErrors[strings.ToUpper(strings.TrimSpace(c))] {
			clean[i] = c
		}
	}
	return ingest.LooksLikeHXLRow(clean)
}

// nonEmpty counts cells that are not whitespace-only.
func nonEmpty(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
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

// findHeader locates the header among the first rows of a sheet (already
// trimmed of trailing empty cells). An HXL row settles it: the header is the
// nearest non-empty row above it. Otherwise the header is the best-scoring
// row, preferring plausible headers to banner rows (a row with at most half
// as many cells as the row under it, or whose cells repeat in runs as
// unmerged group titles do), and those to single-cell rows; ties go to the
// upper row.
func findHeader(rows []rawRow, score ingest.HeaderScorer) headerFind {
	hf := headerFind{header: -1, hxl: -1}
	for i, r := range rows {
		if isHXLRow(r.cells) {
			hf.hxl = i
			break
		}
	}
	if hf.hxl >= 0 {
		// The header is the non-empty row nearest above the HXL row, provided
		// it is also the best header candidate above it (otherwise the
		// "tags" are probably data, e.g. hashtags in a comment column).
		above := -1
		for j := hf.hxl - 1; j >= 0 && above < 0; j-- {
			if nonEmpty(rows[j].cells) > 0 {
				above = j
			}
		}
		var ignored []string
		switch {
		case above < 0:
			hf.header = hf.hxl
			hf.notes = append(hf.notes, fmt.Sprintf("the HXL tag row (row %d) has no header row above it: its tags are the column names", rows[hf.hxl].line))
		case above == bestRow(rows[:hf.hxl], score, &ignored):
			hf.header = above
			hf.notes = append(hf.notes, fmt.Sprintf("header at row %d: the row above the HXL tag row (row %d)", rows[above].line, rows[hf.hxl].line))
		default:
			hf.notes = append(hf.notes, fmt.Sprintf("row %d looks like HXL tags but is not under the header: treated as data", rows[hf.hxl].line))
			hf.hxl = -1
		}
	}
	if hf.hxl < 0 {
		hf.header = bestRow(rows, score, &hf.notes)
	}
	if hf.header < 0 {
		return hf
	}
	hf.found = true
	hf.score = score(rows[hf.header].cells)
	for _, r := range rows[:hf.header] {
		if nonEmpty(r.cells) > 0 {
			hf.skipped++
		}
	}
	if hf.skipped > 0 {
		hf.notes = append(hf.notes, fmt.Sprintf("%d title or banner row(s) above the header skipped", hf.skipped))
	}
	return hf
}

// bestRow returns the index of the best header candidate, or -1 when every
// row is empty.
func bestRow(rows []rawRow, score ingest.HeaderScorer, notes *[]string) int {
	best, bestKind, bestScore, firstNonEmpty := -1, kindSingle+1, 0, -1
	for i, r := range rows {
		ne := nonEmpty(r.cells)
		if ne == 0 {
			continue
		}
		if firstNonEmpty < 0 {
			firstNonEmpty = i
		}
		s := score(r.cells)
		if s <= 0 {
			continue
		}
		k := kindOf(rows, i, ne, s, score)
		if k < bestKind || (k == bestKind && s > bestScore) {
			best, bestKind, bestScore = i, k, s
		}
	}
	switch {
	case best >= 0:
		*notes = append(*notes, fmt.Sprintf("header at row %d: best header score (%d)", rows[best].line, bestScore))
	case firstNonEmpty >= 0:
		best = firstNonEmpty
		*notes = append(*notes, fmt.Sprintf("no row looks like a header; using the first non-empty row (row %d)", rows[best].line))
	}
	return best
}

// kindOf tells a plausible header from a banner or a single-cell row. A
// banner repeats its cells in runs (unmerged group titles), or has at most
// half as many cells as the next non-empty row while that row scores at
// least as well (so a header above wider data rows stays a header).
func kindOf(rows []rawRow, i, ne, sc int, score ingest.HeaderScorer) rowKind {
	if ne == 1 {
		return kindSingle
	}
	if runs(rows[i].cells)*2 <= ne {
		return kindBanner
	}
	for _, r := range rows[i+1:] {
		next := nonEmpty(r.cells)
		if next == 0 {
			continue
		}
		if ne*2 <= next && !isHXLRow(r.cells) && score(r.cells) >= sc {
			return kindBanner
		}
		break
	}
	return kindNormal
}
