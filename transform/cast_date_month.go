package transform

import (
	"time"

	"github.com/iom-dtm/dtm/transform/cast"
)

// castDate casts a cell of a date field: the date's first day (a period's
// start). In a column named by a month or period word ("Mois", "Month",
// "Mes", "Période": dateColumn.month), a cell no date reading accepts is
// read as a month (cast.ParseMonthPeriod): "Jan 23" is January 2023 there,
// and "23-Jan", Excel's display of a cell typed "Jan-23", too.
func (c *Converter) castDate(slot int, header, raw string, rc *rowContext) (start time.Time, missing bool, err error) {
	start, _, missing, err = c.parseDate(raw, c.dateOrderFor(slot, header, raw, rc))
	if err == nil {
		return start, missing, nil
	}
	if dc := c.dateCols[slot]; dc != nil && dc.month {
		if ms, _, mmissing, merr := cast.ParseMonthPeriod(raw); merr == nil {
			return ms, mmissing, nil
		}
	}
	return start, missing, err
}
