package report

import (
	"fmt"
	"sort"
	"strconv"
)

// maxLines caps the lines of the trend chart; smaller areas are summed
// into one "other areas" line.
const maxLines = 8

// trendPoint is one area's IDPs in one round.
type trendPoint struct {
	key, label, pcode, name string
	round, idp              int64
}

// trendSection is IDPs over rounds: one line per country (every country)
// or per admin 1 area (one country), from figure idp-trend, rounds up to
// the report's round.
func (b *builder) trendSection() (Section, error) {
	sec := Section{ID: "trend", Title: "IDPs over rounds"}
	level := 0
	if !b.multiCountry() {
		level = 1
	}
	res, err := b.trendRows(level)
	if err != nil {
		return sec, err
	}
	f, err := newFrame("figure idp-trend", res, "country_iso3", "admin1_pcode", "admin1_name", "round", "idp_individuals")
	if err != nil {
		return sec, err
	}
	var pts []trendPoint
	latest := map[string]int64{} // area key -> IDPs in its latest round
	latestRound := map[string]int64{}
	for i := range f.len() {
		rnd, ok := f.int(i, "round")
		if !ok || (b.opt.Round > 0 && rnd > b.opt.Round) {
			continue
		}
		idp, _ := f.int(i, "idp_individuals")
		p := trendPoint{round: rnd, idp: idp}
		if level == 0 {
			p.key = f.str(i, "country_iso3")
			p.label = p.key
		} else {
			p.pcode, p.name = f.str(i, "admin1_pcode"), f.str(i, "admin1_name")
			p.key = p.pcode + "\x00" + p.name
			p.label = areaLabel("", p.name, p.pcode, false)
		}
		pts = append(pts, p)
		if rnd >= latestRound[p.key] {
			latestRound[p.key], latest[p.key] = rnd, idp
		}
	}
	if len(pts) == 0 {
		sec.Notes = append(sec.Notes, b.noSiteRows())
		return sec, nil
	}
	// Keep the maxLines areas with most IDPs in their latest round.
	keys := make([]string, 0, len(latest))
	for k := range latest {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if latest[keys[i]] != latest[keys[j]] {
			return latest[keys[i]] > latest[keys[j]]
		}
		return keys[i] < keys[j]
	})
	kept := map[string]int{}
	for i, k := range keys {
		if i < maxLines || len(keys) == maxLines+1 {
			kept[k] = i
		}
	}
	other := len(keys) - len(kept)

	roundSet := map[int64]bool{}
	for _, p := range pts {
		roundSet[p.round] = true
	}
	rounds := make([]int64, 0, len(roundSet))
	for r := range roundSet {
		rounds = append(rounds, r)
	}
	sort.Slice(rounds, func(i, j int) bool { return rounds[i] < rounds[j] })
	ri := map[int64]int{}
	x := make([]string, len(rounds))
	for i, r := range rounds {
		ri[r] = i
		x[i] = strconv.FormatInt(r, 10)
	}
	ss := make([]series, len(kept))
	labels := make([]trendPoint, len(kept))
	otherLabel := fmt.Sprintf("other admin 1 areas (%d)", other)
	if level == 0 {
		otherLabel = fmt.Sprintf("other countries (%d)", other)
	}
	var otherVals []*float64
	if other > 0 {
		otherVals = make([]*float64, len(rounds))
	}
	for _, p := range pts {
		if idx, ok := kept[p.key]; ok {
			if ss[idx].values == nil {
				ss[idx] = series{name: p.label, values: make([]*float64, len(rounds))}
				labels[idx] = p
			}
			ss[idx].values[ri[p.round]] = val(float64(p.idp))
			continue
		}
		v := otherVals[ri[p.round]]
		if v == nil {
			v = val(0)
			otherVals[ri[p.round]] = v
		}
		*v += float64(p.idp)
	}
	if other > 0 {
		ss = append(ss, series{name: otherLabel, values: otherVals})
	}

	var t Table
	if level == 0 {
		t.Columns = []Column{col("country_iso3", "Country"), ncol("round", "Round"), ncol("idp_individuals", "IDP individuals")}
	} else {
		t.Columns = []Column{col("admin1_pcode", "Admin 1 p-code"), col("admin1_name", "Admin 1"), ncol("round", "Round"), ncol("idp_individuals", "IDP individuals")}
	}
	for si, s := range ss {
		for i, v := range s.values {
			if v == nil {
				continue
			}
			n := num(int64(*v))
			switch {
			case level == 0:
				t.add(text(s.name), num(rounds[i]), n)
			case si < len(labels):
				t.add(text(labels[si].pcode), text(labels[si].name), num(rounds[i]), n)
			default:
				t.add(text(""), text(otherLabel), num(rounds[i]), n)
			}
		}
	}
	src, err := b.sourcesOf(siteRounds)
	if err != nil {
		return sec, err
	}
	ch := Chart{
		ID: "trend", Units: "IDP individuals", Dataset: "site_assessment", Sources: src, Table: t,
		Option: lineOption(x, ss, "round", "IDP individuals"), Height: 360,
	}
	if level == 0 {
		ch.Title = "IDPs over rounds by country"
		ch.From = "figure idp-trend (admin level 0)"
		ch.Notes = append(ch.Notes, "Round numbers are each country's own; the axis lists every round number seen.")
	} else {
		ch.Title = "IDPs over rounds by admin 1, " + b.opt.Country
		ch.From = "figure idp-trend (admin level 1)"
	}
	if other > 0 {
		ch.Notes = append(ch.Notes, fmt.Sprintf("The %d areas with most IDPs in their latest round are drawn; the other %d are summed into one line.", len(kept), other))
	}
	if b.opt.Round > 0 {
		ch.Notes = append(ch.Notes, fmt.Sprintf("Rounds up to %d.", b.opt.Round))
	}
	sec.Charts = []Chart{ch}
	return sec, nil
}
