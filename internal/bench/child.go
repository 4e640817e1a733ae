package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
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
	cmd := exec.CommandContext(ctx, name, args...)
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
		return m, fmt.Errorf("%s %v: %w\n%s", name, args, err, tail(errb.Bytes(), 2000))
	}
	return m, nil
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
