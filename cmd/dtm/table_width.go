package main

import (
	"strings"
	"unicode/utf8"
)

// keptWhole are the columns never cut to fit a terminal: what a user
// needs to act on (a reject's message, an error, a file, a reason).
var keptWhole = map[string]bool{"message": true, "error": true, "errors": true, "file": true,
	"source_file": true, "reason": true, "notes": true, "value": true, "code": true}

// minCut is the narrowest a column is cut to.
const minCut = 12

// fitColumns cuts the cells of rows (in place, "…" marking a cut) so that
// the table, its columns two spaces apart, fits width columns: the widest
// column that may be cut loses a column at a time, down to minCut. width
// 0 (not a terminal: a pipe, a file) cuts nothing. Columns in keptWhole
// are never cut, so a table may stay wider than the terminal (the
// terminal wraps it) rather than hide what a user needs.
func fitColumns(header []string, rows [][]string, width int) {
	if width <= 0 || len(header) == 0 {
		return
	}
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, r := range rows {
		for i, c := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(c))
			}
		}
	}
	total := func() int {
		n := 2 * (len(widths) - 1)
		for _, w := range widths {
			n += w
		}
		return n
	}
	limit := append([]int(nil), widths...)
	for total() > width {
		widest := -1
		for i, w := range widths {
			if keptWhole[strings.ToLower(header[i])] || w <= max(minCut, utf8.RuneCountInString(header[i])) {
				continue
			}
			if widest < 0 || w > widths[widest] {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		widths[widest]--
		limit[widest] = widths[widest]
	}
	for _, r := range rows {
		for i, c := range r {
			if i < len(limit) && utf8.RuneCountInString(c) > limit[i] {
				r[i] = string([]rune(c)[:limit[i]-1]) + "…"
			}
		}
	}
}
