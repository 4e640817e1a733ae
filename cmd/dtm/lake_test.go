package main

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// TestPublishAndReadObjectStoreWarehouse: the bundled sample run into a
// local warehouse, published to an in-process S3 server (gofakes3 on
// loopback) with a SQLite catalog, gives the same figures and query
// answers through --warehouse s3://… as locally; a second publish commits
// nothing; running the same inputs straight into s3:// re-ingests nothing.
func TestPublishAndReadObjectStoreWarehouse(t *testing.T) {
	env, wh := publishedSample(t)
	again := opsRun(t, env, "warehouse", "publish", "--warehouse", wh, "--to", "s3://lake/dtm", "--json", "--quiet")
	if again.code != 0 || strings.Contains(again.stdout, `"committed": true`) {
		t.Fatalf("second publish committed again: %d\n%s\n%s", again.code, again.stdout, again.stderr)
	}
	for _, args := range [][]string{
		{"figures", "idps", "--format", "csv"},
		{"figures", "sites", "--format", "csv"},
		{"query", "--format", "csv", "SELECT count(*), sum(idp_individuals) FROM site_assessment"},
		{"query", "--format", "csv", "SELECT code, count(*) FROM rejects GROUP BY ALL ORDER BY ALL"},
	} {
		local := opsRun(t, env, append(args, "--warehouse", wh, "--quiet")...)
		remote := opsRun(t, env, append(args, "--warehouse", "s3://lake/dtm", "--quiet")...)
		if local.code != 0 || remote.code != 0 || local.stdout != remote.stdout || len(local.stdout) < 20 {
			t.Errorf("%v: local %d %q, object store %d %q (%s)", args, local.code, local.stdout, remote.code, remote.stdout, remote.stderr)
		}
	}
	// Running the same inputs straight into the published location finds
	// them all unchanged: nothing is re-ingested, the figures stay.
	in := opsRun(t, env, "run", "--warehouse", "s3://lake/dtm", "--quiet", "--json")
	if in.code != 0 || !strings.Contains(in.stdout, `"committed": false`) {
		t.Fatalf("run into s3://: %d\n%s\n%s", in.code, in.stdout, in.stderr)
	}
	local := opsRun(t, env, "figures", "idps", "--format", "csv", "--warehouse", wh, "--quiet")
	remote := opsRun(t, env, "figures", "idps", "--format", "csv", "--warehouse", "s3://lake/dtm", "--quiet")
	if local.stdout != remote.stdout {
		t.Errorf("after a run into s3://, figures differ: local %q, object store %q", local.stdout, remote.stdout)
	}
}

// fakeS3 starts an in-process S3 server (gofakes3, in memory) on loopback
// with the bucket "lake", stopped when the test ends, and returns its URL.
func fakeS3(t *testing.T) string {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("lake"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	return srv.URL
}

// lakeEnv is the environment of a dtm child that uses the S3 server at
// url (path-style, fixed test credentials), the SQLite catalog at catalog
// and the cache directory cache.
func lakeEnv(url, catalog, cache string) []string {
	return []string{"AWS_ENDPOINT_URL=" + url, "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=k", "AWS_SECRET_ACCESS_KEY=s",
		"XDG_CACHE_HOME=" + cache, "DTM_CATALOG=sqlite:" + catalog}
}

// publishedSample runs the bundled sample into a local warehouse (wh) and
// publishes it to s3://lake/dtm on a fakeS3 server with a SQLite catalog;
// env is the dtm children's environment for that server.
func publishedSample(t *testing.T) (env []string, wh string) {
	t.Helper()
	url := fakeS3(t)
	dir := t.TempDir()
	wh = filepath.Join(dir, "wh")
	env = append(lakeEnv(url, filepath.Join(dir, "catalog.db"), filepath.Join(dir, "cache")), "HOME="+dir)
	if r := opsRun(t, env, "run", "--warehouse", wh, "--quiet"); r.code != 0 {
		t.Fatalf("dtm run: %d %s", r.code, r.stderr)
	}
	r := opsRun(t, env, "warehouse", "publish", "--warehouse", wh, "--to", "s3://lake/dtm", "--quiet")
	if r.code != 0 || !strings.Contains(r.stdout, "site_assessment") {
		t.Fatalf("publish: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	return env, wh
}
