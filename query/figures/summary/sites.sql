-- The figure over the figure summaries (query/summary.go), run when no from/to is given.
WITH agg AS (
    SELECT f.country_iso3, f.round, f.site_type,
           CAST(sum(f.sites) AS BIGINT) AS sites,
           sum(f.idp_households) AS idp_households,
           sum(f.idp_individuals) AS idp_individuals
    FROM site_summary('site_type', CAST($country AS VARCHAR), CAST($round AS BIGINT)) f
    WHERE CAST($from AS DATE) IS NULL AND CAST($to AS DATE) IS NULL
    GROUP BY ALL
)
SELECT country_iso3, round, site_type, sites, idp_households, idp_individuals,
       round(100.0 * idp_individuals / nullif(sum(idp_individuals) OVER (PARTITION BY country_iso3, round), 0), 1) AS share_pct
FROM agg
ORDER BY country_iso3, round, idp_individuals DESC NULLS LAST, site_type NULLS LAST
