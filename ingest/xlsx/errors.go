package xlsx

import (
	"errors"
	"fmt"

	"github.com/iom-dtm/dtm/ingest"
)

// Errors a caller may test with errors.Is. Limit violations wrap
// ingest.ErrLimit instead.
var (
	// ErrNotXLSX means the file is not a zip archive, hence not a workbook
	// (for example a CSV renamed .xlsx, or a legacy binary .xls).
	ErrNotXLSX = errors.New("not an XLSX workbook")
	// ErrCorrupt means the archive or one of its XML parts is damaged
	// (typically a truncated download).
	ErrCorrupt = errors.New("corrupt or truncated XLSX workbook")
	// ErrNoSheet means the requested worksheet does not exist.
	ErrNoSheet = errors.New("no such worksheet")
)

// fileErr prefixes err with the file name.
func fileErr(file string, err error) error {
	return fmt.Errorf("reading %q: %w", file, err)
}

// sheetErr prefixes err with the sheet and file names.
func sheetErr(file, sheet string, err error) error {
	return fmt.Errorf("reading sheet %q of %q: %w", sheet, file, err)
}

// rowErr prefixes err with the sheet, file and 1-based row number.
func rowErr(file, sheet string, row int, err error) error {
	return fmt.Errorf("reading sheet %q of %q row %d: %w", sheet, file, row, err)
}

// cellErr prefixes err with the sheet, file, row and column letter.
func cellErr(file, sheet string, row, col int, err error) error {
	return fmt.Errorf("reading sheet %q of %q row %d column %s: %w", sheet, file, row, columnName(col), err)
}

// limitErr builds an error wrapping ingest.ErrLimit.
func limitErr(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ingest.ErrLimit)
}

// recoverErr turns a panic from a third-party parser into an error stored
// in *err. Use as: defer recoverErr(&err, file, sheet).
func recoverErr(err *error, file, sheet string) {
	r := recover()
	if r == nil {
		return
	}
	e := fmt.Errorf("%w: parser failed: %v", ErrCorrupt, r)
	if sheet == "" {
		*err = fileErr(file, e)
		return
	}
	*err = sheetErr(file, sheet, e)
}

// columnName returns the spreadsheet letters of a 1-based column (1 -> A,
// 27 -> AA).
func columnName(col int) string {
	if col < 1 {
		return "?"
	}
	var b []byte
	for col > 0 {
		col--
		b = append(b, byte('A'+col%26))
		col /= 26
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}
