-- name: idps
-- dataset: site_assessment
-- description: IDP individuals and households by country, admin area (level 1, 2 or 3) and round; sites counted per area.
-- param: country VARCHAR ISO3 code of one country (default: every country)
-- param: admin_level INTEGER admin level to group by: 1, 2 or 3 (default 1)
-- param: round INTEGER one round number (default: every round)
-- param: from DATE first assessment date included (default: no limit)
-- param: to DATE last assessment date included (default: no limit)
WITH p AS (
    SELECT CAST($country AS VARCHAR) AS country,
           LEAST(GREATEST(COALESCE(CAST($admin_level AS INTEGER), 1), 1), 3) AS lvl,
           CAST($round AS BIGINT) AS rnd,
           CAST($from AS DATE) AS d_from,
           CAST($to AS DATE) AS d_to
)
SELECT s.country_iso3,
       s.admin1_pcode,
       s.admin1_name,
       CASE WHEN p.lvl >= 2 THEN s.admin2_pcode END AS admin2_pcode,
       CASE WHEN p.lvl >= 2 THEN s.admin2_name END AS admin2_name,
       CASE WHEN p.lvl >= 3 THEN s.admin3_pcode END AS admin3_pcode,
       CASE WHEN p.lvl >= 3 THEN s.admin3_name END AS admin3_name,
       s.round,
       count(*) AS sites,
       sum(s.idp_households) AS idp_households,
       sum(s.idp_individuals) AS idp_individuals
FROM site_assessment s, p
WHERE (p.country IS NULL OR s.country_iso3 = upper(p.country))
  AND (p.rnd IS NULL OR s.round = p.rnd)
  AND (p.d_from IS NULL OR s.assessment_date >= p.d_from)
  AND (p.d_to IS NULL OR s.assessment_date <= p.d_to)
GROUP BY ALL
ORDER BY 1, 2 NULLS LAST, 4 NULLS LAST, 6 NULLS LAST, 8 NULLS LAST
