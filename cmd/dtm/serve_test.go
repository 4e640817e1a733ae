package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/serve"
)

// TestServeHAPIEqualsExport ingests the saved DTM API responses with the
// CLI, exports hapi-idps with the CLI, and checks that dtm serve's HAPI
// endpoint answers the same bytes (CSV) on a real loopback server, and the
// figure endpoint the same bytes as the export in every shared format.
func TestServeHAPIEqualsExport(t *testing.T) {
	wh := t.TempDir()
	dir := filepath.Join("..", "..", "testdata", "hapi")
	_, errs, code := cli(t, wh, "ingest", "--kind", "displacement_admin",
		filepath.Join(dir, "som_admin1.json"), filepath.Join(dir, "som_admin2.json"), filepath.Join(dir, "som_admin1_republished.json"))
	if code != 0 {
		t.Fatalf("ingest exit %d: %s", code, errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := serve.New(ctx, serve.Options{Warehouse: wh})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	get := func(path string) string {
		t.Helper()
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Get("http://" + ln.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	for _, f := range []string{"csv", "hxl", "json", "jsonl"} {
		out := filepath.Join(t.TempDir(), "hapi."+f)
		if _, errs, code := cli(t, wh, "export", "hapi-idps", "--format", f, "--out", out); code != 0 {
			t.Fatalf("export %s: exit %d: %s", f, code, errs)
		}
		want, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := get("/api/v1/figures/hapi-idps?format=" + f); got != string(want) {
			t.Errorf("figure endpoint %s differs from dtm export:\ngot:\n%s\nwant:\n%s", f, got, want)
		}
		switch f {
		case "csv":
			if got := get("/api/v1/affected-people/idps?output_format=csv"); got != string(want) {
				t.Errorf("HAPI endpoint CSV differs from dtm export hapi-idps:\ngot:\n%s\nwant:\n%s", got, want)
			}
		case "json":
			if got := get("/api/v1/affected-people/idps"); got != `{"data":`+string(want)+"}\n" {
				t.Errorf("HAPI endpoint JSON is not {\"data\": export}:\n%s", got)
			}
		}
	}
}

// TestQueryLockedByDefault checks that dtm query reads the warehouse views
// but no other file unless --allow-files is given.
func TestQueryLockedByDefault(t *testing.T) {
	wh := exportWarehouse(t)
	outside := filepath.Join(t.TempDir(), "other.csv")
	if err := os.WriteFile(outside, []byte("a\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stmt := "SELECT count(*) AS n FROM read_csv('" + outside + "')"
	if out, errs, code := cli(t, wh, "query", "SELECT count(*) AS n FROM site_assessment"); code != 0 || !strings.Contains(out, "9") {
		t.Fatalf("query of a view: exit %d, %s %s", code, out, errs)
	}
	_, errs, code := cli(t, wh, "query", stmt)
	if code != 2 || !strings.Contains(errs, "Permission Error") {
		t.Errorf("locked query of another file: exit %d, %s", code, errs)
	}
	if _, _, code := cli(t, wh, "query", "SET enable_external_access = true"); code == 0 {
		t.Error("dtm query lifted the lock with SET")
	}
	if out, errs, code := cli(t, wh, "query", "--allow-files", "--format", "csv", stmt); code != 0 || !strings.Contains(out, "1") {
		t.Errorf("--allow-files: exit %d, %s %s", code, out, errs)
	}
	pq := filepath.Join(t.TempDir(), "sites.parquet")
	if _, errs, code := cli(t, wh, "query", "--format", "parquet", "--out", pq, "SELECT * FROM site_assessment"); code != 0 {
		t.Errorf("locked query to --out parquet: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(pq); err != nil {
		t.Errorf("parquet output: %v", err)
	}
}

// TestServeReport checks that dtm serve serves dtm report's HTML at / and
// /report/{iso3} through the hook runServe wires.
func TestServeReport(t *testing.T) {
	wh := exportWarehouse(t)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := serve.New(ctx, serve.Options{Warehouse: wh, Report: reportHook(5)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() {
		cancel()
		<-done
	}()
	for _, p := range []string{"/", "/report/SSD", "/report/nga"} {
		resp, err := (&http.Client{Timeout: 60 * time.Second}).Get("http://" + ln.Addr().String() + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(strings.ToLower(string(b)), "<html") {
			t.Errorf("%s: %d %s (%d bytes)", p, resp.StatusCode, resp.Header.Get("Content-Type"), len(b))
		}
	}
}
