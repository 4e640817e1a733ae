package transform

import "strings"

// Field names the generic converter fills for every dataset kind that has
// them (schemas: country_iso3 is the core field of DESIGN.md; operation is
// the DTM operation of site and admin records).
const (
	FieldCountry   = "country_iso3"
	FieldOperation = "operation"
)

// applyRunDefaults fills, for every kind, the fields the run gives a
// default for when the row has none: country_iso3 from Options.Country
// (--country, a job's country:) and operation from Options.Operation. It
// runs after the kind's own rules, which may have filled them from the row
// (a country cell, a p-code prefix): a value already set is never
// overwritten. A kind that declares neither field is left alone.
func (c *Converter) applyRunDefaults() {
	if v := c.optional(FieldCountry); v != nil && !v.set && c.opts.Country != "" {
		*v = strValue(strings.ToUpper(c.opts.Country))
	}
	if v := c.optional(FieldOperation); v != nil && !v.set && c.opts.Operation != "" {
		*v = strValue(c.opts.Operation)
	}
}
