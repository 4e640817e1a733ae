package lake_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks/lake"
)

// versitygwVersion is the S3 gateway the end-to-end test runs (built from
// the Go module proxy).
const versitygwVersion = "v1.8.0"

// versitygwBinary finds versitygw: $DTM_VERSITYGW, then versitygw on PATH,
// then a build cached under the user cache directory; failing those (and
// not in -short mode) it builds it there with `go install`, once.
func versitygwBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("DTM_VERSITYGW"); p != "" {
		return p
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "dtm", "test-bin", "versitygw-"+versitygwVersion)
	bin := filepath.Join(dir, "versitygw")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if testing.Short() {
		t.Skipf("versitygw is not built (%s) and -short skips building it; set DTM_VERSITYGW or run without -short", bin)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "install", "github.com/versity/versitygw/cmd/versitygw@"+versitygwVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+dir)
	cmd.Dir = os.TempDir() // outside this module: versitygw resolves its own dependencies
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build versitygw %s from the module proxy (%v): %s", versitygwVersion, err, lastLines(out, 5))
	}
	return bin
}

func lastLines(b []byte, n int) string {
	lines := 0
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '\n' {
			lines++
			if lines > n {
				return string(b[i+1:])
			}
		}
	}
	return string(b)
}

// startVersitygw runs versitygw (posix backend over a temporary directory,
// bucket "lake") on 127.0.0.1 and stops it at the end of the test.
func startVersitygw(t *testing.T) lake.S3Env {
	t.Helper()
	bin := versitygwBinary(t)
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "lake"), 0o755); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "--port", addr, "--access", "dtm-e2e", "--secret", "dtm-e2e-secret", "posix", root)
	logf, err := os.Create(filepath.Join(t.TempDir(), "versitygw.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start versitygw: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logf.Close()
	})
	url := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logf.Name())
			t.Fatalf("versitygw did not listen on %s: %v\n%s", addr, err, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return lake.S3Env{Endpoint: url, Region: "us-east-1", AccessKey: "dtm-e2e", SecretKey: "dtm-e2e-secret"}
}

// TestEndToEndVersitygw: publish, read, correct and re-publish against a
// real S3 server (versitygw, posix backend) on loopback (the replaced
// object deleted), a publish stopped after a table commit and rolled back
// by the next one, and the server's conditional puts: head.json cannot be
// replaced over a stale version.
func TestEndToEndVersitygw(t *testing.T) {
	ctx := context.Background()
	env := startVersitygw(t)
	dir := t.TempDir()
	root := filepath.Join(dir, "wh")
	catURI := "sqlite:" + filepath.Join(dir, "catalog.db")
	opts := lake.PublishOptions{Root: root, To: "s3://lake/e2e", Catalog: catURI, Env: env, Registry: schemas.Default()}
	ropts := lake.ReadOptions{Location: "s3://lake/e2e", Catalog: catURI, Env: env, Registry: schemas.Default(), CacheDir: filepath.Join(dir, "cache")}

	ingest(t, root, "20260101T000000Z-aaaa", sampleInputs(t, nil))
	if _, err := lake.Publish(ctx, opts); err != nil {
		t.Fatal(err)
	}
	v, err := lake.Materialize(ctx, ropts)
	if err != nil {
		t.Fatal(err)
	}
	if want, got := figureRows(t, root), figureRows(t, v.Root); !reflect.DeepEqual(want, got) {
		t.Fatalf("figures differ:\nlocal  %v\nobject %v", want, got)
	}

	ingest(t, root, "20260102T000000Z-bbbb", sampleInputs(t, func(name string, b []byte) []byte {
		if name == "ssd_site_assessment_r37.csv" {
			return append(append([]byte{}, b...), b[len(b)-1])
		}
		return b
	}))
	res, err := lake.Publish(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range res.Tables {
		if tp.Table == "site_assessment" && (tp.Removed != 1 || tp.Added != 1) {
			t.Fatalf("corrected source: %+v, want its one file replaced", tp)
		}
	}
	v, err = lake.Materialize(ctx, ropts)
	if err != nil {
		t.Fatal(err)
	}
	if want, got := figureRows(t, root), figureRows(t, v.Root); !reflect.DeepEqual(want, got) {
		t.Fatalf("figures differ after the correction:\nlocal  %v\nobject %v", want, got)
	}
	removed := 0
	for _, tp := range res.Tables {
		removed += tp.Removed
	}
	if res.Deleted != removed || removed < 1 {
		t.Errorf("the correction deleted %d objects, want the %d files its tables dropped", res.Deleted, removed)
	}

	// A publish stopped after a table commit, then recovered (rolled back)
	// by the next publish, on this server too.
	second := figureRows(t, root)
	ingest(t, root, "20260103T000000Z-cccc", sampleInputs(t, func(name string, b []byte) []byte {
		if name == "ssd_site_assessment_r38.csv" {
			return []byte("not,a\n")
		}
		return b
	}))
	stopped := opts
	stopped.Hook = func(p string) error {
		if p == "committed:site_assessment" {
			return errCrash
		}
		return nil
	}
	if _, err := lake.Publish(ctx, stopped); !errors.Is(err, errCrash) {
		t.Fatalf("stopped publish: %v", err)
	}
	if v, err = lake.Materialize(ctx, ropts); err != nil {
		t.Fatal(err)
	}
	if got := figureRows(t, v.Root); !reflect.DeepEqual(second, got) {
		t.Fatalf("readers after the stopped publish:\n got %v\nwant %v", got, second)
	}
	if res, err = lake.Publish(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if len(res.Recovered) != 1 || res.Recovered[0].Action != "rolled-back" {
		t.Fatalf("recovery: %+v", res.Recovered)
	}
	if v, err = lake.Materialize(ctx, ropts); err != nil {
		t.Fatal(err)
	}
	if want, got := figureRows(t, root), figureRows(t, v.Root); !reflect.DeepEqual(want, got) {
		t.Fatalf("figures differ after the recovery:\nlocal  %v\nobject %v", want, got)
	}

	// Conditional puts: creating an existing object, or replacing one
	// over a stale version, is refused by the server.
	err = lake.PutForTest(ctx, env, "s3://lake/e2e", "_dtm/head.json", []byte("{}"), true, "")
	if !errors.Is(err, lake.ErrPreconditionFailed) {
		t.Errorf("If-None-Match over an existing head.json: %v, want a precondition failure", err)
	}
	err = lake.PutForTest(ctx, env, "s3://lake/e2e", "_dtm/head.json", []byte("{}"), false, fmt.Sprintf("%q", "0123456789abcdef0123456789abcdef"))
	if !errors.Is(err, lake.ErrPreconditionFailed) {
		t.Errorf("If-Match with a stale ETag: %v, want a precondition failure", err)
	}
}
