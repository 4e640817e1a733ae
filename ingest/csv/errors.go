package csv

import (
	"errors"
	"fmt"
)

// ErrNoHeader is wrapped by the error returned when a source holds no record
// at all (an empty file, only a byte order mark, only blank lines) or no record
// with a non-empty cell among the rows scanned for the header.
var ErrNoHeader = errors.New("no header row found")

// ErrNotText is wrapped by the error returned when the source looks like a
// binary file (a zip/XLSX or legacy XLS workbook, or mostly NUL bytes) rather
// than delimited text.
var ErrNotText = errors.New("not a delimited text file")

// rowError wraps err with the file name and the 1-based row number.
func rowError(file string, row int, err error) error {
	return fmt.Errorf("reading %q row %d: %w", file, row, err)
}

// fileError wraps err with the file name.
func fileError(file string, err error) error {
	return fmt.Errorf("reading %q: %w", file, err)
}
