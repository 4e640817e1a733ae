package serve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// generation is one committed state of the warehouse: a locked DuckDB DB
// whose views list exactly that manifest's files. It is shared by the
// requests that acquired it and closed when it is no longer current and
// the last of them has released it.
type generation struct {
	db        *query.DB
	root      string // the warehouse directory it was opened from
	number    int64
	committed time.Time
	refs      int  // guarded by generations.mu
	retired   bool // guarded by generations.mu
}

// generations tracks the warehouse's current generation. acquire looks at
// the manifest file (one stat per request) and opens a new generation when
// it changed; requests already running keep theirs.
//
// With a view (an object-store warehouse, Options.View) the warehouse
// directory itself changes: each publish is a new local view. The view
// function is called once when the server starts, then at most once per
// poll interval, in the background (views.go): requests go on being served
// from the current view while a newer publish is fetched, and the first
// request after it is in place opens it as a new generation.
type generations struct {
	root  string // the warehouse directory; "" with a view
	reg   *schemas.Registry
	conns int
	views *viewPoller // nil for a local warehouse

	mu      sync.Mutex
	cur     *generation
	stamp   manifestStamp
	opening chan struct{} // closed when the open in progress ends; nil when none
}

// manifestStamp identifies one manifest file: the commit replaces it by a
// rename, which changes the inode and, in practice, the modification time.
// root tells views apart.
type manifestStamp struct {
	root string
	info os.FileInfo
}

func (a manifestStamp) same(b manifestStamp) bool {
	if a.root != b.root {
		return false
	}
	if a.info == nil || b.info == nil {
		return a.info == nil && b.info == nil
	}
	return os.SameFile(a.info, b.info) && a.info.ModTime().Equal(b.info.ModTime()) && a.info.Size() == b.info.Size()
}

func newGenerations(root string, reg *schemas.Registry, conns int, views *viewPoller) *generations {
	return &generations{root: root, reg: reg, conns: conns, views: views}
}

// dir is the warehouse directory to read now: the fixed root, or the
// newest view.
func (g *generations) dir(ctx context.Context) (string, error) {
	if g.views == nil {
		return g.root, nil
	}
	return g.views.current(ctx)
}

func (g *generations) statManifest(ctx context.Context) (manifestStamp, error) {
	root, err := g.dir(ctx)
	if err != nil {
		return manifestStamp{}, err
	}
	fi, err := os.Stat(filepath.Join(root, "_dtm", "manifest.json"))
	if errors.Is(err, os.ErrNotExist) {
		return manifestStamp{root: root}, nil
	}
	if err != nil {
		return manifestStamp{}, fmt.Errorf("warehouse manifest: %w", err)
	}
	return manifestStamp{root: root, info: fi}, nil
}

// acquire returns the current generation, opening it first if the manifest
// changed since the last one was opened. The caller must release it.
// While one request opens a new generation, the others keep being served
// the previous one (when there is one), unless fresh is set: then they
// wait for the new one (a request answered again because the previous
// generation's files were removed).
func (g *generations) acquire(ctx context.Context, fresh bool) (*generation, error) {
	for {
		st, err := g.statManifest(ctx)
		if err != nil {
			return nil, err
		}
		g.mu.Lock()
		if g.cur != nil && g.stamp.same(st) {
			gen := g.cur
			gen.refs++
			g.mu.Unlock()
			return gen, nil
		}
		if g.opening != nil { // another request is opening it
			wait := g.opening
			if g.cur != nil && !fresh {
				gen := g.cur
				gen.refs++
				g.mu.Unlock()
				return gen, nil
			}
			g.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done := make(chan struct{})
		g.opening = done
		g.mu.Unlock()

		gen, err := g.open(ctx, st.root)

		g.mu.Lock()
		g.opening = nil
		close(done)
		if err != nil {
			g.mu.Unlock()
			return nil, err
		}
		if g.cur != nil && g.cur.number == gen.number && g.cur.root == gen.root { // the manifest was touched, not changed
			gen.db.Close()
			g.stamp = st
			cur := g.cur
			cur.refs++
			g.mu.Unlock()
			return cur, nil
		}
		if old := g.cur; old != nil {
			old.retired = true
			if old.refs == 0 {
				old.db.Close()
			}
		}
		g.cur, g.stamp = gen, st
		gen.refs++
		g.mu.Unlock()
		return gen, nil
	}
}

// open opens the generation the manifest of root names now.
func (g *generations) open(ctx context.Context, root string) (*generation, error) {
	db, err := query.OpenLocked(ctx, root, g.reg, query.Lockdown{Conns: g.conns, Pin: true, Threads: 1})
	if err != nil {
		return nil, fmt.Errorf("opening the warehouse: %w", err)
	}
	m := db.Manifest()
	return &generation{db: db, root: root, number: m.Generation, committed: m.CommittedAt}, nil
}

// release gives back a generation acquired from g.
func (g *generations) release(gen *generation) {
	g.mu.Lock()
	defer g.mu.Unlock()
	gen.refs--
	if gen.retired && gen.refs == 0 {
		gen.db.Close()
	}
}

// newer reports whether the manifest now names a generation other than
// gen (a commit happened since gen was acquired).
func (g *generations) newer(gen *generation) bool {
	st, err := g.statManifest(context.Background())
	if err != nil {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.cur != gen || !g.stamp.same(st)
}

// current is the generation number last opened (-1 before any).
func (g *generations) current() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cur == nil {
		return -1
	}
	return g.cur.number
}

// close closes every generation and stops the view poller; requests
// still holding one must not use it afterwards (the server calls it after
// Shutdown).
func (g *generations) close() {
	if g.views != nil {
		g.views.stop()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cur != nil {
		g.cur.retired = true
		if g.cur.refs == 0 {
			g.cur.db.Close()
		}
		g.cur = nil
	}
}
