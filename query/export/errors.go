package export

import (
	"errors"
	"fmt"
)

// ErrUsage matches every error caused by the request itself (an unknown
// name or format, a parameter the figure or dataset does not take, a raw
// export of sensitive microdata): wrong whatever the warehouse holds.
var ErrUsage = errors.New("bad export request")

// usageError is an error of the request; its text is the message alone.
type usageError struct{ err error }

func (u usageError) Error() string        { return u.err.Error() }
func (u usageError) Unwrap() error        { return u.err }
func (u usageError) Is(target error) bool { return target == ErrUsage }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }
