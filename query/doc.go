// Package query is the only package that opens DuckDB. It opens an
// in-memory database, creates one view per dataset over exactly the Parquet
// files the warehouse manifest has committed (so a run in progress or a
// crashed run is never visible), plus the `rejects` and `runs` views, and
// runs ad-hoc SQL and named figures.
//
// Contracts:
//   - Figures are embedded SQL files run with bound parameters; user input
//     is never spliced into SQL text.
//   - Views list files by absolute path, quoted; a dataset with no committed
//     files is an empty view with the dataset's columns and types.
package query
