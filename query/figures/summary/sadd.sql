-- The figure over the figure summaries (query/summary.go), run when no from/to is given.
WITH cells AS (
    SELECT s.country_iso3, s.round, s.sadd_group, s.sex, s.age_min, s.age_max, s.sites, s.sadd_count
    FROM site_summary('sadd', CAST($country AS VARCHAR), CAST($round AS BIGINT)) s
    WHERE CAST($from AS DATE) IS NULL AND CAST($to AS DATE) IS NULL
)
SELECT country_iso3,
       round,
       coalesce(nullif(sadd_group, ''), 'idp') AS population_group,
       sex,
       age_min,
       age_max,
       CASE WHEN age_max IS NULL THEN CAST(age_min AS VARCHAR) || '+'
            ELSE CAST(age_min AS VARCHAR) || '-' || CAST(age_max AS VARCHAR) END AS age_band,
       CAST(sum(sites) AS BIGINT) AS sites,
       sum(sadd_count) AS individuals
FROM cells
GROUP BY ALL
ORDER BY country_iso3, round, population_group, sex, age_min, age_max NULLS LAST
