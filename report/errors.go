package report

import "errors"

// ErrBadOptions is returned (wrapped) for options that cannot describe a
// report: a country that is not an ISO3 code, a negative round or min-cell.
// The CLI maps it to a usage error (exit 2), a server to 400.
var ErrBadOptions = errors.New("bad report options")
