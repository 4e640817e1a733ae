package report

import (
	"sort"
)

// reasonsSection is IDPs by displacement reason from figure reasons: one
// bar per reason (one series per country when the report covers several).
func (b *builder) reasonsSection() (Section, error) {
	sec := Section{ID: "reasons", Title: "Why people left"}
	res, err := b.reasonRows()
	if err != nil {
		return sec, err
	}
	f, err := newFrame("figure reasons", res, "country_iso3", "round", "displacement_reason", "sites", "idp_households", "idp_individuals")
	if err != nil {
		return sec, err
	}
	if f.len() == 0 {
		sec.Notes = append(sec.Notes, b.noSiteRows())
		return sec, nil
	}
	t := Table{Columns: []Column{col("country_iso3", "Country"), ncol("round", "Round"), col("displacement_reason", "Reason"),
		ncol("sites", "Sites"), ncol("idp_households", "IDP households"), ncol("idp_individuals", "IDP individuals")}}
	total := map[string]int64{} // reason -> IDPs over countries, for the order
	perCountry := map[string]map[string]int64{}
	var countries []string
	for i := range f.len() {
		c, reason := f.str(i, "country_iso3"), orNot(f.str(i, "displacement_reason"))
		rnd, okR := f.int(i, "round")
		sites, _ := f.int(i, "sites")
		hh, okH := f.int(i, "idp_households")
		idp, okI := f.int(i, "idp_individuals")
		t.add(text(c), opt(rnd, okR), text(f.str(i, "displacement_reason")), num(sites), opt(hh, okH), opt(idp, okI))
		if perCountry[c] == nil {
			perCountry[c] = map[string]int64{}
			countries = append(countries, c)
		}
		perCountry[c][reason] += idp
		total[reason] += idp
	}
	reasons := make([]string, 0, len(total))
	for r := range total {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		if total[reasons[i]] != total[reasons[j]] {
			return total[reasons[i]] > total[reasons[j]]
		}
		return reasons[i] < reasons[j]
	})
	var ss []series
	for _, c := range countries {
		s := series{name: c, values: make([]*float64, len(reasons))}
		for i, r := range reasons {
			if v, ok := perCountry[c][r]; ok {
				s.values[i] = val(float64(v))
			}
		}
		ss = append(ss, s)
	}
	src, err := b.sourcesOf(siteRound)
	if err != nil {
		return sec, err
	}
	title := "IDPs by displacement reason"
	if b.opt.Country != "" {
		title += ", " + b.opt.Country
	}
	sec.Charts = []Chart{{
		ID: "reasons", Title: title + ", " + b.roundPhrase(), Units: "IDP individuals",
		From: "figure reasons", Dataset: "site_assessment", Sources: src, Table: t,
		Notes:  []string{"A site giving several reasons counts under each, so the bars add up to more than the IDP total; \"not reported\" is sites giving none."},
		Option: hbarOption(reasons, ss, "IDP individuals", len(ss) > 1),
		Height: hbarHeight(len(reasons), 1),
	}}
	return sec, nil
}
