package report

import (
	"fmt"
	"sort"
	"strings"
)

// headlineRow is one country's headline figures in the report's round.
type headlineRow struct {
	country                string
	round                  int64
	prevRound              int64
	hasPrev                bool
	sites, households, idp int64
	hasHH                  bool
	change                 int64
	hasChange              bool
	changePct              float64
	hasPct                 bool
}

// headlineSection is the headline numbers: IDPs, households, sites, the
// round and the change from the previous round, per country, from figure
// idp-trend at country level (the report's round, or each country's
// latest).
func (b *builder) headlineSection() (Section, error) {
	sec := Section{ID: "headline", Title: "Headline figures"}
	res, err := b.trendRows(0)
	if err != nil {
		return sec, err
	}
	f, err := newFrame("figure idp-trend", res, "country_iso3", "round", "sites", "idp_households", "idp_individuals",
		"previous_round", "change_individuals", "change_pct")
	if err != nil {
		return sec, err
	}
	// The figure's rows are ordered by country, then round: keep the row of
	// the report's round, or each country's last (latest) row.
	byCountry := map[string]headlineRow{}
	var order []string
	for i := range f.len() {
		rnd, ok := f.int(i, "round")
		if !ok || (b.opt.Round > 0 && rnd != b.opt.Round) {
			continue
		}
		h := headlineRow{country: f.str(i, "country_iso3"), round: rnd}
		h.prevRound, h.hasPrev = f.int(i, "previous_round")
		h.sites, _ = f.int(i, "sites")
		h.households, h.hasHH = f.int(i, "idp_households")
		h.idp, _ = f.int(i, "idp_individuals")
		h.change, h.hasChange = f.int(i, "change_individuals")
		h.changePct, h.hasPct = f.float(i, "change_pct")
		if _, seen := byCountry[h.country]; !seen {
			order = append(order, h.country)
		}
		byCountry[h.country] = h
	}
	sort.Strings(order)
	if len(order) == 0 {
		sec.Notes = append(sec.Notes, b.noSiteRows())
		return sec, nil
	}
	rows := make([]headlineRow, len(order))
	for i, c := range order {
		rows[i] = byCountry[c]
	}
	sec.Stats = headlineStats(rows)

	t := Table{Columns: []Column{
		col("country_iso3", "Country"), ncol("round", "Round"), ncol("previous_round", "Previous round"),
		ncol("sites", "Sites"), ncol("idp_households", "IDP households"), ncol("idp_individuals", "IDP individuals"),
		ncol("change_individuals", "Change (individuals)"), ncol("change_pct", "Change (%)"),
	}}
	for _, h := range rows {
		t.add(text(h.country), num(h.round), opt(h.prevRound, h.hasPrev), num(h.sites), opt(h.households, h.hasHH),
			num(h.idp), opt(h.change, h.hasChange), fnum(h.changePct, h.hasPct))
	}
	src, err := b.sourcesOf(siteRounds)
	if err != nil {
		return sec, err
	}
	sec.Charts = []Chart{{
		ID: "headline-table", Title: "Headline figures by country", Units: "sites, IDP households and IDP individuals in the round shown",
		From: "figure idp-trend (admin level 0)", Dataset: "site_assessment", Sources: src, Table: t,
		Notes: []string{"The change compares with the country's previous assessed round; it is empty for a country's first round."},
	}}
	return sec, nil
}

// headlineStats are the cards: one country's numbers, or the totals over
// the countries of the report.
func headlineStats(rows []headlineRow) []Stat {
	if len(rows) == 1 {
		h := rows[0]
		change := Stat{Label: "Change from previous round", Value: "–", Detail: "first assessed round"}
		if h.hasChange {
			change.Value = signedInt(h.change)
			change.Detail = fmt.Sprintf("from round %d", h.prevRound)
			if h.hasPct {
				change.Detail = fmt.Sprintf("%s from round %d", signedPct(h.changePct), h.prevRound)
			}
		} else if h.hasPrev {
			change.Detail = fmt.Sprintf("round %d had no IDP count", h.prevRound)
		}
		hh := "–"
		if h.hasHH {
			hh = groupInt(h.households)
		}
		return []Stat{
			{Label: "IDPs", Value: groupInt(h.idp), Detail: "individuals, round " + fmt.Sprint(h.round)},
			{Label: "IDP households", Value: hh},
			{Label: "Sites assessed", Value: groupInt(h.sites)},
			{Label: "Round", Value: fmt.Sprint(h.round), Detail: h.country},
			change,
		}
	}
	var idp, hh, sites, change int64
	var withPrev int
	var rounds []string
	for _, h := range rows {
		idp += h.idp
		hh += h.households
		sites += h.sites
		if h.hasChange {
			change += h.change
			withPrev++
		}
		rounds = append(rounds, fmt.Sprintf("%s %d", h.country, h.round))
	}
	changeStat := Stat{Label: "Change from previous round", Value: "–", Detail: "no country has a previous round"}
	if withPrev > 0 {
		changeStat.Value = signedInt(change)
		changeStat.Detail = fmt.Sprintf("sum over the %d of %d countries with a previous round", withPrev, len(rows))
	}
	return []Stat{
		{Label: "IDPs", Value: groupInt(idp), Detail: fmt.Sprintf("individuals, %d countries", len(rows))},
		{Label: "IDP households", Value: groupInt(hh)},
		{Label: "Sites assessed", Value: groupInt(sites)},
		{Label: "Countries", Value: fmt.Sprint(len(rows)), Detail: "rounds " + strings.Join(rounds, ", ")},
		changeStat,
	}
}

// noSiteRows says that the scope has no site assessment rows.
func (b *builder) noSiteRows() string {
	s := "No site assessment rows with a round"
	if b.opt.Country != "" {
		s += " for " + b.opt.Country
	}
	if b.opt.Round > 0 {
		s += fmt.Sprintf(" in round %d", b.opt.Round)
	}
	return s + " in this warehouse generation."
}
