package query

import "errors"

// ErrUnknownFigure is returned for a figure name that does not exist.
var ErrUnknownFigure = errors.New("unknown figure")

// ErrBadParam is returned for a figure parameter that is unknown or cannot
// be read as its type.
var ErrBadParam = errors.New("bad figure parameter")
