package query

import (
	"context"
	"fmt"
	"os"

	"github.com/iom-dtm/dtm/schemas"
)

// Column is one output column of a figure.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"` // DuckDB type name
}

// DescribeFigures returns the output columns of every figure, found by
// running each one over an empty warehouse (the views then have their
// columns and types but no rows), so it costs milliseconds whatever the
// size of the real warehouse. It writes nothing but an empty temporary
// directory, removed before it returns.
func DescribeFigures(ctx context.Context, reg *schemas.Registry) (map[string][]Column, error) {
	dir, err := os.MkdirTemp("", "dtm-describe-*")
	if err != nil {
		return nil, fmt.Errorf("describing figures: %w", err)
	}
	defer os.RemoveAll(dir)
	db, err := Open(ctx, dir, reg)
	if err != nil {
		return nil, fmt.Errorf("describing figures: %w", err)
	}
	defer db.Close()
	figs, err := Figures()
	if err != nil {
		return nil, err
	}
	out := make(map[string][]Column, len(figs))
	for _, f := range figs {
		res, err := db.Run(ctx, f, nil, RunOptions{})
		if err != nil {
			return nil, fmt.Errorf("describing figure %s: %w", f.Name, err)
		}
		cols := make([]Column, len(res.Columns))
		for i, c := range res.Columns {
			cols[i] = Column{Name: c, Type: res.Types[i]}
		}
		out[f.Name] = cols
	}
	return out, nil
}
