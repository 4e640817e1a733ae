// Package synth generates deterministic synthetic inputs shaped like DTM
// files, for benchmarks: a site assessment CSV (20 English columns, an HXL
// row, p-codes, site types, coordinates, ISO dates, counts with thousands
// separators, multi-valued reasons, some quoted names), the same rows as an
// XLSX workbook written with excelize's StreamWriter, and a flow monitoring
// survey CSV.
//
// Contract: the same row count always gives the same bytes (a fixed PCG
// seed; no clock, no map iteration). Every generated site row is valid for
// the site_assessment dataset (no rejects expected); males + females equal
// individuals.
package synth
