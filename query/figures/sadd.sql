-- name: sadd
-- dataset: site_assessment
-- description: Population by sex and age band exactly as published (bands are never re-binned; age_max empty for an open band such as 60+), per country and population group, in the latest round of each country or in one chosen round.
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
    SELECT s.country_iso3, s.round, s.sadd
    FROM site_assessment s, p
    WHERE (p.country IS NULL OR s.country_iso3 = upper(p.country))
      AND (p.d_from IS NULL OR s.assessment_date >= p.d_from)
      AND (p.d_to IS NULL OR s.assessment_date <= p.d_to)
),
latest AS (
    SELECT country_iso3, max(round) AS latest_round FROM f GROUP BY country_iso3
),
cells AS (
    SELECT f.country_iso3, f.round, unnest(f.sadd) AS c
    FROM f JOIN latest l USING (country_iso3), p
    WHERE CASE WHEN p.rnd IS NULL THEN f.round IS NOT DISTINCT FROM l.latest_round
               ELSE f.round = p.rnd END
)
SELECT country_iso3,
       round,
       coalesce(nullif(c."group", ''), 'idp') AS population_group,
       c.sex AS sex,
       c.age_min AS age_min,
       c.age_max AS age_max,
       CASE WHEN c.age_max IS NULL THEN CAST(c.age_min AS VARCHAR) || '+'
            ELSE CAST(c.age_min AS VARCHAR) || '-' || CAST(c.age_max AS VARCHAR) END AS age_band,
       count(*) AS sites,
       sum(c.count) AS individuals
FROM cells
GROUP BY ALL
ORDER BY country_iso3, round, population_group, sex, age_min, age_max NULLS LAST
