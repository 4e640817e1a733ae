package transform

import (
	"fmt"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform/cast"
)

// Several columns of one field (the rule of duplicate columns).
//
// Real files carry a figure or a name in two columns, each filled on
// different rows: "IDP individuals" on the rows of one team, "Total IDPs"
// on another's; an admin 2 name in English on some rows and in French on
// others. Keeping only the first column loses the others' values. The
// rule:
//
//   - The first column in header order feeds the field (Mapping.ColumnFor);
//     each later column of the field is a duplicate (RuleDuplicate) that
//     fills the field on the rows where every earlier column of the group
//     is empty (a blank or a missing-value token). A first cell holding a
//     spreadsheet error stays an error cell (emptied, with its warning), and
//     the duplicate's value gets a warning saying it was not used. A
//     cell that cannot fill (not of the field's type, a negative count) is
//     a warning naming its own column, and the field stays empty.
//   - Where the first column and a duplicate are both filled and differ
//     (compared as the field reads them: 1,250 and 1250 agree, and names
//     compare case-, accent- and spacing-insensitively), the first is
//     kept and the row gets a duplicate-header warning with both columns
//     and both values.
//   - Columns that differ on most sampled rows where both are filled (at
//     least 2 and more than half of them, Refine) are not two spellings of
//     one value: for a text field (names in two languages) the duplicate
//     only fills empty cells, without a warning per row; for a number,
//     date or yes/no field it is another figure and is left unread. A note
//     says which.
//
// The figure's reconciliation counts the filled cells in the file (they
// are read from it).

// coalesceGroup is a field fed by several columns.
type coalesceGroup struct {
	field string
	// cols are indexes into Mapping.Columns in header order: cols[0] feeds
	// the field, the others fill it.
	cols []int
	// fillOnly: the columns differ on most sampled rows (names in two
	// languages): fill empty cells, never warn on a difference.
	fillOnly []bool
}

// addDuplicate records column i (a duplicate of the column first that
// feeds its field) and returns the note of the duplicate.
func (m *Mapping) addDuplicate(field string, first, i int) string {
	g := m.groupOf(field)
	if g == nil {
		m.coalesce = append(m.coalesce, coalesceGroup{field: field, cols: []int{first}, fillOnly: []bool{false}})
		g = &m.coalesce[len(m.coalesce)-1]
	}
	g.cols = append(g.cols, i)
	g.fillOnly = append(g.fillOnly, false)
	fc := m.Columns[first]
	return fmt.Sprintf("field %s is fed by column %d %q; this column fills it on the rows where that one is empty (where both are filled and differ, column %d's value is kept, with a warning)",
		field, fc.Index+1, fc.Header, fc.Index+1)
}

func (m *Mapping) groupOf(field string) *coalesceGroup {
	for i := range m.coalesce {
		if m.coalesce[i].field == field {
			return &m.coalesce[i]
		}
	}
	return nil
}

// settleDuplicateColumns compares, on the sample, each duplicate column
// with the column feeding its field: columns that differ on most rows
// where both are filled are parallel (see the rule above). It returns a
// note per such column.
func (m *Mapping) settleDuplicateColumns(sample []ingest.Row) []string {
	var notes []string
	for gi := range m.coalesce {
		g := &m.coalesce[gi]
		f, ok := m.Dataset.Field(g.field)
		if !ok {
			continue
		}
		first := m.Columns[g.cols[0]]
		kept := g.cols[:1]
		fillOnly := g.fillOnly[:1]
		for k, ci := range g.cols[1:] {
			col := &m.Columns[ci]
			both, differ := 0, 0
			for _, r := range sample {
				a, b := cell(r.Cells, first.Index), cell(r.Cells, col.Index)
				if !fillable(a, r, first.Index) || !fillable(b, r, col.Index) {
					continue
				}
				both++
				if !sameValue(&f, a, b) {
					differ++
				}
			}
			if differ < 2 || differ*2 <= both {
				kept, fillOnly = append(kept, ci), append(fillOnly, g.fillOnly[k+1])
				continue
			}
			why := fmt.Sprintf("it differs from column %d %q on %d of the %d sampled rows where both are filled", first.Index+1, CleanHeader(first.Header), differ, both)
			if f.Kind == schemas.String {
				col.Note = fmt.Sprintf("field %s is fed by column %d %q; %s (another language or spelling): this column only fills the rows where that one is empty", g.field, first.Index+1, first.Header, why)
				kept, fillOnly = append(kept, ci), append(fillOnly, true)
			} else {
				col.Note = fmt.Sprintf("field %s is fed by column %d %q; %s, so it is another figure, not the same one: this column is kept unread", g.field, first.Index+1, first.Header, why)
			}
			notes = append(notes, fmt.Sprintf("column %q: %s", CleanHeader(col.Header), col.Note))
		}
		g.cols, g.fillOnly = kept, fillOnly
	}
	out := m.coalesce[:0]
	for _, g := range m.coalesce {
		if len(g.cols) > 1 {
			out = append(out, g)
		}
	}
	m.coalesce = out
	return notes
}

// emptyCell reports a cell with no value: blank or a missing-value token.
func emptyCell(s string) bool {
	return strings.TrimSpace(s) == "" || cast.IsMissing(s)
}

// fillable reports a cell holding a value that may fill or be compared:
// not empty, not a spreadsheet error cell (marked by the reader or written
// as text).
func fillable(s string, r ingest.Row, i int) bool {
	return !emptyCell(s) && !IsErrorCell(s) && !isMarkedError(r.Errors, i)
}

// dropDuplicates leaves the duplicate columns of these fields unread (their
// first columns were swapped back: which duplicate holds what is unknown).
func (m *Mapping) dropDuplicates(fields ...string) {
	out := m.coalesce[:0]
	for _, g := range m.coalesce {
		drop := false
		for _, f := range fields {
			drop = drop || g.field == f
		}
		if !drop {
			out = append(out, g)
			continue
		}
		for _, ci := range g.cols[1:] {
			m.Columns[ci].Note = fmt.Sprintf("field %s: its columns hold swapped values; this duplicate column is kept unread", g.field)
		}
	}
	m.coalesce = out
}
