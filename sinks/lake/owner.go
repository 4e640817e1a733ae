package lake

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Owner names the process that runs a publish, so that recovery can tell
// a publish whose process died (its partial snapshots are to be finished
// or rolled back) from one still running (left alone: the catalog's
// compare-and-swap and head.json's conditional put decide between them).
type Owner struct {
	Host string `json:"host"`
	PID  int    `json:"pid"`
	// Start is the process's start time in clock ticks since boot
	// (/proc/PID/stat field 22 on Linux; "" elsewhere): with PID it names
	// the process even after its PID is reused.
	Start string `json:"start,omitempty"`
}

// DefaultStaleAfter is how long a publish started on another host is
// presumed running: its commit phase (the journal to head.json, after
// the uploads) takes seconds to minutes.
const DefaultStaleAfter = time.Hour

func currentOwner() Owner {
	host, _ := os.Hostname()
	return Owner{Host: host, PID: os.Getpid(), Start: procStart(os.Getpid())}
}

// procStart reads a process's start time from /proc ("" when it cannot).
func procStart(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	// The command name (field 2) is in parentheses and may hold spaces:
	// the fields after it start after the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return ""
	}
	return f[19] // field 22 overall: starttime
}

// running tells whether the owner of a publish started at startedAt may
// still be running, as seen from the process self at time now:
//   - this very process: no (one process runs one publish at a time, so a
//     publish of its own that is still "started" was stopped);
//   - another process on this host: whether that PID is alive with the
//     same start time;
//   - another host: whether the publish started less than staleAfter ago.
func (o Owner) running(self Owner, startedAt, now time.Time, staleAfter time.Duration) bool {
	if o.Host == self.Host && o.Host != "" {
		if o.PID == self.PID && o.Start == self.Start {
			return false
		}
		if o.PID <= 0 {
			return false
		}
		if err := syscall.Kill(o.PID, 0); err != nil && err != syscall.EPERM {
			return false
		}
		if o.Start != "" {
			if s := procStart(o.PID); s != "" && s != o.Start {
				return false // the PID was reused
			}
		}
		return true
	}
	if staleAfter <= 0 {
		staleAfter = DefaultStaleAfter
	}
	return now.Sub(startedAt) < staleAfter
}
