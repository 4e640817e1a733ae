-- The figure over the figure summaries (query/summary.go), run when no from/to is given.
WITH f AS (
    SELECT s.country_iso3, s.round, s.sites, s.idp_households, s.idp_individuals,
           list_distinct(s.displacement_reasons) AS reasons
    FROM site_summary('reasons', CAST($country AS VARCHAR), CAST($round AS BIGINT)) s
    WHERE CAST($from AS DATE) IS NULL AND CAST($to AS DATE) IS NULL
),
per_reason AS (
    SELECT f.country_iso3, f.round, f.sites, f.idp_households, f.idp_individuals,
           unnest(CASE WHEN len(coalesce(f.reasons, [])) = 0 THEN [NULL::VARCHAR] ELSE f.reasons END) AS displacement_reason
    FROM f
)
SELECT country_iso3, round, displacement_reason,
       CAST(sum(sites) AS BIGINT) AS sites,
       sum(idp_households) AS idp_households,
       sum(idp_individuals) AS idp_individuals
FROM per_reason
GROUP BY ALL
ORDER BY country_iso3, round, idp_individuals DESC NULLS LAST, displacement_reason NULLS LAST
