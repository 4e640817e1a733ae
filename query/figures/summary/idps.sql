-- The figure over the figure summaries (query/summary.go), run when no from/to is given.
WITH p AS (
    SELECT LEAST(GREATEST(COALESCE(CAST($admin_level AS INTEGER), 1), 1), 3) AS lvl
),
f AS (
    SELECT * FROM site_summary('area', CAST($country AS VARCHAR), CAST($round AS BIGINT))
    WHERE CAST($from AS DATE) IS NULL AND CAST($to AS DATE) IS NULL
)
SELECT f.country_iso3,
       f.admin1_pcode,
       f.admin1_name,
       CASE WHEN p.lvl >= 2 THEN f.admin2_pcode END AS admin2_pcode,
       CASE WHEN p.lvl >= 2 THEN f.admin2_name END AS admin2_name,
       CASE WHEN p.lvl >= 3 THEN f.admin3_pcode END AS admin3_pcode,
       CASE WHEN p.lvl >= 3 THEN f.admin3_name END AS admin3_name,
       f.round,
       CAST(sum(f.sites) AS BIGINT) AS sites,
       sum(f.idp_households) AS idp_households,
       sum(f.idp_individuals) AS idp_individuals
FROM f, p
GROUP BY ALL
ORDER BY 1, 2 NULLS LAST, 3 NULLS LAST, 4 NULLS LAST, 5 NULLS LAST, 6 NULLS LAST, 7 NULLS LAST, 8 NULLS LAST
