package report

import (
	"fmt"
	"sort"
)

// areaRow is one admin area's row of figure idps.
type areaRow struct {
	country, a1code, a1name, a2code, a2name string
	round, sites, hh, idp                   int64
	hasRound, hasHH, hasIDP                 bool
}

// areasSection is IDPs by admin 1 and by admin 2 (bars, largest first),
// from figure idps in the report's round.
func (b *builder) areasSection() (Section, error) {
	sec := Section{ID: "areas", Title: "Where IDPs are"}
	for _, level := range []int{1, 2} {
		ch, err := b.areaChart(level)
		if err != nil {
			return sec, err
		}
		if ch == nil {
			sec.Notes = append(sec.Notes, b.noSiteRows())
			return sec, nil
		}
		sec.Charts = append(sec.Charts, *ch)
	}
	return sec, nil
}

// areaChart is the bar chart of one admin level; nil when there are no rows.
func (b *builder) areaChart(level int) (*Chart, error) {
	res, err := b.areaRows(level)
	if err != nil {
		return nil, err
	}
	f, err := newFrame("figure idps", res, "country_iso3", "admin1_pcode", "admin1_name", "admin2_pcode", "admin2_name",
		"round", "sites", "idp_households", "idp_individuals")
	if err != nil {
		return nil, err
	}
	if f.len() == 0 {
		return nil, nil
	}
	rows := make([]areaRow, f.len())
	for i := range rows {
		r := areaRow{country: f.str(i, "country_iso3"), a1code: f.str(i, "admin1_pcode"), a1name: f.str(i, "admin1_name"),
			a2code: f.str(i, "admin2_pcode"), a2name: f.str(i, "admin2_name")}
		r.round, r.hasRound = f.int(i, "round")
		r.sites, _ = f.int(i, "sites")
		r.hh, r.hasHH = f.int(i, "idp_households")
		r.idp, r.hasIDP = f.int(i, "idp_individuals")
		rows[i] = r
	}
	label := func(r areaRow) string {
		if level == 1 {
			return areaLabel(r.country, r.a1name, r.a1code, b.multiCountry())
		}
		return areaLabel(r.country, r.a2name, r.a2code, b.multiCountry())
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].idp != rows[j].idp {
			return rows[i].idp > rows[j].idp
		}
		return label(rows[i]) < label(rows[j])
	})
	kept, rest := rows, []areaRow(nil)
	if len(rows) > b.opt.MaxBars+1 {
		kept, rest = rows[:b.opt.MaxBars], rows[b.opt.MaxBars:]
	}
	// The name and the numbers first (the table is narrower than the
	// page); codes and round after.
	t := Table{Columns: []Column{col("country_iso3", "Country"), col("admin1_name", "Admin 1")}}
	if level == 2 {
		t.Columns = append(t.Columns, col("admin2_name", "Admin 2"))
	}
	t.Columns = append(t.Columns, ncol("idp_individuals", "IDP individuals"), ncol("idp_households", "IDP households"),
		ncol("sites", "Sites"), ncol("round", "Round"), col("admin1_pcode", "Admin 1 p-code"))
	if level == 2 {
		t.Columns = append(t.Columns, col("admin2_pcode", "Admin 2 p-code"))
	}
	row := func(r areaRow, name string) {
		cells := []Cell{text(r.country), text(r.a1name)}
		if level == 2 {
			cells = append(cells, text(r.a2name))
		}
		if name != "" {
			cells[len(cells)-1] = text(name)
		}
		cells = append(cells, opt(r.idp, r.hasIDP), opt(r.hh, r.hasHH), num(r.sites), opt(r.round, r.hasRound), text(r.a1code))
		if level == 2 {
			cells = append(cells, text(r.a2code))
		}
		t.add(cells...)
	}
	var cats []string
	var vals []*float64
	for _, r := range kept {
		row(r, "")
		cats = append(cats, label(r))
		if r.hasIDP {
			vals = append(vals, val(float64(r.idp)))
		} else {
			vals = append(vals, nil)
		}
	}
	var notes []string
	if len(rest) > 0 {
		var o areaRow
		for _, r := range rest {
			o.sites += r.sites
			o.hh += r.hh
			o.idp += r.idp
			o.hasHH = o.hasHH || r.hasHH
			o.hasIDP = o.hasIDP || r.hasIDP
		}
		name := fmt.Sprintf("other areas (%d)", len(rest))
		row(o, name)
		cats = append(cats, name)
		vals = append(vals, val(float64(o.idp)))
		notes = append(notes, fmt.Sprintf("The %d areas with most IDPs are drawn; the other %d are summed into the last bar.", len(kept), len(rest)))
	}
	src, err := b.sourcesOf(siteRound)
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf("IDPs by admin %d", level)
	if b.opt.Country != "" {
		title += ", " + b.opt.Country
	}
	return &Chart{
		ID: fmt.Sprintf("idps-admin%d", level), Title: title + ", " + b.roundPhrase(),
		Units: "IDP individuals", From: fmt.Sprintf("figure idps (admin level %d)", level), Dataset: "site_assessment",
		Sources: src, Notes: notes, Table: t,
		Option: hbarOption(cats, []series{{name: "IDP individuals", values: vals}}, "IDP individuals", false),
		Height: hbarHeight(len(cats), 1),
	}, nil
}

// roundPhrase names the report's round for titles.
func (b *builder) roundPhrase() string {
	if b.opt.Round > 0 {
		return fmt.Sprintf("round %d", b.opt.Round)
	}
	return "latest round"
}
