-- name: origins
-- dataset: site_assessment
-- description: IDPs by area of origin (admin 1) and current area (admin level 1, 2 or 3), per country, in the latest round of each country or in one chosen round; an unreported origin is empty.
-- param: country VARCHAR ISO3 code of one country (default: every country)
-- param: admin_level INTEGER admin level of the current area: 1, 2 or 3 (default 1)
-- param: round INTEGER one round number (default: the latest round of each country)
-- param: from DATE first assessment date included (default: no limit)
-- param: to DATE last assessment date included (default: no limit)
WITH p AS (
    SELECT CAST($country AS VARCHAR) AS country,
           LEAST(GREATEST(COALESCE(CAST($admin_level AS INTEGER), 1), 1), 3) AS lvl,
           CAST($round AS BIGINT) AS rnd,
           CAST($from AS DATE) AS d_from,
           CAST($to AS DATE) AS d_to
),
f AS (
    SELECT s.*
    FROM site_assessment s, p
    WHERE (p.country IS NULL OR s.country_iso3 = upper(p.country))
      AND (p.d_from IS NULL OR s.assessment_date >= p.d_from)
      AND (p.d_to IS NULL OR s.assessment_date <= p.d_to)
),
latest AS (
    SELECT country_iso3, max(round) AS latest_round FROM f GROUP BY country_iso3
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
FROM f JOIN latest l USING (country_iso3), p
WHERE CASE WHEN p.rnd IS NULL THEN f.round IS NOT DISTINCT FROM l.latest_round
           ELSE f.round = p.rnd END
GROUP BY ALL
ORDER BY 1, 2, 3 NULLS LAST, 4 NULLS LAST, 5 NULLS LAST, 7 NULLS LAST, 9 NULLS LAST
