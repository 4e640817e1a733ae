package transform

import (
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform/cast"
)

// parseIntCell casts a cell of a whole-number field. A count of persons
// or households (isCount) may write its unit after the number ("12 HH",
// "250 ind.", cast.ParseCount): the unit must be the field's, else the
// cell is a type error naming both ("12 HH" in a column of individuals is
// not 12 individuals). The month of a reporting date may be a month name
// ("janvier", "Feb": cast.MonthNumber). Other whole numbers (round, year,
// age) are cast.ParseInt.
func parseIntCell(f *schemas.Field, raw string) (v int64, missing bool, err error) {
	if f.Name == fieldReportingMonth {
		v, missing, err = cast.ParseInt(raw)
		if m := cast.MonthNumber(raw); err != nil && m > 0 {
			return int64(m), false, nil // "janvier", "Feb": a month column beside a Year column
		}
		return v, missing, err
	}
	if !isCount(*f) {
		return cast.ParseInt(raw)
	}
	v, unit, missing, err := cast.ParseCount(raw)
	if err != nil || unit == cast.UnitNone {
		return v, missing, err
	}
	if (unit == cast.UnitHouseholds) != (f.Unit == schemas.Households) {
		return 0, false, cast.TypeErrorf("%s is a number of %s, but %s counts %s; fix the cell or the column", cast.Quote(raw), unit, f.Name, f.Unit)
	}
	return v, false, nil
}
