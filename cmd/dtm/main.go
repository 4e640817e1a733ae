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
	// SIGINT and SIGTERM cancel the context: a run stops before its commit
	// (or finishes a commit already started), records itself as
	// interrupted and exits 130. A second signal kills at once, which is
	// safe too: the warehouse never depends on a clean exit.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	app := newApp(os.Stdout, os.Stderr)
	root := app.root()
	// A soft memory limit by default (memory.go); tests that build the
	// commands in-process leave the runtime's setting alone.
	addMemoryLimit(root, app.env)
	stopProfile := addProfileFlag(root)
	err := root.ExecuteContext(ctx)
	stopProfile()
	code := app.exitCode(err)
	if err != nil && !errors.Is(err, errReported) {
		fmt.Fprintf(os.Stderr, "dtm: %v\n", err)
	}
	os.Exit(code)
}
