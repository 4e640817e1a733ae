// Package export writes a figure, a dataset or the rejects of a dtm
// warehouse to a file for portals: CSV, CSV with the HXL tag row, JSON,
// JSON lines, GeoJSON and Parquet (GeoParquet when the rows have
// coordinates). It holds the export policy; `dtm export` only turns flags
// into a Request and prints what Run returns.
//
// Contracts:
//   - NewPlan checks a Request against the dataset registry and the
//     figures before any warehouse is opened; every error it returns, and
//     every error Run returns because of the request itself (GeoJSON of a
//     figure without coordinates), matches ErrUsage (exit 2 in the CLI).
//     Bad figure parameter values match query.ErrBadParam.
//   - Disclosure control: a dataset with a Sensitive field (flow_survey,
//     one row per respondent) is never exported raw; a figure of such a
//     dataset is exported only when it declares small-cell suppression
//     (`-- suppress:`), applied with Request.MinCell (0:
//     query.DefaultMinCell). Personal fields never reach the warehouse.
//   - A dataset export is every stored field of its view, filtered by the
//     parameters country (ISO 3166 alpha-3, on country_iso3), round (on
//     round) and from/to (inclusive dates, on the dataset's date field:
//     its first field of kind Date, the date the row describes), each only
//     where the dataset has that field. Values are bound, never spliced
//     into the SQL.
//   - Memory: a dataset in a text format streams from DuckDB to the file
//     row by row (bounded whatever its size); a dataset in Parquet is
//     written by DuckDB, then rewritten with a WKB point column when it has
//     coordinates (record batch by record batch); figures and rejects are
//     small tables. Every Arrow buffer comes from Options.Allocator and is
//     released when Run returns, on success or error.
//   - Files: the output appears complete or not at all (temporary file,
//     then rename); a refused or failed export leaves an existing file
//     untouched.
package export
