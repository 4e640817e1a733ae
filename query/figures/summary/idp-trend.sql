-- The figure over the figure summaries (query/summary.go), run when no from/to is given.
WITH p AS (
    SELECT CAST($country AS VARCHAR) AS country,
           LEAST(GREATEST(COALESCE(CAST($admin_level AS INTEGER), 0), 0), 3) AS lvl
),
f AS (
    SELECT s.country_iso3,
           CASE WHEN p.lvl >= 1 THEN s.admin1_pcode END AS admin1_pcode,
           CASE WHEN p.lvl >= 1 THEN s.admin1_name END AS admin1_name,
           CASE WHEN p.lvl >= 2 THEN s.admin2_pcode END AS admin2_pcode,
           CASE WHEN p.lvl >= 2 THEN s.admin2_name END AS admin2_name,
           CASE WHEN p.lvl >= 3 THEN s.admin3_pcode END AS admin3_pcode,
           CASE WHEN p.lvl >= 3 THEN s.admin3_name END AS admin3_name,
           s.round, s.sites, s.idp_households, s.idp_individuals
    FROM _dtm_site_summary s, p
    WHERE s.part = 'area'
      AND s.round IS NOT NULL
      AND (p.country IS NULL OR s.country_iso3 = upper(p.country))
      AND CAST($from AS DATE) IS NULL AND CAST($to AS DATE) IS NULL
),
agg AS (
    SELECT country_iso3, admin1_pcode, admin1_name, admin2_pcode, admin2_name,
           admin3_pcode, admin3_name, round,
           CAST(sum(sites) AS BIGINT) AS sites,
           sum(idp_households) AS idp_households,
           sum(idp_individuals) AS idp_individuals
    FROM f
    GROUP BY ALL
),
rounds AS (
    SELECT country_iso3, round,
           lag(round) OVER (PARTITION BY country_iso3 ORDER BY round) AS previous_round
    FROM (SELECT DISTINCT country_iso3, round FROM agg)
)
SELECT a.country_iso3,
       a.admin1_pcode, a.admin1_name,
       a.admin2_pcode, a.admin2_name,
       a.admin3_pcode, a.admin3_name,
       a.round,
       a.sites,
       a.idp_households,
       a.idp_individuals,
       r.previous_round,
       b.idp_individuals AS previous_idp_individuals,
       a.idp_individuals - b.idp_individuals AS change_individuals,
       CASE WHEN b.idp_individuals > 0
            THEN round(100.0 * (a.idp_individuals - b.idp_individuals) / b.idp_individuals, 1)
       END AS change_pct
FROM agg a
JOIN rounds r ON r.country_iso3 = a.country_iso3 AND r.round = a.round
LEFT JOIN agg b
       ON b.country_iso3 = a.country_iso3
      AND b.round = r.previous_round
      AND b.admin1_pcode IS NOT DISTINCT FROM a.admin1_pcode
      AND b.admin1_name IS NOT DISTINCT FROM a.admin1_name
      AND b.admin2_pcode IS NOT DISTINCT FROM a.admin2_pcode
      AND b.admin2_name IS NOT DISTINCT FROM a.admin2_name
      AND b.admin3_pcode IS NOT DISTINCT FROM a.admin3_pcode
      AND b.admin3_name IS NOT DISTINCT FROM a.admin3_name
ORDER BY 1, 2 NULLS LAST, 3 NULLS LAST, 4 NULLS LAST, 5 NULLS LAST, 6 NULLS LAST, 7 NULLS LAST, 8
