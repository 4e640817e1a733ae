package sinks

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Lock takes the warehouse's exclusive writer lock (flock on _dtm/lock).
// It fails at once with ErrLocked if another process holds it; the kernel
// releases it if the holder dies, so a crash never leaves a stale lock.
func Lock(root string) (unlock func(), err error) { return LockAs(root, "") }

// LockAs is Lock recording who holds the lock (for example "run <id>") in
// the lock file, beside the process id and the time, so that a second
// writer's error names the holder.
func LockAs(root, holder string) (unlock func(), err error) {
	dir := filepath.Join(root, metaDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	p := filepath.Join(dir, "lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening lock %s: %w", p, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if err == syscall.EWOULDBLOCK {
			who, _ := os.ReadFile(p)
			desc := strings.TrimSpace(string(who))
			if desc == "" {
				desc = "a process that has not yet written its name"
			}
			return nil, fmt.Errorf("%w: %s is held by %s; wait for it to finish (the lock is released when that process exits)",
				ErrLocked, root, desc)
		}
		return nil, fmt.Errorf("locking %s: %w", p, err)
	}
	desc := fmt.Sprintf("pid %d", os.Getpid())
	if host, err := os.Hostname(); err == nil {
		desc += " on " + host
	}
	if holder != "" {
		desc += ", " + holder
	}
	desc += ", since " + time.Now().UTC().Format(time.RFC3339)
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(desc+"\n"), 0)
	}
	return func() {
		f.Truncate(0) // the lock file names no holder once released
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
