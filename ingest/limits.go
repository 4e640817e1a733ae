package ingest

import "errors"

// ErrLimit is wrapped by every error raised because an input exceeds Limits.
var ErrLimit = errors.New("input exceeds a configured limit")

// Limits bounds what a reader will accept, so that a hostile or broken file
// yields a clear error instead of exhausting memory or time.
type Limits struct {
	MaxFileBytes         int64 // size of the file on disk
	MaxDecompressedBytes int64 // total uncompressed size of an XLSX's parts
	MaxColumns           int   // columns in one row
	MaxCellBytes         int   // bytes in one cell
	MaxRowBytes          int   // bytes in one record
	MaxHeaderScan        int   // rows examined when looking for the header
}

// DefaultLimits are safe for a 2-core, few-GB machine and generous for real
// DTM files (the largest published ones have tens of columns and a few hundred
// thousand rows).
func DefaultLimits() Limits {
	return Limits{
		MaxFileBytes:         4 << 30,
		MaxDecompressedBytes: 2 << 30,
		MaxColumns:           4096,
		MaxCellBytes:         1 << 20,
		MaxRowBytes:          8 << 20,
		MaxHeaderScan:        50,
	}
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxDecompressedBytes <= 0 {
		l.MaxDecompressedBytes = d.MaxDecompressedBytes
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = d.MaxColumns
	}
	if l.MaxCellBytes <= 0 {
		l.MaxCellBytes = d.MaxCellBytes
	}
	if l.MaxRowBytes <= 0 {
		l.MaxRowBytes = d.MaxRowBytes
	}
	if l.MaxHeaderScan <= 0 {
		l.MaxHeaderScan = d.MaxHeaderScan
	}
	return l
}
