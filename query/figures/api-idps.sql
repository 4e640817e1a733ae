-- name: api-idps
-- dataset: displacement_admin
-- description: DTM API displacement records in the columns and HXL tags of HDX's DTM API dataset (one row per area, date, round, reason, origin and assessment type, as published).
-- hxl: #operation+name #country+name #country+code #adm1+name #adm1+code #adm2+name #adm2+code #adm+level #affected+idps #date+reported #round+code #cause+type #affected+idps+m #affected+idps+f #adm1+name+origin #adm1+code+origin #assessment+type
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
)
SELECT d.operation AS operation,
       d.admin0_name AS admin0Name,
       d.country_iso3 AS admin0Pcode,
       d.admin1_name AS admin1Name,
       d.admin1_pcode AS admin1Pcode,
       d.admin2_name AS admin2Name,
       d.admin2_pcode AS admin2Pcode,
       d.admin_level AS adminLevel,
       d.idp_individuals AS numPresentIdpInd,
       d.reporting_date AS reportingDate,
       d.round AS roundNumber,
       array_to_string(d.displacement_reasons, '; ') AS displacementReason,
       d.idp_males AS numberMales,
       d.idp_females AS numberFemales,
       d.origin_admin1_name AS idpOriginAdmin1Name,
       d.origin_admin1_pcode AS idpOriginAdmin1Pcode,
       d.assessment_type AS assessmentType
FROM displacement_admin d, p
WHERE (p.country IS NULL OR d.country_iso3 = upper(p.country))
  AND (p.lvl IS NULL OR d.admin_level = p.lvl)
  AND (p.rnd IS NULL OR d.round = p.rnd)
  AND (p.d_from IS NULL OR d.reporting_date >= p.d_from)
  AND (p.d_to IS NULL OR d.reporting_date <= p.d_to)
ORDER BY admin0Pcode, adminLevel, admin1Pcode NULLS FIRST, admin2Pcode NULLS FIRST, reportingDate, roundNumber,
         assessmentType, displacementReason NULLS FIRST, idpOriginAdmin1Pcode NULLS FIRST, d.source_file, d.source_sheet NULLS FIRST, d.source_row
