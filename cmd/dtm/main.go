// Command dtm is the Displacement Tracking Matrix batch pipeline: it ingests
// DTM files into a Parquet warehouse and answers questions over it with
// DuckDB. See the README for usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := newApp(os.Stdout, os.Stderr)
	err := app.root().ExecuteContext(ctx)
	code := app.exitCode(err)
	if err != nil && !errors.Is(err, errReported) {
		fmt.Fprintf(os.Stderr, "dtm: %v\n", err)
	}
	os.Exit(code)
}
