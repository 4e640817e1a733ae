package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeObjectStoreWarehouse: `dtm serve --warehouse s3://…` (the
// binary, on a loopback port) over the bundled sample published to an
// in-process S3 server (gofakes3) with a SQLite catalog answers the
// figure endpoint with the bytes `dtm export` writes from the local
// warehouse, and stops with exit 0 on SIGTERM.
func TestServeObjectStoreWarehouse(t *testing.T) {
	env, wh := publishedSample(t)
	dir := t.TempDir()
	exported := map[string]string{}
	for _, f := range []string{"idps", "hapi-idps"} {
		out := filepath.Join(dir, f+".csv")
		if r := opsRun(t, env, "export", f, "--format", "csv", "--out", out, "--warehouse", wh, "--quiet"); r.code != 0 {
			t.Fatalf("export %s: %d %s", f, r.code, r.stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		exported[f] = string(b)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(opsBin, "serve", "--warehouse", "s3://lake/dtm", "--addr", addr, "--quiet")
	cmd.Env = append(opsEnv(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	client := &http.Client{Timeout: 30 * time.Second}
	get := func(path string) (int, string) {
		resp, err := client.Get("http://" + addr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if code, _ := get("/readyz"); code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("dtm serve over s3:// not ready after 60 s\n%s", errb.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for f, want := range exported {
		code, body := get("/api/v1/figures/" + f + "?format=csv")
		if code != http.StatusOK || body != want || len(want) < 20 {
			t.Errorf("figure %s over s3://: %d\n%s\nwant (dtm export from the local warehouse):\n%s", f, code, body, want)
		}
	}
	if code, body := get("/api/v1/runs"); code != http.StatusOK || !strings.Contains(body, `"run_id"`) {
		t.Errorf("/api/v1/runs over s3://: %d %s", code, body)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if r := opsOutcome(t, cmd, cmd.Wait(), &out, &errb); r.code != 0 {
		t.Fatalf("dtm serve exited %d after SIGTERM\n%s", r.code, r.stderr)
	}
}
