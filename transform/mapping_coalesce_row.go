package transform

import (
	"fmt"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform/cast"
)

// coalesceColumns applies the rule of duplicate columns
// (mapping_coalesce.go) to one row: it returns the row's cells with the
// empty cell of each field's first column filled from the first later
// column of the field that holds a usable value, and warns on the row
// where the first column and a duplicate are both filled and differ, or
// where a duplicate's value cannot fill. It returns r.Cells itself (no
// copy) when nothing is filled; r.Cells is never modified.
func (c *Converter) coalesceColumns(r ingest.Row, rc *rowContext) []string {
	cells := r.Cells
	copied := false
	for gi := range c.m.coalesce {
		g := &c.m.coalesce[gi]
		f, ok := c.m.Dataset.Field(g.field)
		if !ok {
			continue
		}
		first := &c.m.Columns[g.cols[0]]
		if first.Field != g.field {
			continue // dropped since (values that look personal: protectFirstBatch)
		}
		a := cell(cells, first.Index)
		firstError := IsErrorCell(a) || isMarkedError(r.Errors, first.Index)
		firstEmpty := emptyCell(a) && !firstError
		firstUsable := fillable(a, r, first.Index)
		for k, ci := range g.cols[1:] {
			col := &c.m.Columns[ci]
			b := cell(r.Cells, col.Index)
			if col.Rule != RuleDuplicate || !fillable(b, r, col.Index) {
				continue
			}
			shown := b
			if f.Sensitivity != schemas.Public {
				shown = Redacted
			}
			if firstEmpty {
				if why := cannotFill(&f, b); why != "" {
					rc.warnf(col.Header, shown, schemas.CodeDuplicateHeader, "%s: %s, so this column cannot fill the empty cell of column %q; %s stays empty on this row", g.field, why, first.Header, g.field)
					continue
				}
				if !copied {
					cells = append(make([]string, 0, max(len(r.Cells), first.Index+1)), r.Cells...)
					copied = true
				}
				for len(cells) <= first.Index {
					cells = append(cells, "")
				}
				cells[first.Index] = b
				firstEmpty = false
				continue
			}
			if firstError {
				rc.warnf(col.Header, shown, schemas.CodeDuplicateHeader, "%s: column %q holds a spreadsheet error on this row, so this column's value is not used in its place; fix the formula in the source", g.field, first.Header)
				continue
			}
			if !firstUsable || g.fillOnly[k+1] || sameValue(&f, a, b) {
				continue
			}
			if f.Sensitivity != schemas.Public {
				rc.warnf(col.Header, shown, schemas.CodeDuplicateHeader, "%s: this column and column %q differ on this row; column %q's value is kept", g.field, first.Header, first.Header)
				continue
			}
			rc.warnf(col.Header, b, schemas.CodeDuplicateHeader, "%s: column %q says %s but column %q says %s on this row; %s kept (the first column of the field)",
				g.field, col.Header, cast.Quote(cast.Trim(b)), first.Header, cast.Quote(cast.Trim(a)), cast.Quote(cast.Trim(a)))
		}
	}
	return cells
}

// cannotFill says why a cell cannot be a value of the field ("" when it
// can): the casts of castInto, a negative count.
func cannotFill(f *schemas.Field, raw string) string {
	var err error
	switch f.Kind {
	case schemas.Int:
		var n int64
		n, _, err = parseIntCell(f, raw)
		if err == nil && n < 0 && isCount(*f) {
			return fmt.Sprintf("a count cannot be negative (%d)", n)
		}
	case schemas.Float:
		_, _, err = cast.ParseFloat(raw)
	case schemas.Date:
		_, _, _, err = cast.ParseDate(raw)
		if err != nil {
			_, _, _, err = cast.ParseMonthPeriod(raw)
		}
	case schemas.Bool:
		_, _, err = cast.ParseBool(raw)
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// sameValue reports two filled cells that say the same value of the
// field: equal numbers, dates or yes/no as cast, or texts equal but for
// case, accents and spacing. Cells that do not cast compare as text.
func sameValue(f *schemas.Field, a, b string) bool {
	switch f.Kind {
	case schemas.Int:
		x, _, ex := parseIntCell(f, a)
		y, _, ey := parseIntCell(f, b)
		if ex == nil && ey == nil {
			return x == y
		}
	case schemas.Float:
		x, _, ex := cast.ParseFloat(a)
		y, _, ey := cast.ParseFloat(b)
		if ex == nil && ey == nil {
			return x == y
		}
	case schemas.Date:
		x, _, _, ex := cast.ParseDate(a)
		y, _, _, ey := cast.ParseDate(b)
		if ex == nil && ey == nil {
			return x.Equal(y)
		}
	case schemas.Bool:
		x, _, ex := cast.ParseBool(a)
		y, _, ey := cast.ParseBool(b)
		if ex == nil && ey == nil {
			return x == y
		}
	}
	return cast.Fold(collapseSpace(a)) == cast.Fold(collapseSpace(b))
}
