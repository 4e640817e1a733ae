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
//   - A figure file's header declares it: `-- name:`, `-- dataset:`,
//     `-- description:`, one `-- param: NAME TYPE description` per bound
//     parameter (absent parameters are bound as NULL, meaning the figure's
//     default), optionally `-- hxl:` (the HXL tags of its output columns)
//     and `-- suppress:` (small-cell suppression applied by DB.Run, see
//     suppress.go); figures over flow_survey must declare suppression.
package query
