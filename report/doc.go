// Package report builds `dtm report`: one self-contained, offline HTML page
// of the warehouse's figures as charts, each with its numbers in an
// accessible table beside it and a CSV download of the same numbers.
//
// Entry points: Render(ctx, db, opts, w) writes the page (the CLI and
// `dtm serve` call it); Build computes the Report model and Write renders
// it (tests read the model).
//
// What the page shows, in order: headline numbers (IDPs, households,
// sites, round, change from the previous round); IDPs over rounds (one line
// per country, or per admin 1 for one country); IDPs by admin 1 and admin 2
// (bars, largest first); population pyramids from the SADD bands exactly as
// published; displacement reasons; sites as points on longitude/latitude
// axes sized by IDPs; flow monitoring individuals by direction per month
// and the top routes; the flow survey profile (small-cell suppressed); and
// the data-quality panel (per input rows in/written/rejected, the
// reconciliation of its headline figures from the run results beside its
// top reject codes, and the reject codes over all inputs).
//
// Contracts:
//   - Data comes only through package query, on one connection the report
//     holds (query.Conn): named figures (run with the report's country and
//     round, and query.RunOptions.MinCell for suppressed figures) and SQL
//     over its views and over two temporary aggregates of site_assessment
//     built once per report and dropped after it (sitedata.go: the site
//     charts' numbers are the figures' numbers, computed from the
//     aggregates; TestReportEqualsFigures holds them equal). The package
//     never opens DuckDB.
//   - Each chart's drawing and its table are made from the same rows; the
//     CSV download is the table. Values capped for legibility (top N
//     bars, sites, routes) are summed into an "other" row or stated in a
//     note, never dropped silently.
//   - Survey-derived numbers are suppressed by the figure exactly as `dtm
//     export` suppresses them: a suppressed cell is neither drawn nor
//     printed ("suppressed" in the table, empty in the CSV).
//   - SADD bands are never re-binned; overlapping bands (sources that
//     publish different bands) are drawn as published and flagged.
//   - The page loads nothing: CSS, the vendored Apache ECharts build
//     (assets/, Apache-2.0), the chart options (JSON) and the drawing script
//     are inline, and charts use the SVG renderer. No map tiles: sites are
//     drawn on plain lon/lat axes.
//   - No personal data: the report shows aggregates, site names (public
//     places) and input file names; flow_survey rows only through the
//     suppressed survey-profile figure.
//   - Each chart states its title, units, the figure or SQL it comes from,
//     the dataset, the source files (source_file values of its rows) and the
//     warehouse generation.
package report
