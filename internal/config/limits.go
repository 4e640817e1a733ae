package config

import (
	"fmt"

	"github.com/iom-dtm/dtm/ingest"
	"gopkg.in/yaml.v3"
)

// Ingest returns the limits as the readers take them (zero fields: the
// safe defaults of ingest.DefaultLimits).
func (l Limits) Ingest() ingest.Limits {
	return ingest.Limits{
		MaxFileBytes:         l.MaxFileBytes,
		MaxDecompressedBytes: l.MaxDecompressedBytes,
		MaxColumns:           l.MaxColumns,
		MaxCellBytes:         l.MaxCellBytes,
		MaxRowBytes:          l.MaxRowBytes,
		MaxHeaderScan:        l.MaxHeaderScan,
	}
}

// validate rejects negative limits (0 means the default).
func (l Limits) validate(node *yaml.Node) error {
	for _, f := range []struct {
		key string
		v   int64
	}{
		{"max_file_bytes", l.MaxFileBytes}, {"max_decompressed_bytes", l.MaxDecompressedBytes},
		{"max_columns", int64(l.MaxColumns)}, {"max_cell_bytes", int64(l.MaxCellBytes)},
		{"max_row_bytes", int64(l.MaxRowBytes)}, {"max_header_scan", int64(l.MaxHeaderScan)},
	} {
		if f.v < 0 {
			return fmt.Errorf("%slimits.%s must not be negative (0 or absent: the default)", lineOf(node, f.key), f.key)
		}
	}
	return nil
}
