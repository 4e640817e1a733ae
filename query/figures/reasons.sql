-- name: reasons
-- dataset: site_assessment
-- description: IDPs by displacement reason, per country, in the latest round of each country or in one chosen round. A site that gives several reasons counts under each (so the rows do not add up to the total); sites giving none are under an empty reason.
-- param: country VARCHAR ISO3 code of one country (default: every country)
-- param: round INTEGER one round number (default: the latest round of each country)
-- param: from DATE first assessment date included (default: no limit)
-- param: to DATE last assessment date included (default: no limit)
WITH f AS (
    SELECT s.country_iso3, s.round, s.idp_households, s.idp_individuals,
           list_distinct(s.displacement_reasons) AS reasons
    FROM site_rounds(CAST($country AS VARCHAR), CAST($round AS BIGINT), CAST($from AS DATE), CAST($to AS DATE)) s
),
per_reason AS (
    SELECT f.country_iso3, f.round, f.idp_households, f.idp_individuals,
           unnest(CASE WHEN len(coalesce(f.reasons, [])) = 0 THEN [NULL::VARCHAR] ELSE f.reasons END) AS displacement_reason
    FROM f
)
SELECT country_iso3, round, displacement_reason,
       count(*) AS sites,
       sum(idp_households) AS idp_households,
       sum(idp_individuals) AS idp_individuals
FROM per_reason
GROUP BY ALL
ORDER BY country_iso3, round, idp_individuals DESC NULLS LAST, displacement_reason NULLS LAST
