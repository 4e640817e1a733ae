package lake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// cache is the local, content-addressed file cache:
// <dir>/objects/<sha256[:2]>/<sha256>.parquet. An object is only ever
// installed whole and verified (download to a temporary name, check the
// SHA-256 and size, rename). Views hard-link the objects, so evicting an
// object does not break a view that uses it.
type cache struct {
	dir string
	max int64
}

func openCache(dir string, max int64) (*cache, error) {
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		dir = filepath.Join(base, "dtm", "lake")
	}
	if max <= 0 {
		max = DefaultMaxCacheBytes
	}
	if err := os.MkdirAll(filepath.Join(dir, "objects"), 0o755); err != nil {
		return nil, fmt.Errorf("cache %s: %w", dir, err)
	}
	return &cache{dir: dir, max: max}, nil
}

func (c *cache) path(sum string) string {
	return filepath.Join(c.dir, "objects", sum[:2], sum+".parquet")
}

// ensure returns the cached path of f, fetching it when absent.
func (c *cache) ensure(ctx context.Context, st *store, f ObjectFile) (string, bool, error) {
	if len(f.SHA256) != 64 {
		return "", false, fmt.Errorf("published file %s has no valid sha256", f.Key)
	}
	p := c.path(f.SHA256)
	if fi, err := os.Stat(p); err == nil && fi.Size() == f.Size {
		now := time.Now()
		_ = os.Chtimes(p, now, now) // recency for eviction
		return p, false, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", false, err
	}
	out, err := st.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: &st.loc.Bucket, Key: aws.String(st.loc.Key(f.Key))})
	if err != nil {
		return "", false, fmt.Errorf("fetching %s: %w", st.loc.URL(f.Key), err)
	}
	defer out.Body.Close()
	tmp, err := os.CreateTemp(filepath.Dir(p), ".fetch-*")
	if err != nil {
		return "", false, err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), out.Body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", false, fmt.Errorf("fetching %s: %w", st.loc.URL(f.Key), err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 || n != f.Size {
		return "", false, fmt.Errorf("fetched %s: %d bytes with sha256 %s, the publish says %d bytes, %s: the object changed after it was published", st.loc.URL(f.Key), n, got, f.Size, f.SHA256)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return "", false, err
	}
	return p, true, nil
}

// evict removes the least recently used objects not in keep until the
// objects take at most c.max bytes, and the views other than the newest
// two.
func (c *cache) evict(keep map[string]bool) error {
	type obj struct {
		path string
		size int64
		used time.Time
	}
	var objs []obj
	var total int64
	err := filepath.WalkDir(filepath.Join(c.dir, "objects"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		objs = append(objs, obj{p, fi.Size(), fi.ModTime()})
		total += fi.Size()
		return nil
	})
	if err != nil {
		return fmt.Errorf("cache %s: %w", c.dir, err)
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].used.Before(objs[j].used) })
	for _, o := range objs {
		if total <= c.max {
			break
		}
		sum := filepath.Base(o.path)
		if len(sum) > 64 && keep[sum[:64]] {
			continue
		}
		if os.Remove(o.path) == nil {
			total -= o.size
		}
	}
	views, _ := os.ReadDir(filepath.Join(c.dir, "views"))
	type view struct {
		path string
		t    time.Time
	}
	var vs []view
	for _, e := range views {
		if fi, err := e.Info(); err == nil && e.IsDir() {
			vs = append(vs, view{filepath.Join(c.dir, "views", e.Name()), fi.ModTime()})
		}
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].t.After(vs[j].t) })
	for i, v := range vs {
		if i >= 2 && time.Since(v.t) > time.Hour {
			_ = os.RemoveAll(v.path)
		}
	}
	return nil
}

// linkOrCopy hard-links src to dst, copying when links are not possible
// (another filesystem).
func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func shortHash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:12])
}
