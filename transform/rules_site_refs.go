package transform

import "github.com/iom-dtm/dtm/ingest"

// siteRefs are the value slots (-1: not stored) and columns (indexes in
// Mapping.Columns, -1: unmapped) the site rules read on every row, looked
// up once per converter through get and raw (so traced like them): by
// name, each cost a fieldRef lookup a row, a dozen a row. A worker (Fork)
// looks them up again with its memo.
type siteRefs struct {
	round, roundLabel, date, dateEnd, lat, lon, hh, ind, sadd int
	roundCol, dateCol, latCol, lonCol, hhCol, indCol          int
	// dateOrder is the date column's dateColumn (nil: none decided).
	dateOrder *dateColumn
	// country and countryCol are country_iso3's slot and column.
	country, countryCol int
	// pcodes are the p-code levels the rules check (pcodeLevelsOf of
	// siteLevels), nil until the first row's checks.
	pcodes []pcodeLevel
	// The answers of the country, round and date cells seen
	// (rules_site_cells.go).
	countries recentCells[string]
	rounds    recentCells[roundCell]
	dateEnds  dateEnds
}

// siteRefsOf returns the converter's siteRefs, looked up on first use
// (after the first batch's date orders are decided: Convert decides them
// before converting a row).
func (c *Converter) siteRefsOf() *siteRefs {
	if s := c.memo.site; s != nil {
		return s
	}
	slot := func(field string) int {
		if c.get(field) == nil {
			return -1
		}
		return c.ref(field).slot
	}
	col := func(field string) int {
		if _, _, ok := c.raw(ingest.Row{}, field); !ok {
			return -1
		}
		return c.ref(field).col
	}
	s := &siteRefs{
		round: slot("round"), roundLabel: slot("round_label"), date: slot("assessment_date"),
		dateEnd: slot("assessment_date_end"), lat: slot("latitude"), lon: slot("longitude"),
		hh: slot("idp_households"), ind: slot("idp_individuals"), sadd: slot("sadd"),
		roundCol: col("round"), dateCol: col("assessment_date"), latCol: col("latitude"),
		lonCol: col("longitude"), hhCol: col("idp_households"), indCol: col("idp_individuals"),
		country: slot(FieldCountry), countryCol: col(FieldCountry),
	}
	if s.date >= 0 {
		s.dateOrder = c.dateCols[s.date]
	}
	c.memo.site = s
	return s
}

// rawAt returns the raw cell and header of the column at index ci of the
// mapping (-1: "", "", false), as raw does for a field.
func (c *Converter) rawAt(r ingest.Row, ci int) (rawValue, header string, ok bool) {
	if ci < 0 {
		return "", "", false
	}
	col := &c.m.Columns[ci]
	return cell(r.Cells, col.Index), col.Header, true
}
