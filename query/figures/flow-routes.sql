-- name: flow-routes
-- dataset: flow_registry
-- description: Individuals counted at flow monitoring points by route: country of origin to intended final destination (OOO: unknown; unknown: not recorded), with the number of FMPs and of records.
-- param: country VARCHAR ISO3 code of the FMP's country (default: every country)
-- param: direction VARCHAR incoming or outgoing (default: both)
-- param: from DATE first period start included (default: no limit)
-- param: to DATE last period start included (default: no limit)
WITH p AS (
    SELECT CAST($country AS VARCHAR) AS country,
           CAST($direction AS VARCHAR) AS dir,
           CAST($from AS DATE) AS d_from,
           CAST($to AS DATE) AS d_to
)
SELECT f.country_iso3,
       coalesce(f.origin_country, 'unknown') AS origin_country,
       coalesce(f.final_destination_country, 'unknown') AS final_destination_country,
       CAST(sum(f.individuals) AS BIGINT) AS individuals,
       count(DISTINCT f.fmp_id) AS fmps,
       count(*) AS records
FROM flow_registry f, p
WHERE (p.country IS NULL OR f.country_iso3 = upper(p.country))
  AND (p.dir IS NULL OR f.direction = lower(p.dir))
  AND (p.d_from IS NULL OR f.period_start >= p.d_from)
  AND (p.d_to IS NULL OR f.period_start <= p.d_to)
GROUP BY ALL
ORDER BY country_iso3, individuals DESC, origin_country, final_destination_country
