package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestReleaseImagePages: the executable's read-only pages leave the
// resident set (this test binary is linked like dtm, DuckDB included), and
// the code keeps running (its pages come back from the page cache).
func TestReleaseImagePages(t *testing.T) {
	before := rssFileKB(t)
	n, err := releaseImagePages()
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Skip("not a non-PIE executable: nothing advised")
	}
	after := rssFileKB(t)
	if after >= before {
		t.Fatalf("RssFile %d kB before, %d kB after releasing %d bytes", before, after, n)
	}
	if _, err := parseMemoryLimit("192MiB"); err != nil { // code and data read back
		t.Fatal(err)
	}
	t.Logf("RssFile %d -> %d kB", before, after)
}

// rssFileKB is the process's resident file-backed memory, in kB.
func rssFileKB(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "RssFile:" {
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Skip("no RssFile in /proc/self/status")
	return 0
}
