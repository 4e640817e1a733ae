// Package testpg starts a throwaway PostgreSQL server for tests: a new
// cluster (initdb) in a temporary directory, listening on 127.0.0.1 on a
// free port, trust authentication, fsync off, stopped and removed when the
// test ends. It uses the server binaries of Debian's postgresql package
// (scripts/ensure-postgresql.sh installs it for `make test`).
//
// Binaries are looked up in $DTM_PG_BIN, then on PATH, then in the newest
// /usr/lib/postgresql/*/bin. PostgreSQL refuses to run as root, so a root
// test runs initdb and the server as the "postgres" user (the package's),
// else "nobody", through runuser. When no binaries are found the test is
// skipped with the reason, or fails when DTM_REQUIRE_POSTGRESQL=1 (CI).
package testpg

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/internal/config"
)

// User is the superuser of the test cluster; Database its database.
const (
	User     = "dtm"
	Database = "postgres"
)

// Server is a running test cluster.
type Server struct {
	// URI is the libpq URI of Database as User (no password; sslmode=disable).
	URI  string
	Port int
}

// Start starts a cluster for t and stops it in t.Cleanup. It takes about
// 1-2 s (initdb with --no-sync, then the server).
func Start(t testing.TB) *Server {
	t.Helper()
	env := config.OSEnv()
	bin, reason := binDir(env)
	if bin == "" {
		if env.Get("DTM_REQUIRE_POSTGRESQL") == "1" {
			t.Fatalf("PostgreSQL is required (DTM_REQUIRE_POSTGRESQL=1) but %s", reason)
		}
		t.Skipf("no PostgreSQL server here: %s (scripts/ensure-postgresql.sh installs Debian's postgresql; or set DTM_PG_BIN)", reason)
	}
	runAs, uid, gid, err := runUser()
	if err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	// Not t.TempDir: its parents are private to this user, and the server
	// may run as another.
	root, err := os.MkdirTemp("", "dtm-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	data := filepath.Join(root, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if runAs != "" {
		for _, d := range []string{root, data} {
			if err := os.Chown(d, uid, gid); err != nil {
				t.Fatalf("PostgreSQL: chown %s to %s: %v", d, runAs, err)
			}
		}
	}
	run := func(timeout time.Duration, name string, args ...string) error {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		path := filepath.Join(bin, name)
		var cmd *exec.Cmd
		if runAs != "" {
			cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", runAs, "--", path}, args...)...)
		} else {
			cmd = exec.CommandContext(ctx, path, args...)
		}
		cmd.Dir = root
		cmd.Env = append(cmd.Environ(), "LC_ALL=C", "TZ=UTC")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s %v: %w\n%s", name, args, err, lastBytes(out.Bytes(), 2000))
		}
		return nil
	}
	if err := run(time.Minute, "initdb", "-D", data, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	opts := fmt.Sprintf("-h 127.0.0.1 -p %d -k %s -F -c max_connections=40 -c shared_buffers=16MB", port, root)
	logf := filepath.Join(root, "server.log")
	if err := run(time.Minute, "pg_ctl", "-D", data, "-o", opts, "-l", logf, "-w", "-t", "50", "start"); err != nil {
		b, _ := os.ReadFile(logf)
		t.Fatalf("PostgreSQL: %v\nserver log:\n%s", err, lastBytes(b, 2000))
	}
	t.Cleanup(func() {
		if err := run(time.Minute, "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"); err != nil {
			t.Errorf("stopping PostgreSQL: %v", err)
		}
	})
	return &Server{URI: fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", User, port, Database), Port: port}
}

// binDir is the directory holding initdb and pg_ctl, or "" and why not.
func binDir(env config.Env) (string, string) {
	if d := env.Get("DTM_PG_BIN"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err != nil {
			return "", fmt.Sprintf("DTM_PG_BIN=%s has no initdb", d)
		}
		return d, ""
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "pg_ctl")); err == nil {
			return filepath.Dir(p), ""
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, ""
		}
	}
	return "", "initdb is neither on PATH nor in /usr/lib/postgresql/*/bin"
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// runUser is the user to run PostgreSQL as: "" (this process's) unless it
// is root.
func runUser() (name string, uid, gid int, err error) {
	if os.Geteuid() != 0 {
		return "", 0, 0, nil
	}
	if _, err := exec.LookPath("runuser"); err != nil {
		return "", 0, 0, fmt.Errorf("running as root and no runuser to start the server as another user")
	}
	for _, n := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(n)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return n, uid, gid, nil
	}
	return "", 0, 0, fmt.Errorf("running as root and neither a postgres nor a nobody user to run the server as")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastBytes(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
