package transform

import (
	"github.com/iom-dtm/dtm/transform/cast"
	"regexp"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// RuleReasonFlag marks a 0/1 reason flag column (reason_economic,
// raison_conflit, reason/economic) feeding the reasons list.
const RuleReasonFlag = "reason-flag"

// flowCountryFields are the country fields of both flow kinds cast by
// ISO3FromCountry; flowSurveyCountryFields are the survey's own.
var (
	flowCountryFields = []string{"fmp_country", "origin_country", "previous_country", "next_country",
		"final_destination_country", "destination_country", "nationality"}
	flowSurveyCountryFields = []string{"birth_country"}
)

var (
	flowRegistryCustom = fieldSet(append([]string{"country_iso3", "direction", "sex", "period_start", "period_end",
		"period_type", "transport_mode", "reasons", "age_group"}, flowCountryFields...)...)
	flowSurveyCustom = fieldSet(append([]string{"country_iso3", "direction", "sex", "period_start", "period_end",
		"period_type", "transport_mode", "reasons", "age", "respondent_id"}, append(flowCountryFields, flowSurveyCountryFields...)...)...)
)

// reasonColumn is one reason flag column.
type reasonColumn struct {
	index  int
	reason string
}

var flowReasonHeader = regexp.MustCompile(`^(?:reasons?|raisons?|motifs?|motivos?|reason_for_travel|reason_for_movement|raison_du_deplacement|motif_du_voyage)_(.+)$`)

// flowPrepare finds the reason flag columns among the columns no field took.
func flowPrepare(c *Converter) {
	for i := range c.m.Columns {
		col := &c.m.Columns[i]
		if col.Rule != RuleUnmapped && col.Rule != RuleKoboOption {
			continue
		}
		for _, k := range HeaderKeys(col.Header) {
			m := flowReasonHeader.FindStringSubmatch(k)
			if m == nil {
				continue
			}
			reason, ok := NormalizeReason(m[1])
			if !ok {
				reason = m[1]
			}
			col.Field, col.Rule, col.Note = "reasons", RuleReasonFlag, ""
			c.ext.reasonCols = append(c.ext.reasonCols, reasonColumn{index: col.Index, reason: reason})
			break
		}
	}
}

// flowRegistryRules: flow monitoring registry counts.
func flowRegistryRules(c *Converter, r ingest.Row, rc *rowContext) {
	c.flowCommon(r, rc, true)
	c.flowAgeGroup(r, rc)
	if u, n := c.get("uac"), c.get("individuals"); u.set && n.set && u.i > n.i {
		raw, header, _ := c.raw(r, "uac")
		rc.warnf(header, raw, schemas.CodeConstraintError, "uac (%d) is more than individuals (%d): check the two columns", u.i, n.i)
	}
	c.dropPersonalValues(r, rc)
}

// flowSurveyRules: flow monitoring survey respondents.
func flowSurveyRules(c *Converter, r ingest.Row, rc *rowContext) {
	c.flowCommon(r, rc, false)
	for _, f := range flowSurveyCountryFields {
		c.flowCountry(r, rc, f)
	}
	c.flowSurveyAge(r, rc)
	if raw, _, ok := c.raw(r, "respondent_id"); ok && !cast.IsMissing(raw) && c.opts.Pseudonymizer != nil {
		if v := c.get("respondent_key"); v != nil {
			*v = strValue(c.opts.Pseudonymizer.Pseudonym(raw))
		}
	}
	if g := c.get("group_size"); g != nil && g.set && g.i == 0 {
		raw, header, _ := c.raw(r, "group_size")
		rc.warnf(header, raw, schemas.CodeConstraintError, "group_size is 0: a group includes the respondent; stored as empty")
		g.reset()
	}
	c.dropPersonalValues(r, rc)
}

// flowCommon casts what the registry and the survey share.
func (c *Converter) flowCommon(r ingest.Row, rc *rowContext, periodRequired bool) {
	for _, f := range flowCountryFields {
		c.flowCountry(r, rc, f)
	}
	c.flowCountryISO3(r, rc)
	c.flowPeriod(r, rc, periodRequired)
	c.flowVocab(r, rc, "direction", NormalizeDirection, "")
	if raw, _, ok := c.raw(r, "direction"); (!ok || cast.IsMissing(raw)) && c.opts.Direction != "" {
		if v := c.get("direction"); v != nil {
			*v = strValue(c.opts.Direction) // from the sheet's name (Options.Direction)
		}
	}
	c.flowVocab(r, rc, "transport_mode", NormalizeTransport, "other")
	c.flowSex(r, rc)
	c.flowReasons(r, rc)
}

// flowCountry casts a country cell to ISO3 (OOO kept).
func (c *Converter) flowCountry(r ingest.Row, rc *rowContext, field string) {
	v := c.get(field)
	raw, header, ok := c.raw(r, field)
	if v == nil || !ok || cast.IsMissing(raw) {
		return
	}
	if iso, ok := ISO3FromCountry(raw); ok {
		*v = strValue(iso)
		return
	}
	if s := strings.TrimSpace(raw); len(s) == 3 && isUpperAlpha(s) {
		*v = strValue(s)
		return
	}
	rc.warnf(header, raw, schemas.CodeVocabulary, "%s: %q is not a known country or ISO3 code (use OOO for unknown); stored as empty", field, raw)
}

// flowCountryISO3 fills country_iso3 from its column, else from the FMP's
// country, else from the run's default; and the FMP's country from
// country_iso3 when the file has none.
func (c *Converter) flowCountryISO3(r ingest.Row, rc *rowContext) {
	v, fmp := c.get("country_iso3"), c.get("fmp_country")
	if raw, _, ok := c.raw(r, "country_iso3"); ok && !cast.IsMissing(raw) {
		c.applyCountry(r, rc)
	} else if fmp.set && fmp.s != pcodeUnknownCountry {
		*v = strValue(fmp.s)
	} else {
		c.applyCountry(r, rc)
	}
	if !fmp.set && v.set {
		*fmp = strValue(v.s)
	}
}

// flowPeriod fills period_start, period_end and period_type.
func (c *Converter) flowPeriod(r ingest.Row, rc *rowContext, required bool) {
	start, end, typ := c.get("period_start"), c.get("period_end"), c.get("period_type")
	raw, header, ok := c.raw(r, "period_start")
	if !ok || cast.IsMissing(raw) {
		if !required {
			rc.warnf(header, "", schemas.CodeMissingCell, "no interview date: the row is kept with an empty period")
		}
		return
	}
	p, _, err := ParseFlowPeriod(raw)
	if d, ok := c.serial1904(raw); ok {
		p, err = FlowPeriod{Start: d, End: d, Type: periodType(d, d)}, nil
	}
	if err != nil {
		code := schemas.CodeTypeError
		if ce, ok := err.(interface{ Code() string }); ok {
			code = ce.Code()
		}
		if required {
			rc.errorf(header, raw, code, "period_start: %v; the row is dropped: period_start is required", err)
		} else {
			rc.warnf(header, raw, code, "period_start: %v; the row is kept with an empty period", err)
		}
		return
	}
	if fraw, fheader, ok := c.raw(r, "period_type"); ok && !cast.IsMissing(fraw) {
		if freq, ok := NormalizePeriodType(fraw); ok {
			if q, err := p.WithFrequency(freq); err != nil {
				rc.warnf(fheader, fraw, schemas.CodeConstraintError, "period_type: %v; the period is kept as the date says", err)
			} else {
				p = q
			}
		} else {
			rc.warnf(fheader, fraw, schemas.CodeVocabulary, "period_type: %q is not daily, weekly or monthly; ignored", fraw)
		}
	}
	if eraw, eheader, ok := c.raw(r, "period_end"); ok && !cast.IsMissing(eraw) {
		_, e, _, err := c.parseDate(eraw, cast.DateOrderAuto)
		switch {
		case err != nil:
			rc.warnf(eheader, eraw, schemas.CodeTypeError, "period_end: %v; the end of period_start is used", err)
		case e.Before(p.Start):
			rc.warnf(eheader, eraw, schemas.CodeConstraintError, "period_end %s is before period_start %s; the end of period_start is used", e.Format("2006-01-02"), p.Start.Format("2006-01-02"))
		default:
			p.End, p.Type = e, periodType(p.Start, e)
		}
	}
	start.set, start.d = true, p.Start
	end.set, end.d = true, p.End
	*typ = strValue(p.Type)
}

// flowVocab normalises a label; an unknown label is a warning and becomes
// fallback (empty: null).
func (c *Converter) flowVocab(r ingest.Row, rc *rowContext, field string, norm func(string) (string, bool), fallback string) {
	v := c.get(field)
	raw, header, ok := c.raw(r, field)
	if v == nil || !ok || cast.IsMissing(raw) {
		return
	}
	if s, ok := norm(raw); ok {
		*v = strValue(s)
		return
	}
	f, _ := c.m.Dataset.Field(field)
	rc.warnf(header, raw, schemas.CodeVocabulary, "%s: %q is not one of %s; stored as %q", field, raw, strings.Join(f.Vocabulary, ", "), fallback)
	if fallback != "" {
		*v = strValue(fallback)
	}
}

// flowSex normalises sex and keeps the label as published.
func (c *Converter) flowSex(r ingest.Row, rc *rowContext) {
	raw, header, ok := c.raw(r, "sex")
	if !ok || cast.IsMissing(raw) {
		return
	}
	label := strings.Join(strings.Fields(raw), " ")
	*c.get("sex_label") = strValue(label)
	if s, ok := NormalizeSex(label); ok {
		*c.get("sex") = strValue(s)
		return
	}
	rc.warnf(header, raw, schemas.CodeVocabulary, "sex: %q is not a known label for male, female, other or unknown; sex left empty, label kept in sex_label", raw)
}

// flowReasons builds the reasons list from a reason cell and the flags.
func (c *Converter) flowReasons(r ingest.Row, rc *rowContext) {
	v := c.get("reasons")
	if v == nil {
		return
	}
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			v.list = append(v.list, s)
		}
	}
	if raw, _, ok := c.raw(r, "reasons"); ok && !cast.IsMissing(raw) {
		v.set = true
		for _, it := range cast.SplitMulti(raw) {
			if s, ok := NormalizeReason(it); ok {
				add(s)
			} else {
				add(NormalizeLabel(it))
			}
		}
	}
	for _, rcol := range c.ext.reasonCols {
		raw := cell(r.Cells, rcol.index)
		b, missing, err := cast.ParseBool(raw)
		if missing {
			continue
		}
		if err != nil {
			if n, _, nerr := cast.ParseInt(raw); nerr == nil && n > 0 {
				b = true
			} else {
				continue // a free-text "other, specify" column: not a flag
			}
		}
		v.set = true
		if b {
			add(rcol.reason)
		}
	}
}

// flowAgeGroup fills the registry's age_group and age_label.
func (c *Converter) flowAgeGroup(r ingest.Row, rc *rowContext) {
	raw, header, ok := c.raw(r, "age_group")
	if !ok || cast.IsMissing(raw) {
		return
	}
	label := strings.Join(strings.Fields(raw), " ")
	if v := c.get("age_label"); v != nil {
		*v = strValue(label)
	}
	a, ok := ParseFlowAge(label)
	if !ok {
		rc.warnf(header, raw, schemas.CodeVocabulary, "age_group: %q is neither an age nor an age group; left empty, label kept in age_label", raw)
		return
	}
	g, ok := a.AgeGroup()
	if !ok {
		rc.warnf(header, raw, schemas.CodeVocabulary, "age_group: %q spans 18: it is neither 0-17 nor 18+; left empty, label kept in age_label", raw)
		return
	}
	*c.get("age_group") = strValue(g)
}

// flowSurveyAge fills age (exact years), age_label, age_band and age_group.
func (c *Converter) flowSurveyAge(r ingest.Row, rc *rowContext) {
	raw, header, ok := c.raw(r, "age")
	if !ok || cast.IsMissing(raw) {
		return
	}
	label := strings.Join(strings.Fields(raw), " ")
	*c.get("age_label") = strValue(label)
	a, ok := ParseFlowAge(label)
	if !ok {
		rc.warnf(header, raw, schemas.CodeTypeError, "age: %q is not an age in years (0-120) or an age band; left empty, label kept in age_label", raw)
		return
	}
	if a.Exact {
		*c.get("age") = intValue(int64(a.Years))
	}
	if b, ok := a.AgeBand(); ok {
		*c.get("age_band") = strValue(b)
	}
	if g, ok := a.AgeGroup(); ok {
		*c.get("age_group") = strValue(g)
	}
}
