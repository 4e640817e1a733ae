// Package geo knows the countries of ISO 3166-1: their alpha-2 and alpha-3
// codes and their names in English, French and Spanish, from the CLDR data
// that golang.org/x/text ships (no hand-written country table), plus the
// few aliases that DTM files use and CLDR lacks (RDC, RCA, KSA, the
// flow-monitoring "unknown country" OOO, ...).
//
// Contract: a *Countries is built once with New and is read-only after, so
// it may be shared by goroutines. Lookups ignore case, accents, punctuation
// and surrounding spaces. A name that CLDR gives to two countries in
// different languages is ambiguous and resolves only through an alias.
package geo
