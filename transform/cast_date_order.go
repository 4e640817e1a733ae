package transform

import (
	"fmt"
	"github.com/iom-dtm/dtm/transform/cast"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// dateColumn is the decided order of one date column.
type dateColumn struct {
	order cast.DateOrder
	// why says how the order was decided, for messages and notes.
	why string
	// proved is true when a value of the column proves the order.
	proved bool
	// month is set for a column named by a month or period word ("Mois",
	// "Month"): its cells are months (castDate).
	month bool
}

// decideDateOrders decides, for each date column cast by kind, the order
// of its numeric dates from the first batch of rows: a value whose first
// number is above 12 ("13/03/2024") proves day-first, one whose second is
// ("03/13/2024") proves month-first; a column with no proof follows the
// file's language (its headers), else DTM's convention (day-first); a
// column with both proofs reads each value the only way it can, day-first
// when both can.
func (c *Converter) decideDateOrders(rows []ingest.Row) {
	if c.dateCols != nil {
		return
	}
	c.dateCols = map[int]*dateColumn{}
	hint, hintWhy := c.dateOrderHint()
	for _, st := range c.plan {
		if c.fields[st.slot].Kind != schemas.Date {
			continue
		}
		col := &c.m.Columns[st.col]
		dmyAt, mdyAt := -1, -1
		var dmyVal, mdyVal string
		for _, r := range rows {
			a, b, ok := cast.NumericDayMonth(cell(r.Cells, col.Index))
			if !ok {
				continue
			}
			switch {
			case a > 12 && b >= 1 && b <= 12 && dmyAt < 0:
				dmyAt, dmyVal = r.Line, strings.Clone(cast.Trim(cell(r.Cells, col.Index)))
			case b > 12 && a >= 1 && a <= 12 && mdyAt < 0:
				mdyAt, mdyVal = r.Line, strings.Clone(cast.Trim(cell(r.Cells, col.Index)))
			}
		}
		dc := &dateColumn{proved: true}
		switch {
		case dmyAt >= 0 && mdyAt >= 0:
			dc.proved = false
			dc.order, dc.why = cast.DateOrderAuto, fmt.Sprintf("the column mixes day-first (row %d: %s) and month-first (row %d: %s) dates", dmyAt, dmyVal, mdyAt, mdyVal)
			c.notes = append(c.notes, fmt.Sprintf("column %q: %s; each date is read the only way it can be, day-first when both can", col.Header, dc.why))
		case mdyAt >= 0:
			dc.order, dc.why = cast.DateOrderMDY, fmt.Sprintf("row %d of the column has %s, which only month-first makes a date", mdyAt, mdyVal)
			c.notes = append(c.notes, fmt.Sprintf("column %q: dates read month-first (%s)", col.Header, dc.why))
		case dmyAt >= 0:
			dc.order, dc.why = cast.DateOrderDMY, fmt.Sprintf("row %d of the column has %s, which only day-first makes a date", dmyAt, dmyVal)
		default:
			dc.order, dc.why, dc.proved = hint, "no date of the column proves the order and "+hintWhy, false
		}
		dc.month = readHeader(col.Header).Month
		c.dateCols[st.slot] = dc
	}
}

// dateOrderHint is the order of a column without proof: the file's
// language (French, Spanish or Portuguese headers write day-first), else
// DTM's convention, day-first.
func (c *Converter) dateOrderHint() (cast.DateOrder, string) {
	for _, col := range c.m.Columns {
		h := " " + strings.ToLower(col.Header) + " "
		for _, w := range []string{" date de ", "évaluation", "ménages", " nombre ", " fecha ", " data de ", "déplacé", " pdi", "personnes"} {
			if strings.Contains(h, w) {
				return cast.DateOrderDMY, "the file's headers are French, Spanish or Portuguese, which write the day first"
			}
		}
	}
	return cast.DateOrderDMY, "DTM files write the day first"
}

// dateOrderFor returns the order of a date column cast by kind and checks
// the value against it: a value that could be read either way, in a column
// without proof, is an ambiguous-date warning (the date is kept as read in
// the column's order); so is a value that only the other order makes a
// date (it is read that way).
func (c *Converter) dateOrderFor(slot int, header, raw string, rc *rowContext) cast.DateOrder {
	dc := c.dateCols[slot]
	if dc == nil {
		return cast.DateOrderAuto
	}
	a, b, ok := cast.NumericDayMonth(raw)
	if !ok || a == b || a < 1 || b < 1 || a > 12 && b > 12 {
		return dc.order
	}
	shown := cast.Trim(raw)
	switch {
	case a <= 12 && b <= 12:
		if !dc.proved {
			rc.warnf(header, raw, schemas.CodeAmbiguousDate, "%s could be day-first or month-first; read %s because %s; check the column",
				shown, orderOrDayFirst(dc.order), dc.why)
		}
	case a > 12 && dc.order == cast.DateOrderMDY:
		rc.warnf(header, raw, schemas.CodeAmbiguousDate, "%s can only be day-first, but the column is read month-first because %s; read day-first; check the column", shown, dc.why)
	case b > 12 && dc.order == cast.DateOrderDMY:
		rc.warnf(header, raw, schemas.CodeAmbiguousDate, "%s can only be month-first, but the column is read day-first because %s; read month-first; check the column", shown, dc.why)
	}
	return dc.order
}

func orderOrDayFirst(o cast.DateOrder) string {
	if o == cast.DateOrderMDY {
		return o.String()
	}
	return cast.DateOrderDMY.String()
}
