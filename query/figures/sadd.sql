-- name: sadd
-- dataset: site_assessment
-- description: Population by sex and age band exactly as published (bands are never re-binned; age_max empty for an open band such as 60+), per country and population group, in the latest round of each country or in one chosen round.
-- param: country VARCHAR ISO3 code of one country (default: every country)
-- param: round INTEGER one round number (default: the latest round of each country)
-- param: from DATE first assessment date included (default: no limit)
-- param: to DATE last assessment date included (default: no limit)
WITH f AS (
    SELECT s.country_iso3, s.round, s.sadd
    FROM site_rounds(CAST($country AS VARCHAR), CAST($round AS BIGINT), CAST($from AS DATE), CAST($to AS DATE)) s
),
cells AS (
    SELECT f.country_iso3, f.round, unnest(f.sadd) AS c
    FROM f
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
