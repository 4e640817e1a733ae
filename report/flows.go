package report

import (
	"fmt"
	"sort"
)

// maxRoutes is the number of routes shown, most individuals first.
const maxRoutes = 10

// flowSection is flow monitoring: individuals by direction per month
// (figure flows, regrouped by month, over every FMP of the scope) and the
// top routes from origin to intended final destination (figure
// flow-routes). Flow data has no rounds: the report's round does not
// apply.
func (b *builder) flowSection() (Section, error) {
	sec := Section{ID: "flows", Title: "Flow monitoring"}
	res, err := b.runFigure("flows", map[string]string{"period": "month"})
	if err != nil {
		return sec, err
	}
	f, err := newFrame("figure flows", res, "country_iso3", "direction", "period_start", "period_end", "breakdown", "individuals")
	if err != nil {
		return sec, err
	}
	type key struct{ start, end, dir string }
	sums := map[key]int64{}
	var keys []key
	for i := range f.len() {
		if f.str(i, "breakdown") != "total" {
			continue
		}
		k := key{f.str(i, "period_start"), f.str(i, "period_end"), orNot(f.str(i, "direction"))}
		if _, ok := sums[k]; !ok {
			keys = append(keys, k)
		}
		n, _ := f.int(i, "individuals")
		sums[k] += n
	}
	if len(keys) == 0 {
		s := "No flow monitoring registry rows"
		if b.opt.Country != "" {
			s += " for " + b.opt.Country
		}
		sec.Notes = append(sec.Notes, s+" in this warehouse generation.")
		return sec, nil
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].start != keys[j].start {
			return keys[i].start < keys[j].start
		}
		return keys[i].dir < keys[j].dir
	})
	src, err := b.sourcesOf(flowRegistry)
	if err != nil {
		return sec, err
	}
	var months, dirs []string
	mi, di := map[string]int{}, map[string]int{}
	t := Table{Columns: []Column{col("period_start", "Month from"), col("period_end", "Month to"), col("direction", "Direction"), ncol("individuals", "Individuals")}}
	for _, k := range keys {
		if _, ok := mi[k.start]; !ok {
			mi[k.start] = len(months)
			months = append(months, k.start)
		}
		if _, ok := di[k.dir]; !ok {
			di[k.dir] = len(dirs)
			dirs = append(dirs, k.dir)
		}
		t.add(text(k.start), text(k.end), text(k.dir), num(sums[k]))
	}
	sort.Strings(dirs)
	ss := make([]series, len(dirs))
	for i, d := range dirs {
		ss[i] = series{name: d, values: make([]*float64, len(months))}
		di[d] = i
	}
	for _, k := range keys {
		ss[di[k.dir]].values[mi[k.start]] = val(float64(sums[k]))
	}
	x := make([]string, len(months))
	for i, m := range months {
		x[i] = m[:min(len(m), 7)] // YYYY-MM
	}
	where := "every flow monitoring point"
	if b.opt.Country != "" {
		where += " in " + b.opt.Country
	} else {
		where += " of every country"
	}
	sec.Charts = append(sec.Charts, Chart{
		ID: "flow-direction", Title: "Individuals counted by direction, per month", Units: "individuals counted at FMPs",
		From: "figure flows (period month, breakdown total)", Dataset: "flow_registry", Sources: src, Table: t,
		Notes:  []string{"Summed over " + where + ". Periods recorded by day or week are grouped by the month they start in."},
		Option: barOption(x, ss, "individuals", false), Height: 320,
	})

	routes, err := b.routesChart(src)
	if err != nil {
		return sec, err
	}
	if routes != nil {
		sec.Charts = append(sec.Charts, *routes)
	}
	return sec, nil
}

// routesChart is the top routes, origin country -> intended final
// destination, over both directions.
func (b *builder) routesChart(src []string) (*Chart, error) {
	res, err := b.runFigure("flow-routes", nil)
	if err != nil {
		return nil, err
	}
	f, err := newFrame("figure flow-routes", res, "country_iso3", "origin_country", "final_destination_country", "individuals", "fmps", "records")
	if err != nil {
		return nil, err
	}
	if f.len() == 0 {
		return nil, nil
	}
	idx := make([]int, f.len())
	for i := range idx {
		idx[i] = i
	}
	ind := func(i int) int64 { n, _ := f.int(i, "individuals"); return n }
	sort.SliceStable(idx, func(a, c int) bool { return ind(idx[a]) > ind(idx[c]) })
	shown := idx
	if len(shown) > maxRoutes {
		shown = shown[:maxRoutes]
	}
	t := Table{Columns: []Column{col("country_iso3", "FMP country"), col("origin_country", "Origin"), col("final_destination_country", "Final destination"),
		ncol("individuals", "Individuals"), ncol("fmps", "FMPs"), ncol("records", "Records")}}
	var cats []string
	var vals []*float64
	for _, i := range shown {
		fmps, _ := f.int(i, "fmps")
		recs, _ := f.int(i, "records")
		t.add(text(f.str(i, "country_iso3")), text(f.str(i, "origin_country")), text(f.str(i, "final_destination_country")),
			num(ind(i)), num(fmps), num(recs))
		label := routeName(f.str(i, "origin_country")) + " → " + routeName(f.str(i, "final_destination_country"))
		if b.multiCountry() {
			label = f.str(i, "country_iso3") + ": " + label
		}
		cats = append(cats, label)
		vals = append(vals, val(float64(ind(i))))
	}
	notes := []string{"OOO is the code DTM uses for an unknown country; \"unknown\" is a route not recorded."}
	if len(idx) > len(shown) {
		notes = append(notes, fmt.Sprintf("The %d routes with most individuals of %d.", len(shown), len(idx)))
	}
	return &Chart{
		ID: "flow-routes", Title: "Top routes: origin → intended final destination", Units: "individuals counted at FMPs",
		From: "figure flow-routes", Dataset: "flow_registry", Sources: src, Notes: notes, Table: t,
		Option: hbarOption(cats, []series{{name: "individuals", values: vals}}, "individuals", false),
		Height: hbarHeight(len(cats), 1),
	}, nil
}

// routeName shows DTM's unknown-country code as such.
func routeName(c string) string {
	if c == "OOO" {
		return "unknown (OOO)"
	}
	return c
}
