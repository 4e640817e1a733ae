package query

import (
	"context"
	"fmt"
)

// macros are SQL helpers shared by the figure files, created with the views.
// They avoid CTEs referenced twice: DuckDB materialises those, which on a
// 10 M-row warehouse costs seconds and gigabytes.
//
// site_rounds(country, rnd, d_from, d_to) is the site_assessment rows a
// site figure describes: of one country (NULL: all), assessed between
// d_from and d_to (NULL: no limit), in round rnd, or, when rnd is NULL, in
// each country's latest round within those bounds.
var macros = []string{
	`CREATE OR REPLACE MACRO site_rounds(country, rnd, d_from, d_to) AS TABLE
	SELECT s.*
	FROM site_assessment s
	JOIN (SELECT country_iso3, max(round) AS latest_round
	      FROM site_assessment
	      WHERE (country IS NULL OR country_iso3 = upper(country))
	        AND (d_from IS NULL OR assessment_date >= d_from)
	        AND (d_to IS NULL OR assessment_date <= d_to)
	      GROUP BY country_iso3) l USING (country_iso3)
	WHERE (country IS NULL OR s.country_iso3 = upper(country))
	  AND (d_from IS NULL OR s.assessment_date >= d_from)
	  AND (d_to IS NULL OR s.assessment_date <= d_to)
	  AND CASE WHEN rnd IS NULL THEN s.round IS NOT DISTINCT FROM l.latest_round ELSE s.round = rnd END`,
}

func (d *DB) createMacros(ctx context.Context) error {
	for _, m := range macros {
		if _, err := d.sql.ExecContext(ctx, m); err != nil {
			return fmt.Errorf("creating figure macros: %w", err)
		}
	}
	return nil
}
