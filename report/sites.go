package report

import (
	"fmt"
	"math"
)

// sitesSQL is the sites of the report's round (%s: the round filter,
// sitedata.go) with usable coordinates, most IDPs first, capped at the
// last argument's rows.
const sitesSQL = `SELECT country_iso3, site_id, site_name, admin1_name, latitude, longitude, idp_individuals
FROM site_assessment
WHERE %s AND latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
ORDER BY idp_individuals DESC NULLS LAST, country_iso3, site_id, site_name
LIMIT ?`

// sitesSection plots sites as points on longitude/latitude axes (no map
// tiles: nothing is fetched), area proportional to IDPs.
func (b *builder) sitesSection() (Section, error) {
	sec := Section{ID: "sites", Title: "Sites"}
	sd, err := b.sites()
	if err != nil {
		return sec, err
	}
	cres, err := b.q.Query(b.ctx, siteCountSQL)
	if err != nil {
		return sec, fmt.Errorf("report: counting sites: %w", err)
	}
	cf, err := newFrame("site count", cres, "rows_in_round", "located")
	if err != nil {
		return sec, err
	}
	total, _ := cf.int(0, "rows_in_round")
	located, _ := cf.int(0, "located")
	if total == 0 {
		sec.Notes = append(sec.Notes, b.noSiteRows())
		return sec, nil
	}
	if located == 0 {
		sec.Notes = append(sec.Notes, fmt.Sprintf("None of the %s site rows of this scope has coordinates.", groupInt(total)))
		return sec, nil
	}
	// When the cap is reached, only rows with at least the cap-th largest
	// IDP count can be plotted: the filter spares reading the others'
	// names.
	filter, args := sd.filter, append([]any(nil), sd.args...)
	tres, err := b.q.Query(b.ctx, siteThresholdSQL, int64(b.opt.MaxSites))
	if err != nil {
		return sec, fmt.Errorf("report: site plot threshold: %w", err)
	}
	if n, _ := toInt(tres.Rows[0][0]); n >= int64(b.opt.MaxSites) {
		if th, ok := toInt(tres.Rows[0][1]); ok {
			filter += " AND idp_individuals >= ?"
			args = append(args, th)
		}
	}
	res, err := b.q.Query(b.ctx, fmt.Sprintf(sitesSQL, filter), append(args, int64(b.opt.MaxSites))...)
	if err != nil {
		return sec, fmt.Errorf("report: sites: %w", err)
	}
	f, err := newFrame("sites", res, "country_iso3", "site_id", "site_name", "admin1_name", "latitude", "longitude", "idp_individuals")
	if err != nil {
		return sec, err
	}
	var maxIDP int64 = 1
	for i := range f.len() {
		if n, ok := f.int(i, "idp_individuals"); ok && n > maxIDP {
			maxIDP = n
		}
	}
	t := Table{Columns: []Column{col("country_iso3", "Country"), col("site_name", "Site"), ncol("idp_individuals", "IDP individuals"),
		col("admin1_name", "Admin 1"), ncol("latitude", "Latitude"), ncol("longitude", "Longitude"), col("site_id", "Site ID")}}
	var groups []string
	gi := map[string]int{}
	var pts [][]point
	for i := range f.len() {
		c := f.str(i, "country_iso3")
		lat, _ := f.float(i, "latitude")
		lon, _ := f.float(i, "longitude")
		idp, okI := f.int(i, "idp_individuals")
		t.add(text(c), text(f.str(i, "site_name")), opt(idp, okI), text(f.str(i, "admin1_name")),
			fnum(lat, true), fnum(lon, true), text(f.str(i, "site_id")))
		g := c
		if !b.multiCountry() {
			g = "sites"
		}
		k, ok := gi[g]
		if !ok {
			k = len(groups)
			gi[g] = k
			groups = append(groups, g)
			pts = append(pts, nil)
		}
		name := f.str(i, "site_name")
		if name == "" {
			name = f.str(i, "site_id")
		}
		// Area, not radius, proportional to IDPs: 4 px for none, 40 px
		// across for the largest.
		size := 4 + 36*math.Sqrt(float64(max(idp, 0))/float64(maxIDP))
		pts[k] = append(pts[k], point{lon: lon, lat: lat, idps: idp, name: name, size: math.Round(size*10) / 10})
	}
	notes := []string{"Longitude and latitude (WGS84) on plain axes; no map background is loaded, so the report works offline."}
	if int64(f.len()) < located {
		notes = append(notes, fmt.Sprintf("The %s sites with most IDPs of %s located sites are shown; dtm export site_assessment gives them all.",
			groupInt(int64(f.len())), groupInt(located)))
	}
	if located < total {
		notes = append(notes, fmt.Sprintf("%s of %s site rows have no usable coordinates and are not drawn.", groupInt(total-located), groupInt(total)))
	}
	src, err := b.sourcesOf(siteRound)
	if err != nil {
		return sec, err
	}
	title := "Sites by IDPs"
	if b.opt.Country != "" {
		title += ", " + b.opt.Country
	}
	sec.Charts = []Chart{{
		ID: "sites", Title: title + ", " + b.roundPhrase(), Units: "IDP individuals per site (symbol area)",
		From: "SQL over site_assessment (rows of the round, as the site figures choose them)", Dataset: "site_assessment",
		Sources: src, Notes: notes, Table: t, Option: scatterOption(groups, pts), Height: 480,
	}}
	return sec, nil
}
