package query

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/iom-dtm/dtm/schemas"
)

// rejectsView is the `rejects` view: the rejects of every committed input,
// then those of inputs whose last attempt failed its reject threshold
// (nothing of their rows committed), told apart by the BOOLEAN column
// failed_input.
func (d *DB) rejectsView() string {
	rj := schemas.RejectsDataset()
	part := func(files []string, failed bool) string {
		flag := fmt.Sprintf("%t AS failed_input", failed)
		if len(files) == 0 {
			cols := make([]string, len(rj.Fields))
			for i, f := range rj.Fields {
				cols[i] = fmt.Sprintf("CAST(NULL AS %s) AS %s", f.Kind.DuckDBType(), quoteIdent(f.Name))
			}
			return fmt.Sprintf("SELECT %s, %s WHERE false", strings.Join(cols, ", "), flag)
		}
		paths := make([]string, len(files))
		for i, f := range files {
			paths[i] = quoteLiteral(filepath.Join(d.root, filepath.FromSlash(f)))
		}
		cols := make([]string, len(rj.Fields))
		for i, f := range rj.Fields {
			cols[i] = quoteIdent(f.Name)
		}
		return fmt.Sprintf("SELECT %s, %s FROM read_parquet([%s], union_by_name = true, hive_partitioning = false)",
			strings.Join(cols, ", "), flag, strings.Join(paths, ", "))
	}
	return "CREATE OR REPLACE VIEW rejects AS " + part(d.manifest.RejectFiles(), false) +
		" UNION ALL " + part(d.manifest.FailedRejectFiles(), true)
}
