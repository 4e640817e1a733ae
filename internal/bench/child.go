package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// measurement is what one child process took.
type measurement struct {
	wall   time.Duration
	maxRSS int64         // bytes, getrusage ru_maxrss of the child
	cpu    time.Duration // user + system CPU time of the child
	exit   int
	stdout []byte
}

// runChild runs name with args, timing it from start to exit and reading
// its peak RSS from the kernel's rusage of the child. Exit codes listed in
// okExit are not errors.
func runChild(ctx context.Context, okExit []int, name string, args ...string) (measurement, error) {
	return runChildEnv(ctx, nil, okExit, name, args...)
}

// runChildEnv is runChild with env (KEY=VALUE) added to the inherited
// environment.
func runChildEnv(ctx context.Context, env []string, okExit []int, name string, args ...string) (measurement, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	if env != nil {
		cmd.Env = append(cmd.Environ(), env...)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	m := measurement{wall: time.Since(start), stdout: out.Bytes()}
	if cmd.ProcessState != nil {
		m.exit = cmd.ProcessState.ExitCode()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			m.maxRSS = ru.Maxrss * 1024 // KiB on Linux
			m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	if err != nil {
		for _, c := range okExit {
			if m.exit == c {
				return m, nil
			}
		}
		return m, fmt.Errorf("%s %s: %w: %s", filepath.Base(name), strings.Join(args, " "), err, lastLine(errb.String()))
	}
	return m, nil
}

// lastLine is the last non-empty line of a child's stderr (its error).
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
