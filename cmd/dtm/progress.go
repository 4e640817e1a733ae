package main

import (
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// progressBars shows, on a terminal, one live line per input being read:
// its name, a bar of the bytes read, bytes read of the total, rows, the
// byte and row rates and the time left (mpb draws and redraws the lines).
// It is installed only when stderr is a terminal and --quiet is not given:
// cron and pipes see none of it. Log lines written through Writer appear
// above the bars instead of breaking them.
type progressBars struct {
	p    *mpb.Progress
	mu   sync.Mutex
	bars map[string]*inputBar
	// barWidth is the width of the bar itself, between name and counts.
	barWidth int
}

// inputBar is the line of one input.
type inputBar struct {
	bar   *mpb.Bar
	rows  atomic.Int64
	start time.Time
}

// newProgressBars draws to w (a terminal) in lines as wide as the
// terminal (width when its size cannot be read; 0: mpb's default).
// forceTTY draws even when w is not a terminal (tests).
func newProgressBars(w io.Writer, width int, forceTTY bool) *progressBars {
	opts := []mpb.ContainerOption{mpb.WithOutput(w), mpb.WithRefreshRate(150 * time.Millisecond), mpb.WithAutoRefresh()}
	if width > 0 { // the line's width when the terminal's cannot be read
		opts = append(opts, mpb.WithWidth(width))
	}
	if forceTTY {
		opts = append(opts, mpb.ForceTTY())
	}
	return &progressBars{p: mpb.New(opts...), bars: map[string]*inputBar{}, barWidth: max(10, width/6)}
}

// Func is the pipeline's ProgressFunc: it may be called from several
// goroutines at once.
func (pb *progressBars) Func() pipeline.ProgressFunc {
	return func(p pipeline.Progress) {
		ib := pb.bar(p)
		ib.rows.Store(p.Rows)
		if p.Done {
			ib.bar.SetTotal(-1, true) // complete at what was read
			return
		}
		ib.bar.SetCurrent(p.Bytes)
	}
}

func (pb *progressBars) bar(p pipeline.Progress) *inputBar {
	pb.mu.Lock()
	defer pb.mu.Unlock()
	key := p.Source + "\x00" + p.File
	if ib, ok := pb.bars[key]; ok {
		return ib
	}
	ib := &inputBar{start: time.Now()}
	total := p.TotalBytes
	if total <= 0 {
		total = 1
	}
	name := filepath.Base(p.File)
	if len(name) > 32 {
		name = name[:29] + "..."
	}
	ib.bar = pb.p.AddBar(total, mpb.BarWidth(pb.barWidth),
		mpb.PrependDecorators(decor.Name(name, decor.WC{C: decor.DindentRight | decor.DextraSpace, W: 33})),
		mpb.AppendDecorators(
			decor.CountersKibiByte("% .1f / % .1f", decor.WCSyncSpace),
			decor.Any(func(decor.Statistics) string { return fmt.Sprintf("%d rows", ib.rows.Load()) }, decor.WCSyncSpace),
			decor.AverageSpeed(decor.SizeB1024(0), "% .1f", decor.WCSyncSpace),
			decor.Any(func(decor.Statistics) string {
				el := time.Since(ib.start).Seconds()
				if el <= 0 {
					return "0 rows/s"
				}
				return fmt.Sprintf("%.0f rows/s", float64(ib.rows.Load())/el)
			}, decor.WCSyncSpace),
			decor.OnComplete(decor.AverageETA(decor.ET_STYLE_GO, decor.WCSyncSpace), "done"),
		))
	pb.bars[key] = ib
	return ib
}

// Writer writes above the bars (for log lines while they are shown).
func (pb *progressBars) Writer() io.Writer { return pb.p }

// Wait ends the lines of inputs that never finished (failed, interrupted:
// they stay as they were) and waits until every line is drawn for the
// last time; call it before printing anything else.
func (pb *progressBars) Wait() {
	pb.mu.Lock()
	for _, ib := range pb.bars {
		if !ib.bar.Completed() {
			ib.bar.Abort(false)
		}
	}
	pb.mu.Unlock()
	pb.p.Wait()
}

// humanBytes renders a byte count with a binary unit.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
