-- name: flows
-- dataset: flow_registry
-- description: Individuals counted at each flow monitoring point (FMP) by direction and period, in total and broken down by nationality, sex and transport mode (long format: breakdown, category).
-- param: country VARCHAR ISO3 code of the FMP's country (default: every country)
-- param: direction VARCHAR incoming or outgoing (default: both)
-- param: period VARCHAR regroup periods by month or year (default: the periods as recorded)
-- param: from DATE first period start included (default: no limit)
-- param: to DATE last period start included (default: no limit)
WITH p AS (
    SELECT CAST($country AS VARCHAR) AS country,
           CAST($direction AS VARCHAR) AS dir,
           lower(CAST($period AS VARCHAR)) AS per,
           CAST($from AS DATE) AS d_from,
           CAST($to AS DATE) AS d_to
),
r AS (
    SELECT f.*,
           CASE WHEN p.per IN ('month', 'year') THEN CAST(date_trunc(p.per, f.period_start) AS DATE) ELSE f.period_start END AS p_start,
           CASE WHEN p.per IN ('month', 'year') THEN CAST(date_trunc(p.per, f.period_start) + CAST('1 ' || p.per AS INTERVAL) - INTERVAL 1 DAY AS DATE) ELSE f.period_end END AS p_end,
           CASE WHEN p.per IN ('month', 'year') THEN p.per ELSE f.period_type END AS p_type
    FROM flow_registry f, p
    WHERE (p.country IS NULL OR f.country_iso3 = upper(p.country))
      AND (p.dir IS NULL OR f.direction = lower(p.dir))
      AND (p.d_from IS NULL OR f.period_start >= p.d_from)
      AND (p.d_to IS NULL OR f.period_start <= p.d_to)
),
b AS (
    SELECT country_iso3, fmp_id, fmp_name, direction, p_start, p_end, p_type, 'total' AS breakdown, 'total' AS category, individuals FROM r
    UNION ALL
    SELECT country_iso3, fmp_id, fmp_name, direction, p_start, p_end, p_type, 'nationality', coalesce(nationality, 'unknown'), individuals FROM r
    UNION ALL
    SELECT country_iso3, fmp_id, fmp_name, direction, p_start, p_end, p_type, 'sex', coalesce(sex, 'unknown'), individuals FROM r
    UNION ALL
    SELECT country_iso3, fmp_id, fmp_name, direction, p_start, p_end, p_type, 'transport_mode', coalesce(transport_mode, 'unknown'), individuals FROM r
)
SELECT * FROM (
    SELECT country_iso3,
           fmp_id,
           fmp_name,
           direction,
           p_start AS period_start,
           p_end AS period_end,
           p_type AS period_type,
           breakdown,
           category,
           CAST(sum(individuals) AS BIGINT) AS individuals
    FROM b
    GROUP BY country_iso3, fmp_id, fmp_name, direction, p_start, p_end, p_type, breakdown, category
) t
ORDER BY country_iso3, fmp_id, fmp_name NULLS LAST, direction NULLS LAST, period_start, period_end, period_type NULLS LAST,
         CASE breakdown WHEN 'total' THEN 0 WHEN 'nationality' THEN 1 WHEN 'sex' THEN 2 ELSE 3 END, breakdown, category
