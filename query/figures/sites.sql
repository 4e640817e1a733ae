-- name: sites
-- dataset: site_assessment
-- description: Sites, IDP households and IDP individuals by site type, per country, in the latest round of each country or in one chosen round; share_pct is the type's share of the country's IDPs in that round.
-- param: country VARCHAR ISO3 code of one country (default: every country)
-- param: round INTEGER one round number (default: the latest round of each country)
-- param: from DATE first assessment date included (default: no limit)
-- param: to DATE last assessment date included (default: no limit)
WITH f AS (
    SELECT s.*
    FROM site_rounds(CAST($country AS VARCHAR), CAST($round AS BIGINT), CAST($from AS DATE), CAST($to AS DATE)) s
),
agg AS (
    SELECT f.country_iso3, f.round, f.site_type,
           count(*) AS sites,
           sum(f.idp_households) AS idp_households,
           sum(f.idp_individuals) AS idp_individuals
    FROM f
    GROUP BY ALL
)
SELECT country_iso3, round, site_type, sites, idp_households, idp_individuals,
       round(100.0 * idp_individuals / nullif(sum(idp_individuals) OVER (PARTITION BY country_iso3, round), 0), 1) AS share_pct
FROM agg
ORDER BY country_iso3, round, idp_individuals DESC NULLS LAST, site_type NULLS LAST
