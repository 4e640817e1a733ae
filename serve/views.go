package serve

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"
)

// ViewFunc returns the local, read-only warehouse directory that holds the
// current committed state of a warehouse that is not a local directory:
// for an s3:// warehouse, the view of its last complete publish
// (lake.Materialize, which pins head.json's snapshots and fetches the
// files into a local cache). A call must be cheap when nothing was
// published since the last (one small read, the same directory again), and
// a directory it returned must stay whole while it is served. The first
// call gets New's context; later ones a context of the server's own
// (cancelled by Close or the end of Serve), never a request's.
type ViewFunc func(ctx context.Context) (string, error)

// viewPoller keeps the newest view of a ViewFunc: it is taken once,
// synchronously, by the first caller, then refreshed in the background at
// most once per interval, when a request asks for the current directory
// (an idle server does not poll). A failed refresh is logged and the
// previous view stays served; the next request after another interval
// tries again.
type viewPoller struct {
	fn       ViewFunc
	interval time.Duration
	timeout  time.Duration // bound of one refresh
	log      *zap.Logger
	ctx      context.Context // cancelled by stop
	cancel   context.CancelFunc

	mu         sync.Mutex
	root       string    // the newest view; "" before the first
	checked    time.Time // when the last refresh started
	refreshing bool
	wg         sync.WaitGroup
}

func newViewPoller(fn ViewFunc, interval time.Duration, log *zap.Logger) *viewPoller {
	ctx, cancel := context.WithCancel(context.Background())
	return &viewPoller{fn: fn, interval: interval, timeout: 30 * time.Minute, log: log, ctx: ctx, cancel: cancel}
}

// current returns the newest view, taking the first one synchronously
// (bounded by ctx) and starting a background refresh when the interval
// has passed since the last.
func (p *viewPoller) current(ctx context.Context) (string, error) {
	p.mu.Lock()
	root := p.root
	if root == "" {
		p.mu.Unlock()
		return p.first(ctx)
	}
	if !p.refreshing && time.Since(p.checked) >= p.interval && p.ctx.Err() == nil {
		p.refreshing, p.checked = true, time.Now()
		p.wg.Add(1)
		go p.refresh()
	}
	p.mu.Unlock()
	return root, nil
}

func (p *viewPoller) first(ctx context.Context) (string, error) {
	root, err := p.fn(ctx)
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.root == "" {
		p.root, p.checked = root, time.Now()
	}
	return p.root, nil
}

func (p *viewPoller) refresh() {
	defer p.wg.Done()
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	start := time.Now()
	root, err := p.fn(ctx)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refreshing = false
	if err != nil {
		if p.ctx.Err() == nil {
			p.log.Warn("checking the warehouse for a newer publish failed; still serving the previous one", zap.Error(err))
		}
		return
	}
	if root != p.root {
		p.log.Info("newer publish in place; it is served from the next request on", zap.Duration("fetched_in", time.Since(start)))
		p.root = root
	}
}

// stop cancels a refresh in progress and waits for it.
func (p *viewPoller) stop() {
	p.cancel()
	p.wg.Wait()
}
