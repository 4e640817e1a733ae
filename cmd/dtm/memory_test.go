package main

import (
	"bytes"
	"math"
	"runtime/debug"
	"testing"

	"github.com/iom-dtm/dtm/internal/config"
	"github.com/spf13/cobra"
)

func TestParseMemoryLimit(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "192MiB", want: 192 << 20},
		{in: "1GiB", want: 1 << 30},
		{in: "1.5GiB", want: 3 << 29},
		{in: "1.5g", want: 1.5e9},
		{in: "500MB", want: 500e6},
		{in: " 256 mib ", want: 256 << 20},
		{in: "268435456", want: 1 << 28},
		{in: "268435456B", want: 1 << 28},
		{in: "off", want: math.MaxInt64},
		{in: "OFF", want: math.MaxInt64},
		{in: "0", want: math.MaxInt64},
		{in: "99999999999999GiB", want: math.MaxInt64},
		{in: "", bad: true},
		{in: "lots", bad: true},
		{in: "-5MiB", bad: true},
		{in: "1MiB", bad: true},
		{in: "NaNMiB", bad: true},
		{in: "MiB", bad: true},
	}
	for _, tc := range cases {
		got, err := parseMemoryLimit(tc.in)
		if (err != nil) != tc.bad || (!tc.bad && got != tc.want) {
			t.Errorf("parseMemoryLimit(%q) = %d, %v; want %d (error %v)", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{192 << 20: "192 MiB", 1 << 30: "1.0 GiB", 2048: "2.0 KiB", 1000: "1000 B"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
	if v, err := parseMemoryLimit(formatBytes(defaultMemoryLimit)); err != nil || v != defaultMemoryLimit {
		t.Errorf("default does not round-trip: %d %v", v, err)
	}
}

// TestMemoryLimitFlag runs a command with the flag and environment
// variables and checks the limit the runtime ends up with.
func TestMemoryLimitFlag(t *testing.T) {
	orig := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(orig)
	const marker = 77 << 20 // a limit none of the cases sets
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want int64
		bad  bool
	}{
		{name: "default", want: defaultMemoryLimit},
		{name: "env", env: map[string]string{config.EnvMemoryLimit: "300MiB"}, want: 300 << 20},
		{name: "flag wins over env", env: map[string]string{config.EnvMemoryLimit: "300MiB"}, args: []string{"--memory-limit", "1GiB"}, want: 1 << 30},
		{name: "GOMEMLIMIT kept", env: map[string]string{"GOMEMLIMIT": "100MiB"}, want: marker},
		{name: "DTM_MEMORY_LIMIT over GOMEMLIMIT", env: map[string]string{"GOMEMLIMIT": "100MiB", config.EnvMemoryLimit: "off"}, want: math.MaxInt64},
		{name: "off", args: []string{"--memory-limit=off"}, want: math.MaxInt64},
		{name: "bad", args: []string{"--memory-limit=lots"}, bad: true, want: marker},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetMemoryLimit(marker)
			ran := false
			root := &cobra.Command{Use: "dtm", SilenceErrors: true, SilenceUsage: true,
				PersistentPreRunE: func(*cobra.Command, []string) error { ran = true; return nil }}
			root.AddCommand(&cobra.Command{Use: "noop", RunE: func(*cobra.Command, []string) error { return nil }})
			root.SetOut(&bytes.Buffer{})
			addMemoryLimit(root, config.Env(tc.env))
			root.SetArgs(append([]string{"noop"}, tc.args...))
			err := root.Execute()
			if (err != nil) != tc.bad {
				t.Fatalf("error %v", err)
			}
			if tc.bad {
				var ue usageError
				if !asUsage(err, &ue) {
					t.Errorf("%v is not a usage error", err)
				}
			} else if !ran {
				t.Error("the root's own PersistentPreRunE did not run")
			}
			if got := debug.SetMemoryLimit(-1); got != tc.want {
				t.Errorf("limit %d, want %d", got, tc.want)
			}
		})
	}
}

func asUsage(err error, ue *usageError) bool {
	u, ok := err.(usageError)
	*ue = u
	return ok
}
