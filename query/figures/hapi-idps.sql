-- name: hapi-idps
-- dataset: displacement_admin
-- description: HDX HAPI's idps table: IDPs per admin area, operation, assessment type, round and reporting date, summed over displacement reason and origin (within each source response, as HDX does); `warning` lists p-code problems, `error` is "Duplicate row" on a repeated HAPI key (all but the first, by source file), and negative values.
-- param: country VARCHAR ISO3 code of one country (default: every country)
-- param: admin_level INTEGER admin level 0, 1 or 2 (default: every level)
-- range: admin_level 0 2
-- param: round INTEGER one round number (default: every round)
-- param: from DATE first reporting date included (default: no limit)
-- param: to DATE last reporting date included (default: no limit)
WITH p AS (
    SELECT CAST($country AS VARCHAR) AS country,
           CAST($admin_level AS INTEGER) AS lvl,
           CAST($round AS BIGINT) AS rnd,
           CAST($from AS DATE) AS d_from,
           CAST($to AS DATE) AS d_to
),
summed AS (
    SELECT d.country_iso3 AS location_code,
           d.admin1_pcode AS admin1_code,
           d.admin1_name,
           d.admin2_pcode AS admin2_code,
           d.admin2_name,
           d.admin_level,
           d.operation,
           d.assessment_type,
           sum(d.idp_individuals) AS population,
           d.round AS reporting_round,
           d.reporting_date AS reference_period_start,
           d.reporting_date AS reference_period_end,
           d.source_file
    FROM displacement_admin d, p
    WHERE (p.country IS NULL OR d.country_iso3 = upper(p.country))
      AND (p.lvl IS NULL OR d.admin_level = p.lvl)
      AND (p.rnd IS NULL OR d.round = p.rnd)
      AND (p.d_from IS NULL OR d.reporting_date >= p.d_from)
      AND (p.d_to IS NULL OR d.reporting_date <= p.d_to)
    GROUP BY ALL
),
keyed AS (
    SELECT *,
           row_number() OVER (
               PARTITION BY location_code, admin1_code, admin2_code, admin1_name, admin2_name, admin_level,
                            assessment_type, reporting_round, operation, reference_period_start
               ORDER BY source_file) AS key_seq
    FROM summed
)
SELECT location_code, admin1_code, admin1_name, admin2_code, admin2_name, admin_level, operation,
       assessment_type, population, reporting_round, reference_period_start, reference_period_end,
       nullif(concat_ws('; ',
           CASE WHEN admin_level >= 1 AND admin1_code IS NULL THEN 'Missing admin1 p-code' END,
           CASE WHEN admin_level >= 2 AND admin2_code IS NULL THEN 'Missing admin2 p-code' END,
           CASE WHEN admin1_code IS NOT NULL AND NOT regexp_full_match(admin1_code, '[A-Z]{2,3}[0-9A-Z]*[0-9]') THEN 'admin1 p-code ' || admin1_code || ' is not a COD p-code' END,
           CASE WHEN admin2_code IS NOT NULL AND NOT regexp_full_match(admin2_code, '[A-Z]{2,3}[0-9A-Z]*[0-9]') THEN 'admin2 p-code ' || admin2_code || ' is not a COD p-code' END,
           CASE WHEN admin1_code IS NOT NULL AND admin2_code IS NOT NULL AND NOT starts_with(admin2_code, admin1_code) THEN 'admin2 p-code ' || admin2_code || ' is not under ' || admin1_code END
       ), '') AS warning,
       nullif(concat_ws('; ',
           CASE WHEN key_seq > 1 THEN 'Duplicate row' END,
           CASE WHEN population < 0 THEN 'Negative population' END,
           CASE WHEN reporting_round < 0 THEN 'Negative round' END
       ), '') AS error
FROM keyed
ORDER BY location_code, admin_level, admin1_code NULLS FIRST, admin2_code NULLS FIRST, reference_period_start,
         reporting_round, assessment_type, operation, admin1_name NULLS FIRST, admin2_name NULLS FIRST, key_seq
