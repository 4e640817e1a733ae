package transform

import (
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// siteAssessmentRules: country, round, ranges, households <= individuals,
// SADD sums and p-codes.
func siteAssessmentRules(c *Converter, r ingest.Row, rc *rowContext) {
	c.routePopulation(r, rc)
	c.applyCountry(r, rc)
	c.applyRound(r, rc)
	c.applyOperation()
	c.applyDateEnd(r, "assessment_date", "assessment_date_end")
	c.checkRange(r, rc, "latitude", -90, 90)
	c.checkRange(r, rc, "longitude", -180, 180)
	hh, ind := c.get("idp_households"), c.get("idp_individuals")
	if hh.set && ind.set && hh.i > ind.i {
		raw, header, _ := c.raw(r, "idp_households")
		rc.errorf(header, raw, schemas.CodeConstraintError,
			"idp_households (%d) is more than idp_individuals (%d): check the two columns", hh.i, ind.i)
	}
	c.checkSADDSum("idp_individuals", rc)
	c.checkPcodes(r, rc, []string{"admin1", "admin2", "admin3", "admin4"})
}

// checkPcodes flags pseudo codes, codes of the wrong shape, codes not under
// their parent, and (through the run's PcodeBook) codes with several names
// or missing from the gazetteer. All are warnings: the row is kept and the
// code stored as published, with flags in pcode_flags.
func (c *Converter) checkPcodes(r ingest.Row, rc *rowContext, levels []string) {
	iso := ""
	if v := c.get("country_iso3"); v != nil && v.set {
		iso = v.s
	}
	flags := c.get("pcode_flags")
	flag := func(f string) {
		if flags != nil {
			flags.set = true
			flags.list = append(flags.list, f)
		}
	}
	parent, parentPseudo := "", false
	for li, lvl := range levels {
		field, nameField := pcodeFields(lvl)
		v := c.get(field)
		if v == nil || !v.set {
			continue
		}
		code := v.s
		header := func() string {
			_, h, _ := c.raw(r, field)
			return h
		}
		m := c.memo.pcode(code, iso, li+1)
		switch {
		case m.pseudo:
			flag(field + ":pseudo")
			rc.warnf(header(), code, schemas.CodePseudoPcode, "%s %q is a DTM pseudo p-code, kept as published", field, code)
		case !m.shapeOK:
			flag(field + ":shape")
			rc.warnf(header(), code, schemas.CodePcodeShape, "%s %q does not look like a p-code of %s", field, code, iso)
		case parent != "" && !parentPseudo && !PcodeUnder(code, parent):
			flag(field + ":hierarchy")
			rc.warnf(header(), code, schemas.CodePcodeHierarchy, "%s %q is not under its admin%d p-code %q", field, code, li, parent)
		}
		if c.opts.Pcodes != nil {
			name := ""
			if nv := c.get(nameField); nv != nil && nv.set {
				name = nv.s
			}
			for _, p := range c.opts.Pcodes.Check(li+1, code, name) {
				flag(field + ":" + p.flag)
				rc.warnf(header(), code, p.code, "%s", p.message)
			}
		}
		parent, parentPseudo = code, m.pseudo
	}

}

// pcodeFields returns the p-code and name fields of an admin level
// ("admin2" -> "admin2_pcode", "admin2_name"), without allocating for the
// levels of the canonical schemas.
func pcodeFields(lvl string) (pcode, name string) {
	switch lvl {
	case "admin0":
		return "admin0_pcode", "admin0_name"
	case "admin1":
		return "admin1_pcode", "admin1_name"
	case "admin2":
		return "admin2_pcode", "admin2_name"
	case "admin3":
		return "admin3_pcode", "admin3_name"
	case "admin4":
		return "admin4_pcode", "admin4_name"
	}
	return lvl + "_pcode", lvl + "_name"
}

// applyDateEnd stores the last day of a date published as a range ("16 -
// 23 Jan 2023") in endField; a single date is its own end. The start was
// cast by the generic casting (which reported any error).
func (c *Converter) applyDateEnd(r ingest.Row, field, endField string) {
	start, end := c.get(field), c.get(endField)
	if start == nil || end == nil || !start.set {
		return
	}
	raw, _, ok := c.raw(r, field)
	if !ok {
		return
	}
	s, e, missing, err := ParseDate(raw)
	if err != nil || missing || !s.Equal(start.d) {
		return
	}
	end.set, end.d = true, e
}
