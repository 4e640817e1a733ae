package main

import (
	"context"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/sinks"
)

// openWarehouse opens the committed state of --warehouse for a read
// command; a path that holds no warehouse is an error (exit 1) naming it,
// never an empty result.
func (a *app) openWarehouse(ctx context.Context) (*query.DB, error) {
	if err := sinks.Exists(a.warehouse); err != nil {
		return nil, err
	}
	return query.Open(ctx, a.warehouse, a.registry)
}
