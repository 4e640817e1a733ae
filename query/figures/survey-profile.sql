-- name: survey-profile
-- dataset: flow_survey
-- description: Flow monitoring survey respondents by sex, age band, nationality and reason for travel (long format: dimension, category), per country, with the total per dimension. Small-cell suppression applies: suppressed cells are empty and flagged.
-- param: country VARCHAR ISO3 code of the FMP's country (default: every country)
-- param: direction VARCHAR incoming or outgoing (default: both)
-- param: from DATE first interview date included (default: no limit; rows without a date are then left out)
-- param: to DATE last interview date included (default: no limit; rows without a date are then left out)
-- suppress: respondents; by country_iso3, dimension; total category=total
WITH p AS (
    SELECT CAST($country AS VARCHAR) AS country,
           CAST($direction AS VARCHAR) AS dir,
           CAST($from AS DATE) AS d_from,
           CAST($to AS DATE) AS d_to
),
s AS (
    SELECT f.*
    FROM flow_survey f, p
    WHERE (p.country IS NULL OR f.country_iso3 = upper(p.country))
      AND (p.dir IS NULL OR f.direction = lower(p.dir))
      AND (p.d_from IS NULL OR f.period_start >= p.d_from)
      AND (p.d_to IS NULL OR f.period_start <= p.d_to)
),
cells AS (
    SELECT country_iso3, 'sex' AS dimension, coalesce(sex, 'unknown') AS category FROM s
    UNION ALL
    SELECT country_iso3, 'age_band', coalesce(age_band, 'unknown') FROM s
    UNION ALL
    SELECT country_iso3, 'nationality', coalesce(nationality, 'unknown') FROM s
    UNION ALL
    SELECT country_iso3, 'reason', r.reason FROM s, unnest(s.reasons) AS r(reason)
),
counted AS (
    SELECT country_iso3, dimension, category, count(*) AS respondents FROM cells GROUP BY ALL
    UNION ALL
    SELECT s.country_iso3, d.dimension, 'total', count(*)
    FROM s, (VALUES ('sex'), ('age_band'), ('nationality')) AS d(dimension)
    GROUP BY ALL
)
SELECT country_iso3, dimension, category, CAST(respondents AS BIGINT) AS respondents
FROM counted
ORDER BY country_iso3,
         CASE dimension WHEN 'sex' THEN 0 WHEN 'age_band' THEN 1 WHEN 'nationality' THEN 2 ELSE 3 END,
         category = 'total', category
