// Package testutil holds helpers shared by the tests of several packages,
// chiefly generators of realistic input fixtures (for example WriteXLSX,
// which writes a workbook with shared strings, date-styled cells and
// formulas with cached values, as Excel does).
//
// Contracts: helpers take a testing.TB and fail the test on any error
// instead of returning it; they write only where the caller says (normally
// under t.TempDir()); they are deterministic for the same arguments.
// Nothing here may be imported by non-test code.
package testutil
