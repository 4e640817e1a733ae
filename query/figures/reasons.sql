-- name: reasons
-- dataset: site_assessment
-- description: IDPs by displacement reason, per country, in the latest round of each country or in one chosen round. A site that gives several reasons counts under each (so the rows do not add up to the total); sites giving none are under an empty reason.
-- param: country VARCHAR ISO3 code of one country (default: every country)
-- param: round INTEGER one round number (default: the latest round of each country)
-- param: from DATE first assessment date included (default: no limit)
-- param: to DATE last assessment date included (default: no limit)
WITH p AS (
    SELECT CAST($country AS VARCHAR) AS country,
           CAST($round AS BIGINT) AS rnd,
           CAST($from AS DATE) AS d_from,
           CAST($to AS DATE) AS d_to
),
f AS (
    SELECT s.country_iso3, s.round, s.idp_households, s.idp_individuals,
           list_distinct(s.displacement_reasons) AS reasons
    FROM site_assessment s, p
    WHERE (p.country IS NULL OR s.country_iso3 = upper(p.country))
      AND (p.d_from IS NULL OR s.assessment_date >= p.d_from)
      AND (p.d_to IS NULL OR s.assessment_date <= p.d_to)
),
latest AS (
    SELECT country_iso3, max(round) AS latest_round FROM f GROUP BY country_iso3
),
per_reason AS (
    SELECT f.country_iso3, f.round, f.idp_households, f.idp_individuals,
           unnest(CASE WHEN len(coalesce(f.reasons, [])) = 0 THEN [NULL::VARCHAR] ELSE f.reasons END) AS displacement_reason
    FROM f JOIN latest l USING (country_iso3), p
    WHERE CASE WHEN p.rnd IS NULL THEN f.round IS NOT DISTINCT FROM l.latest_round
               ELSE f.round = p.rnd END
)
SELECT country_iso3, round, displacement_reason,
       count(*) AS sites,
       sum(idp_households) AS idp_households,
       sum(idp_individuals) AS idp_individuals
FROM per_reason
GROUP BY ALL
ORDER BY country_iso3, round, idp_individuals DESC NULLS LAST, displacement_reason NULLS LAST
