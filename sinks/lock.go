package sinks

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Lock takes the warehouse's exclusive writer lock (flock on _dtm/lock).
// It fails at once with ErrLocked if another process holds it; the kernel
// releases it if the holder dies, so a crash never leaves a stale lock.
func Lock(root string) (unlock func(), err error) {
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
		holder, _ := os.ReadFile(p)
		f.Close()
		if err == syscall.EWOULDBLOCK {
			return nil, fmt.Errorf("%w (%s; held by %s)", ErrLocked, root, string(holder))
		}
		return nil, fmt.Errorf("locking %s: %w", p, err)
	}
	f.Truncate(0)
	fmt.Fprintf(f, "pid %d", os.Getpid())
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
