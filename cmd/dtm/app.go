package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/iom-dtm/dtm/internal/config"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

// errReported marks an error already shown to the user.
var errReported = errors.New("reported")

// usageError is bad usage or configuration (exit code 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// exitError carries an exit code decided by a command.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

// app holds the global options and the streams; one per process.
type app struct {
	stdout, stderr io.Writer
	warehouse      string
	catalog        string // Iceberg catalog of an s3:// warehouse (sinks/lake)
	logLevel       string
	logFormat      string
	quiet          bool
	log            *zap.Logger
	registry       *schemas.Registry
	// env is the environment, read once when the app is made: every
	// setting that comes from it goes through config.Resolve (a.resolve).
	env config.Env
	// settings are the command's settings without a job file (flags,
	// environment, defaults), resolved before it runs; commands with a
	// job file resolve again with it.
	settings config.Settings
	// allocator is the hidden --allocator (allocator_flag.go).
	allocator string
}

func newApp(stdout, stderr io.Writer) *app {
	return &app{stdout: stdout, stderr: stderr, registry: schemas.Default(), env: config.OSEnv()}
}

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:           "dtm",
		Short:         "Displacement Tracking Matrix batch pipeline: DTM files -> Parquet warehouse -> figures",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			log, err := newLogger(a.logLevel, a.logFormat, a.quiet, a.stderr)
			if err != nil {
				return usageError{err}
			}
			a.log = log
			s, err := a.resolve(cmd, nil)
			if err != nil {
				return err
			}
			a.settings, a.warehouse, a.catalog = s, s.Warehouse, s.Catalog
			return nil
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.warehouse, "warehouse", config.DefaultWarehouse, "warehouse directory or s3://BUCKET/PREFIX (else env "+config.EnvWarehouse+", else a job file's warehouse)")
	pf.StringVar(&a.catalog, "catalog", "", "Iceberg catalog of an s3:// warehouse: sqlite:PATH, postgres://USER@HOST/DB, or a REST http(s):// URL (else env "+config.EnvCatalog+", else a job file's catalog)")
	pf.StringVar(&a.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	pf.StringVar(&a.logFormat, "log-format", "auto", "log format: auto (console on a terminal, JSON otherwise), console, json")
	pf.BoolVar(&a.quiet, "quiet", false, "no progress and no logs below warn")
	a.addAllocatorFlag(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(a.runCmd(), a.ingestCmd(), a.validateCmd(), a.queryCmd(), a.figuresCmd(), a.schemaCmd())
	for _, extra := range a.extraCommands() {
		root.AddCommand(extra)
	}
	return root
}

// exitCode maps an error to the exit codes of the command-line contract.
func (a *app) exitCode(err error) int {
	var ee exitError
	var ue usageError
	switch {
	case err == nil:
		return pipeline.ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, context.Canceled):
		return pipeline.ExitInterrupted
	case errors.As(err, &ue), isCobraUsage(err):
		return pipeline.ExitUsage
	}
	return pipeline.ExitFailure
}

func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
