package transform

import (
	"github.com/iom-dtm/dtm/transform/cast"
	"slices"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// siteAssessmentRules: country, round, ranges, households <= individuals,
// SADD sums and p-codes.
func siteAssessmentRules(c *Converter, r ingest.Row, rc *rowContext) {
	c.routePopulation(r, rc)
	s := c.siteRefsOf()
	c.applySiteCountry(r, rc, s)
	c.applyRound(r, rc, s)
	c.applyOperation()
	c.applyDateEnd(r, s)
	c.checkRange(r, rc, "latitude", s.lat, s.latCol, -90, 90)
	c.checkRange(r, rc, "longitude", s.lon, s.lonCol, -180, 180)
	hh, ind := c.slotValue(s.hh), c.slotValue(s.ind)
	if hh.set && ind.set && hh.i > ind.i {
		raw, header, _ := c.rawAt(r, s.hhCol)
		rc.warnf(header, raw, schemas.CodeConstraintError,
			"idp_households (%d) is more than idp_individuals (%d): check the two columns; both kept as published", hh.i, ind.i)
	}
	c.checkSADDSum("idp_individuals", c.slotValue(s.sadd), ind, rc)
	if s.pcodes == nil {
		s.pcodes = c.pcodeLevelsOf(siteLevels[:])
	}
	c.checkPcodeLevels(r, rc, s.pcodes)
}

// siteLevels are the admin levels whose p-codes the site rules check.
var siteLevels = [...]string{"admin1", "admin2", "admin3", "admin4"}

// checkPcodes flags pseudo codes, codes of the wrong shape and (through
// the run's PcodeBook) codes missing from the gazetteer, row by row: these
// are warnings, the row is kept and the code stored as published, with
// flags in pcode_flags. Whether a code nests under its parent's and whether
// its name is the one most rows give it are judged on the whole file: the
// rows are collected here and warned about in Finish (not in pcode_flags,
// whose rows are written by then).
func (c *Converter) checkPcodes(r ingest.Row, rc *rowContext, levels []string) {
	c.checkPcodeLevels(r, rc, c.pcodeLevelsOf(levels))
}

// checkPcodeLevels is checkPcodes of the levels pls (pcodeLevelsOf).
func (c *Converter) checkPcodeLevels(r ingest.Row, rc *rowContext, pls []pcodeLevel) {
	iso := ""
	if v := c.get("country_iso3"); v != nil && v.set {
		iso = v.s
	}
	// A row with the cells of an earlier clean row does what it did
	// (pcode_row.go); without a gazetteer only, whose checks are not
	// remembered.
	var rec *pcodeRow
	if len(pls) <= pcodeRowLevels && !c.opts.Pcodes.loaded() && !c.memo.rows.off {
		rs := &c.memo.rows
		if rs.hot.n > 0 { // a full row was found (none in a file's first million rows)
			if hk, ok := pcodeHotKeyOf(c, pls); ok {
				if h := rs.hot.find(&hk, pcodeHotIso(iso), len(pls), c.pcodeFile.gen); h != nil {
					rs.found++
					c.pcodeFile.replayHot(h)
					return
				}
			}
		}
		if pr := rs.find(c, iso, pls); pr != nil && pr.gen == c.pcodeFile.gen {
			c.pcodeFile.replayRow(pr, r.Line)
			if pr.full {
				if hk, ok := pcodeHotKeyOf(c, pls); ok {
					rs.hot.put(&hk, pr)
				}
			}
			return
		}
		rec = c.memo.rows.start(c, iso, pls)
		defer func() {
			if rec != nil { // still clean
				c.memo.rows.add(c, rec, pls)
			}
		}()
	}
	flags := c.optional("pcode_flags") // site records keep them; admin records only warn
	flag := func(f string) {
		if flags != nil {
			flags.set = true
			flags.list = append(flags.list, f)
		}
	}
	parent, parentOK := "", false
	for li, pl := range pls {
		field := pl.field
		v := c.slotValue(pl.slot)
		if v == nil || !v.set {
			parentOK = false
			continue
		}
		code := v.s
		header := pl.header
		m := c.memo.pcode(code, iso, li+1)
		if rec != nil && (m.pseudo || !m.shapeOK) {
			rec = nil // flagged: not clean
		}
		switch {
		case m.pseudo:
			flag(field + ":pseudo")
			rc.warnf(header, code, schemas.CodePseudoPcode, "%s %q is a DTM pseudo p-code, kept as published", field, code)
		case !m.shapeOK:
			flag(field + ":shape")
			if iso == "" {
				rc.warnf(header, code, schemas.CodePcodeShape, "%s %q does not look like a p-code (two or three letters, then letters and digits)", field, code)
			} else {
				rc.warnf(header, code, schemas.CodePcodeShape, "%s %q does not look like a p-code of %s (its ISO letters, then at least %d letters or digits)", field, code, iso, li+1)
			}
		case parentOK:
			// The gazetteer's word on a code's parent is final; the prefix
			// rule is a heuristic judged on the whole file.
			if gp, ok := c.opts.Pcodes.Parent(li+1, code); ok {
				if !strings.EqualFold(strings.TrimSpace(gp), strings.TrimSpace(parent)) {
					flag(field + ":hierarchy")
					rc.warnf(header, code, schemas.CodePcodeHierarchy, "%s %q is under admin%d p-code %q in the gazetteer, not %q as on this row", field, code, li, gp, parent)
				}
			} else {
				switch c.pcodeFile.noteNesting(li+1, code, parent, header, r.Line) {
				case nestingCounted:
					if rec != nil {
						rec.nest |= 1 << li
					}
				case nestingOdd:
					rec = nil // warned about in Finish: not clean
				}
			}
		}
		if nv := c.slotValue(pl.nameSlot); nv != nil && nv.set && !m.pseudo {
			e, i := c.pcodeFile.noteNameOf(m, li+1, code, nv.s, header, r.Line)
			if rec != nil {
				if e == nil {
					rec = nil // not noted (bounds): not remembered
				} else {
					rec.ent[li], rec.idx[li] = e, i
				}
			}
		}
		if c.opts.Pcodes != nil {
			for _, p := range c.opts.Pcodes.Check(li+1, code) {
				flag(field + ":" + p.flag)
				rc.warnf(header, code, p.code, "%s", p.message)
			}
		}
		parent, parentOK = code, !m.pseudo && m.shapeOK
	}
}

// pcodeLevel is what checkPcodes reads of one admin level: the p-code
// and name fields, their value slots (-1: not stored) and the header of
// the p-code's column ("" when unmapped).
type pcodeLevel struct {
	field, header  string
	slot, nameSlot int
}

// pcodeLevelsOf returns the pcodeLevel of each level, worked out on the
// first row (through get and raw, so traced like them) and kept for the
// converter's levels (a kind checks one list of levels).
func (c *Converter) pcodeLevelsOf(levels []string) []pcodeLevel {
	if pl := c.pcodeLevels; len(pl) == len(levels) && slices.Equal(c.pcodeLevelsFor, levels) {
		return pl
	}
	pl := make([]pcodeLevel, len(levels))
	for i, lvl := range levels {
		field, nameField := pcodeFields(lvl)
		pl[i] = pcodeLevel{field: field, slot: -1, nameSlot: -1}
		if c.get(field) != nil {
			pl[i].slot = c.slot[field]
		}
		if c.get(nameField) != nil {
			pl[i].nameSlot = c.slot[nameField]
		}
		_, pl[i].header, _ = c.raw(ingest.Row{}, field)
	}
	c.pcodeLevels, c.pcodeLevelsFor = pl, slices.Clone(levels)
	return pl
}

// slotValue returns the value of a slot (nil for -1).
func (c *Converter) slotValue(slot int) *value {
	if slot < 0 {
		return nil
	}
	return &c.vals[slot]
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

// applyDateEnd stores the last day of an assessment date published as a
// range ("16 - 23 Jan 2023") in assessment_date_end; a single date is its
// own end. The start was cast by the generic casting (which reported any
// error).
func (c *Converter) applyDateEnd(r ingest.Row, refs *siteRefs) {
	start, end := c.slotValue(refs.date), c.slotValue(refs.dateEnd)
	if start == nil || end == nil || !start.set {
		return
	}
	raw, _, ok := c.rawAt(r, refs.dateCol)
	if !ok {
		return
	}
	ord := cast.DateOrderAuto
	if dc := refs.dateOrder; dc != nil {
		ord = dc.order
	}
	s, e, ok := refs.dateEnds.parse(c, raw, ord)
	if !ok || !s.Equal(start.d) {
		return
	}
	end.set, end.d = true, e
}
