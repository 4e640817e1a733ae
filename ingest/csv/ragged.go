package csv

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/iom-dtm/dtm/ingest"
)

// rejoinSplitCells repairs a row split by unquoted delimiters inside text
// cells: DTM exports join multi-valued answers with "; " ("Conflit;
// Inondation") and, written unquoted into a ';'-separated file, each such
// cell becomes two. When the row has k cells more than the header (width)
// and exactly k of its cells start with white space and follow a cell of
// text (a letter in both), those are the continuations: each is joined back
// to the cell before it with the delimiter, so every later cell is under its
// own header again. The repaired row has width cells and an extra-cell issue
// per joined cell naming it. Any other shape (no such cells, or more or
// fewer than the extra count) is left as it is (nil, false): the caller
// reports the cells beyond the header.
func rejoinSplitCells(cells []string, width int, delim rune) ([]string, []ingest.Issue, bool) {
	n := len(ingest.TrimTrailingEmpty(cells))
	extra := n - width
	if extra < 1 || width < 1 {
		return nil, nil, false
	}
	var joins []int
	for j := 1; j < n; j++ {
		if isContinuation(cells[j-1], cells[j]) {
			joins = append(joins, j)
		}
	}
	if len(joins) != extra {
		return nil, nil, false
	}
	out := make([]string, 0, width)
	var joined []int // indexes in out of the cells joined back, once each
	d := string(delim)
	for j := 0; j < n; j++ {
		if len(joins) > 0 && joins[0] == j {
			joins = joins[1:]
			last := len(out) - 1
			out[last] += d + cells[j]
			if len(joined) == 0 || joined[len(joined)-1] != last {
				joined = append(joined, last)
			}
			continue
		}
		out = append(out, cells[j])
	}
	issues := make([]ingest.Issue, len(joined))
	for k, i := range joined {
		issues[k] = ingest.Issue{Code: ingest.IssueExtraCell, Column: i, Value: out[i], Message: fmt.Sprintf(
			"the row has %d cell(s) more than the %d header columns: cell %d holds an unquoted %q (%q was split there); joined back, the row is kept and its later cells are under their headers; quote the cell in the source",
			extra, width, i+1, d, out[i])}
	}
	return out, issues, true
}

// isContinuation reports whether cell cur is the second part of a text
// cell split at an unquoted delimiter: it starts with white space (the
// space of "; ") and both it and the cell before it contain a letter.
func isContinuation(prev, cur string) bool {
	if cur == "" || !unicode.IsSpace([]rune(cur)[0]) {
		return false
	}
	return strings.IndexFunc(cur, unicode.IsLetter) >= 0 && strings.IndexFunc(prev, unicode.IsLetter) >= 0
}
