-- name: origins
-- dataset: site_assessment
-- description: IDPs by area of origin (admin 1) and current area (admin level 1, 2 or 3), per country, in the latest round of each country or in one chosen round; an unreported origin is empty.
-- param: country VARCHAR ISO3 code of one country (default: every country)
-- param: admin_level INTEGER admin level of the current area: 1, 2 or 3 (default 1)
-- range: admin_level 1 3
-- param: round INTEGER one round number (default: the latest round of each country)
-- param: from DATE first assessment date included (default: no limit)
-- param: to DATE last assessment date included (default: no limit)
WITH p AS (
    SELECT LEAST(GREATEST(COALESCE(CAST($admin_level AS INTEGER), 1), 1), 3) AS lvl
),
f AS (
    SELECT s.*
    FROM site_rounds(CAST($country AS VARCHAR), CAST($round AS BIGINT), CAST($from AS DATE), CAST($to AS DATE)) s
)
SELECT f.country_iso3,
       f.round,
       f.origin_admin1_pcode,
       f.origin_admin1_name,
       f.admin1_pcode,
       f.admin1_name,
       CASE WHEN p.lvl >= 2 THEN f.admin2_pcode END AS admin2_pcode,
       CASE WHEN p.lvl >= 2 THEN f.admin2_name END AS admin2_name,
       CASE WHEN p.lvl >= 3 THEN f.admin3_pcode END AS admin3_pcode,
       CASE WHEN p.lvl >= 3 THEN f.admin3_name END AS admin3_name,
       count(*) AS sites,
       sum(f.idp_households) AS idp_households,
       sum(f.idp_individuals) AS idp_individuals
FROM f, p
GROUP BY ALL
ORDER BY 1, 2, 3 NULLS LAST, 4 NULLS LAST, 5 NULLS LAST, 6 NULLS LAST, 7 NULLS LAST, 8 NULLS LAST, 9 NULLS LAST, 10 NULLS LAST
