package transform

import (
	"github.com/iom-dtm/dtm/transform/cast"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// applySiteCountry is applyCountry with the slot and column of
// country_iso3 in refs, and the answers of the country cells seen
// remembered there.
func (c *Converter) applySiteCountry(r ingest.Row, rc *rowContext, refs *siteRefs) {
	if refs.country < 0 {
		return // as applyCountry: no country_iso3
	}
	if raw, _, ok := c.rawAt(r, refs.countryCol); ok {
		if iso, ok := refs.countries.find(raw); ok {
			c.vals[refs.country] = strValue(iso)
			return
		}
		if iso, ok := c.countryOfCell(raw); ok {
			refs.countries.add(raw, strings.Clone(iso)) // iso may be raw upper-cased: raw itself
			c.vals[refs.country] = strValue(iso)
			return
		}
	}
	c.applyCountry(r, rc)
}

// countryOfCell is the ISO3 code of a country_iso3 cell (an ISO3 or ISO2
// code or a country name, or three letters taken as an ISO3 code); false
// for a missing or unknown cell.
func (c *Converter) countryOfCell(raw string) (string, bool) {
	if cast.IsMissing(raw) {
		return "", false
	}
	if iso, ok := c.memo.country(raw); ok {
		return iso, true
	}
	if s := strings.ToUpper(strings.TrimSpace(raw)); len(s) == 3 && isUpperAlpha(s) {
		return s, true
	}
	return "", false
}

// applyCountry fills country_iso3 from the cell (an ISO3 or ISO2 code or a
// country name), else from country_name, admin0_name or admin0_pcode, else
// from the run's default.
func (c *Converter) applyCountry(r ingest.Row, rc *rowContext) {
	v := c.get("country_iso3")
	if v == nil {
		return
	}
	if raw, header, ok := c.raw(r, "country_iso3"); ok && !cast.IsMissing(raw) {
		if iso, ok := c.countryOfCell(raw); ok {
			*v = strValue(iso)
			return
		}
		rc.errorf(header, raw, schemas.CodeConstraintError, "country_iso3: %q is not an ISO 3166 alpha-3 code or a known country; the row is dropped: country_iso3 is required", raw)
		return
	}
	// A country name or admin 0 p-code column (DTM API exports and national
	// series write "Country" or admin0Name, not an ISO3 column).
	for _, f := range [...]string{"country_name", "admin0_name", "admin0_pcode"} {
		if c.optional(f) == nil {
			continue // not a field of this kind
		}
		if raw, _, ok := c.raw(r, f); ok && !cast.IsMissing(raw) {
			if iso, ok := ISO3FromCountry(raw); ok {
				*v = strValue(iso)
				return
			}
		}
	}
	if c.opts.Country != "" {
		*v = strValue(strings.ToUpper(c.opts.Country))
		return
	}
	if iso, ok := c.rowCountry(); ok { // p-codes, else the file or sheet name
		*v = strValue(iso)
		return
	}
	v.set = false
}

// applyRound parses the round number and keeps the published label.
func (c *Converter) applyRound(r ingest.Row, rc *rowContext, refs *siteRefs) {
	raw, header, ok := c.rawAt(r, refs.roundCol)
	if !ok {
		c.applyInferredRound()
		return
	}
	v, label := c.slotValue(refs.round), c.slotValue(refs.roundLabel)
	v.reset()
	if rd, ok := refs.rounds.find(raw); ok {
		if label != nil {
			*label = strValue(rd.label)
		}
		*v = intValue(rd.n)
		return
	}
	if cast.IsMissing(raw) {
		return
	}
	trimmed := strings.TrimSpace(raw)
	if label != nil {
		*label = strValue(trimmed)
	}
	n, ok := c.memo.round(raw)
	if !ok {
		rc.warnf(header, raw, schemas.CodeTypeError, "round: no round number in %q; round left empty, label kept", raw)
		return
	}
	refs.rounds.add(raw, roundCell{n: n, label: strings.Clone(trimmed)})
	*v = intValue(n)
}

// applyOperation fills operation from the run's default when empty.
func (c *Converter) applyOperation() {
	if v := c.get("operation"); v != nil && !v.set && c.opts.Operation != "" {
		*v = strValue(c.opts.Operation)
	}
}

// checkRange empties a float outside [min, max] with a warning (a fault of
// that cell: the row is kept); slot and col are field's value slot and
// column (siteRefs).
func (c *Converter) checkRange(r ingest.Row, rc *rowContext, field string, slot, col int, min, max float64) {
	v := c.slotValue(slot)
	if v == nil || !v.set {
		return
	}
	if v.f < min || v.f > max {
		raw, header, _ := c.rawAt(r, col)
		rc.warnf(header, raw, schemas.CodeConstraintError, "%s %g is outside %g..%g (swapped with the other coordinate?); stored as empty, the row is kept", field, v.f, min, max)
		v.reset()
	}
}

func isUpperAlpha(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
