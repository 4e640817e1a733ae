package ingest

import "strings"

// GroupSeparator joins a group label and a sub-label of a two-row header:
// "Family size / Total individuals".
const GroupSeparator = " / "

// span is one non-empty cell of an upper header row and the columns it
// covers: up to the next non-empty cell of the row with another label (a
// merged cell reaches a reader as its value in the first cell and blanks
// after it; a CSV export pads it with empty cells the same way, or repeats
// the label in each column).
type span struct {
	label      string
	start, end int // columns [start, end)
	group      bool
}

// spans lists the non-empty cells of upper with the columns each covers,
// up to width, and marks as a group each one with a sub-label in lower in
// a column after its first.
func spans(upper, lower []string, width int) []span {
	var out []span
	for k := 0; k < len(upper); k++ {
		if blank(upper, k) {
			continue
		}
		label := strings.TrimSpace(upper[k])
		end := k + 1
		for end < width && (blank(upper, end) || strings.TrimSpace(upper[end]) == label) {
			end++
		}
		s := span{label: label, start: k, end: end}
		for j := k + 1; j < end; j++ {
			if !blank(lower, j) {
				s.group = true
			}
		}
		out = append(out, s)
		k = end - 1
	}
	return out
}

// TwoRowHeader reports whether upper and lower (adjacent rows) form one
// header of two rows: group labels over sub-labels, with the other labels
// in the upper row alone, as a spreadsheet shows
//
//	Form no | Date | Family size |         |
//	        |      | Males       | Females | Total individuals
//
// (vertically merged "Form no" and "Date", "Family size" merged over three
// columns). It holds when both rows are labels only (no number, no HXL
// tag), the upper row has two or more labels, at least one upper label is
// a group (a sub-label under a blank upper cell of its span), and at least
// one upper label stands alone over a blank lower cell: so neither row
// names every column by itself. A label under a standalone upper label
// means the lower row is something else (a units row, a second header):
// no. A group banner over a complete row of sub-labels is not a two-row
// header: the lower row names every column and is the header alone.
func TwoRowHeader(upper, lower []string) bool {
	if nonEmpty(upper) < 2 || !labelRow(upper) || !labelRow(lower) || IsHXLRow(lower) {
		return false
	}
	width := max(len(upper), len(lower))
	grouped, standalone := false, false
	for _, s := range spans(upper, lower, width) {
		switch {
		case s.group:
			grouped = true
		case !blank(lower, s.start):
			return false
		default:
			standalone = true
		}
	}
	return grouped && standalone
}

// JoinHeaderRows joins the labels of a two-row header: under a group, the
// sub-label is prefixed with the group ("Family size / Males"), and a
// group column without sub-label keeps the group label; a standalone upper
// label is kept as is; a sub-label before the first upper label stands
// alone. Trailing empty labels are removed.
func JoinHeaderRows(upper, lower []string) []string {
	width := max(len(upper), len(lower))
	out := make([]string, width)
	for j := 0; j < width && j < len(lower); j++ {
		out[j] = strings.TrimSpace(lower[j])
	}
	for _, s := range spans(upper, lower, width) {
		for j := s.start; j < s.end; j++ {
			switch {
			case !s.group:
				if j == s.start {
					out[j] = s.label
				}
			case !blank(lower, j):
				out[j] = s.label + GroupSeparator + strings.TrimSpace(lower[j])
			case j == s.start || !blank(upper, j):
				out[j] = s.label
			}
		}
	}
	return TrimTrailingEmpty(out)
}

// unitsRow reports whether row, right under header, is a units row: each
// of its non-empty cells sits under a header label, none is HXL, and either
// all of them read as units ("(persons)", "HH", "%", "dd/mm/yyyy") or,
// given the HXL row under it, the HXL row tags a header column where row
// is blank (so row cannot be the header the tags describe).
func unitsRow(header, row, hxl []string) bool {
	if nonEmpty(row) == 0 || IsHXLRow(row) {
		return false
	}
	allUnits := true
	for j, c := range row {
		if strings.TrimSpace(c) == "" {
			continue
		}
		if blank(header, j) {
			return false
		}
		if !unitLike(c) {
			allUnits = false
		}
	}
	if allUnits {
		return true
	}
	if hxl == nil {
		return false
	}
	for j := range header {
		if !blank(header, j) && blank(row, j) && !blank(hxl, j) {
			return true
		}
	}
	return false
}
