// Package layers holds the layering check of the module: no package
// imports a layer above its own (DESIGN.md, "one direction, no
// back-edges"). It has no code; its test walks the source tree.
//
// The layers, lowest first (a package may import the packages of its own
// top-level tree, and packages of a strictly lower rank):
//
//	0 schemas, ingest   the canonical datasets; raw readers (no schema semantics)
//	1 transform, sinks  mapping and rules; the Parquet warehouse (no DTM semantics)
//	2 query             DuckDB over what sinks committed
//	3 report            the HTML report, from query
//	4 serve             the HTTP API, over query and report
//	5 internal/...      plumbing: pipeline, config, bench, test helpers
//	6 cmd/...           the command line
//
// A new top-level package must be given a rank in layers_test.go.
package layers
