package csv

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

// scanned is a record read while looking for the header.
type scanned struct {
	row   int
	cells []string
}

// headerChoice is the outcome of header detection over the scanned records.
type headerChoice struct {
	header int // index in the scanned records
	hxl    int // index of the HXL row, -1 if none
	note   string
}

// chooseHeader picks the header among the scanned records:
//  1. HXL evidence: the first record that looks like an HXL tag row whose
//     record above has labels (ingest.DefaultScore > 0) makes that record
//     above the header;
//  2. otherwise the best-scoring record (earliest on ties) among records
//     with at least two non-empty cells, so that a title is never the header;
//  3. otherwise (only single-cell records) the best-scoring non-empty record.
//
// The record right under the header is the HXL row if it looks like one.
// It fails with ErrNoHeader when every scanned cell is empty.
func chooseHeader(recs []scanned, score ingest.HeaderScorer) (headerChoice, error) {
	if score == nil {
		score = ingest.DefaultScore
	}
	for i := 1; i < len(recs); i++ {
		above := recs[i-1].cells
		if isHXLRow(recs[i].cells) && !isHXLRow(above) && ingest.DefaultScore(above) > 0 {
			return headerChoice{header: i - 1, hxl: i, note: fmt.Sprintf(
				"header at row %d: the row above the HXL tag row %d", recs[i-1].row, recs[i].row)}, nil
		}
	}
	for _, minCells := range []int{2, 1} {
		best, bestScore, considered := -1, 0, 0
		for i, r := range recs {
			if nonEmpty(r.cells) < minCells {
				continue
			}
			considered++
			if s := score(r.cells); best < 0 || s > bestScore {
				best, bestScore = i, s
			}
		}
		if best < 0 {
			continue
		}
		c := headerChoice{header: best, hxl: -1}
		if minCells == 2 {
			c.note = fmt.Sprintf("header at row %d: best score %d among %d scanned rows with two or more cells",
				recs[best].row, bestScore, considered)
		} else {
			c.note = fmt.Sprintf("header at row %d: best score %d, but only single-cell rows among the %d scanned",
				recs[best].row, bestScore, len(recs))
		}
		if best+1 < len(recs) && isHXLRow(recs[best+1].cells) {
			c.hxl = best + 1
		}
		return c, nil
	}
	return headerChoice{}, fmt.Errorf("%w: all cells of the first %d rows are empty", ErrNoHeader, len(recs))
}

// isHXLRow is ingest.LooksLikeHXLRow, also refusing rows with a numeric
// cell: tag rows hold no numbers, while a two-column data row such as
// `12,#A7` would otherwise look like one.
func isHXLRow(cells []string) bool {
	if !ingest.LooksLikeHXLRow(cells) {
		return false
	}
	for _, c := range cells {
		if _, err := strconv.ParseFloat(strings.TrimSpace(c), 64); err == nil {
			return false
		}
	}
	return true
}

// nonEmpty counts the cells that are not blank.
func nonEmpty(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// buildHeader fills h from the scanned records and the choice.
func buildHeader(h *ingest.Header, recs []scanned, c headerChoice) {
	hr := recs[c.header]
	h.HeaderLine = hr.row
	h.Columns = ingest.TrimTrailingEmpty(hr.cells)
	h.SkippedAbove = c.header
	h.Notes = append(h.Notes, c.note)
	if c.header > 0 {
		h.Notes = append(h.Notes, fmt.Sprintf("skipped %d title or banner rows above the header", c.header))
	}
	if c.hxl < 0 {
		return
	}
	xr := recs[c.hxl]
	tags := ingest.TrimTrailingEmpty(xr.cells)
	h.HXLLine = xr.row
	h.HXL = make([]string, max(len(h.Columns), len(tags)))
	copy(h.HXL, tags)
	h.Notes = append(h.Notes, fmt.Sprintf("HXL tag row at row %d", xr.row))
}
