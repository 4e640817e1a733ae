package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/iom-dtm/dtm/sinks/lake"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/iom-dtm/dtm/internal/config"
	"github.com/iom-dtm/dtm/internal/gazetteer"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
)

type runOptions struct {
	dryRun bool
	// fullRefresh re-ingests every input; refresh the inputs of the named
	// job sources (dtm run --full-refresh, --source NAME).
	fullRefresh bool
	refresh     []string
	json        bool
	showFigures bool
}

// newRunID returns a sortable, path-safe run id: UTC time and 4 random bytes.
func newRunID() string {
	var b [4]byte
	rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// runPipeline runs inputs into the warehouse and reports the result.
func (a *app) runPipeline(cmd *cobra.Command, job *config.Job, inputs []pipeline.Input, opts runOptions) error {
	// The threads and the pseudonym key: the job's, unless the
	// environment says otherwise (config.Resolve).
	set := a.settings
	if job != nil {
		s, err := a.resolve(cmd, job)
		if err != nil {
			return err
		}
		set = s
	}
	cfg := pipeline.Config{
		Warehouse: a.warehouse, Registry: a.registry, Logger: a.log, RunID: newRunID(),
		Command: cmd.CommandPath(), Version: version, DryRun: opts.dryRun,
		Hook: crashHook(a.env), Concurrency: set.Threads, FullRefresh: opts.fullRefresh,
		PseudonymKey: set.PseudonymKey, FileRows: set.FileRows,
	}
	alloc, checkAlloc, err := a.runAllocator()
	if err != nil {
		return err
	}
	cfg.Allocator = alloc
	if len(opts.refresh) > 0 {
		cfg.RefreshSources = map[string]bool{}
		for _, n := range opts.refresh {
			cfg.RefreshSources[n] = true
		}
	}
	if job != nil {
		cfg.MaxRejectRatio = job.Quality.MaxRejectRatio
		cfg.Limits = job.Limits.Ingest()
		prune := map[string]bool{}
		for _, s := range job.Sources {
			if s.Prune {
				prune[s.Name] = true
			}
		}
		cfg.PruneSources = prune
		if job.Gazetteer != "" {
			gz, err := gazetteer.Load(job.Resolve(job.Gazetteer))
			if err != nil {
				return usageError{err}
			}
			cfg.Gazetteer = gz
		}
	}
	if cfg.PseudonymKey == "" {
		for _, in := range inputs {
			if in.Kind == "flow_survey" {
				a.log.Warn(set.PseudonymKeyEnv + " is not set: respondent ids are dropped instead of pseudonymised")
				break
			}
		}
	}
	// On a terminal (and without --quiet): one live line per input, and
	// the run's logs below warn hidden while the lines are shown (warnings
	// and errors are written above them).
	var bars *progressBars
	if width := terminalWidth(a.stderr); !a.quiet && width > 0 {
		bars = newProgressBars(a.stderr, width, false)
		cfg.Progress = bars.Func()
		format := a.logFormat
		if format == "auto" || format == "" {
			format = "console"
		}
		if l, err := newLogger("warn", format, true, bars.Writer()); err == nil {
			cfg.Logger = l
		}
	}
	// A run into s3:// works in a local working warehouse copied from the
	// location's last complete publish, then publishes it (sinks/lake.Stage).
	var stage *lake.Stage
	if lake.IsObjectStore(a.warehouse) {
		s, err := lake.OpenStage(cmd.Context(), lake.StageOptions{Location: a.warehouse, Catalog: a.catalog,
			Env: lake.EnvFrom(a.env.Get), Registry: a.registry, Log: a.log, DryRun: opts.dryRun, Hook: lakeHook(cfg.Hook)})
		if err != nil {
			code := pipeline.ExitFailure
			if errors.Is(err, lake.ErrConflict) {
				code = pipeline.ExitConflict
			}
			if bars != nil {
				bars.Wait()
			}
			return exitError{code: code, err: fmt.Errorf("preparing the run into %s: %w", a.warehouse, err)}
		}
		defer s.Close()
		stage = s
		cfg.Warehouse, cfg.Location = s.Root, a.warehouse
	} else if !opts.dryRun { // a dry run writes nothing, not even the directory
		if err := os.MkdirAll(a.warehouse, 0o755); err != nil {
			return fmt.Errorf("creating warehouse %s: %w", a.warehouse, err)
		}
	}
	res, err := pipeline.Run(cmd.Context(), cfg, inputs)
	if aerr := checkAlloc(); aerr != nil && err == nil {
		err = aerr
	}
	if stage != nil && !opts.dryRun && !errors.Is(err, sinks.ErrLocked) && cmd.Context().Err() == nil {
		err = a.publishStage(cmd, stage, res, err)
	}
	if bars != nil {
		bars.Wait()
	}
	if opts.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(res); jerr != nil && err == nil {
			err = fmt.Errorf("printing the run results: %w", jerr)
		}
	} else if !errors.Is(err, sinks.ErrLocked) && !(a.quiet && res.ExitCode == pipeline.ExitOK) {
		// --quiet and success: nothing at all (cron mails only on trouble).
		printRunSummary(a.stdout, res)
	}
	fields := []zap.Field{zap.String("run_id", res.RunID), zap.String("stage", "run"), zap.String("status", res.Status),
		zap.Int64("rows_in", res.RowsIn), zap.Int64("rows_out", res.RowsWritten), zap.Int64("rows_rejected", res.RowsRejected),
		zap.Duration("duration", res.EndedAt.Sub(res.StartedAt))}
	if res.ExitCode == pipeline.ExitOK {
		a.log.Info("run finished", fields...)
	} else {
		a.log.Warn("run finished", fields...)
	}
	if err != nil {
		return exitError{code: res.ExitCode, err: err}
	}
	if opts.showFigures && !opts.json && !opts.dryRun && !a.quiet {
		if ferr := a.printHeadline(cmd); ferr != nil {
			return ferr
		}
	}
	if res.ExitCode != 0 {
		return exitError{code: res.ExitCode, err: fmt.Errorf("run %s: %s (exit %s)", res.RunID, res.Status, strconv.Itoa(res.ExitCode))}
	}
	return nil
}

// publishStage publishes a run's working warehouse to its s3:// location
// and folds the outcome into the run results: a publish that fails leaves
// nothing of the run on the object store (lake.Publish rolls its own
// snapshots back), so the run is then "failed" (exit 1), or "conflict"
// (exit 4) when another run published first. runErr is the run's own
// error, returned unless the publish fails.
func (a *app) publishStage(cmd *cobra.Command, stage *lake.Stage, res *pipeline.RunResult, runErr error) error {
	pub, err := stage.Publish(cmd.Context())
	if err == nil {
		if pub != nil {
			res.PublishID = pub.PublishID
			a.log.Info("run published", zap.String("run_id", res.RunID), zap.String("publish_id", pub.PublishID),
				zap.String("location", stage.Location), zap.Int("objects_deleted", pub.Deleted))
		}
		return runErr
	}
	res.Committed = false
	res.ExitCode, res.Status = pipeline.ExitFailure, pipeline.RunFailed
	if errors.Is(err, lake.ErrConflict) {
		res.ExitCode, res.Status = pipeline.ExitConflict, pipeline.RunConflict
	}
	err = fmt.Errorf("run %s was not published to %s: %w", res.RunID, stage.Location, err)
	res.Error = err.Error()
	if runErr != nil {
		return errors.Join(runErr, err)
	}
	return err
}

// lakeHook passes the publish steps of a run into s3:// to the crash
// hook, as "lake:<step>" (lake.PublishOptions.Hook).
func lakeHook(h func(string)) func(string) error {
	if h == nil {
		return nil
	}
	return func(p string) error {
		h("lake:" + p)
		return nil
	}
}

// crashHook sends the process a signal at the point named by DTM_CRASH_AT
// in env
// (used by the crash-safety tests; unset in normal use): SIGKILL, or the
// signal named by DTM_CRASH_SIGNAL (TERM or INT, after which the run goes
// on and must notice the signal by itself; STOP, which pauses it). The points are listed by
// `crashPoints` in ops_test.go; DTM_CRASH_LOG, when set, names a file to
// which every point passed is appended (tests use it to enumerate them).
func crashHook(env config.Env) func(string) {
	at, logPath := env.Get(config.EnvCrashAt), env.Get(config.EnvCrashLog)
	if at == "" && logPath == "" {
		return nil
	}
	sig := os.Signal(os.Kill)
	switch env.Get(config.EnvCrashSignal) {
	case "TERM":
		sig = syscall.SIGTERM
	case "INT":
		sig = os.Interrupt
	case "STOP": // the process stops, holding what it holds, until SIGCONT
		sig = syscall.SIGSTOP
	}
	var mu sync.Mutex
	return func(point string) {
		if logPath != "" {
			mu.Lock()
			if f, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err == nil {
				fmt.Fprintln(f, point)
				f.Close()
			}
			mu.Unlock()
		}
		if point != at {
			return
		}
		p, _ := os.FindProcess(os.Getpid())
		p.Signal(sig)
		if sig == os.Kill {
			time.Sleep(time.Minute)
		}
		time.Sleep(300 * time.Millisecond) // let the signal reach the context
	}
}
