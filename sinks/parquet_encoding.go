package sinks

import "github.com/iom-dtm/dtm/schemas"

// parquetPlainColumn reports the canonical columns whose values are nearly
// unique within a file (a row number, a site's id, name and coordinates), so
// that a dictionary only costs CPU and grows the file: they are written
// plain. Low-cardinality columns (codes, names of admin units, provenance
// of the file, dates, counts) keep the dictionary, which compresses them
// far better than zstd alone. See BenchmarkParquetEncoding for the figures.
func parquetPlainColumn(name string) bool {
	switch name {
	case schemas.ColSourceRow, "site_id", "site_name", "latitude", "longitude":
		return true
	}
	return false
}
