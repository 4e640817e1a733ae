package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/iom-dtm/dtm/internal/bufpool"
)

// addAllocatorFlag adds the hidden developer's flag --allocator (issue 15)
// choosing the allocator of the Arrow buffers of an ingest:
//
//   - pool (the default): a recycling pool (bufpool), one per run, as the
//     pipeline makes by default; its counters are logged at debug level;
//   - go: Go's allocator, nothing recycled (the shape before bufpool);
//   - poison: a poisoning bufpool that never reuses memory and finds
//     buffers used after Free or freed twice; the command fails if any.
func (a *app) addAllocatorFlag(root *cobra.Command) {
	root.PersistentFlags().StringVar(&a.allocator, "allocator", "pool", "allocator of the Arrow buffers: pool, go, poison")
	_ = root.PersistentFlags().MarkHidden("allocator")
}

// runAllocator is the Config.Allocator --allocator asks for (nil: the
// pipeline's default pool) and the check to make once the run is done.
func (a *app) runAllocator() (memory.Allocator, func() error, error) {
	none := func() error { return nil }
	kind, idle, _ := strings.Cut(a.allocator, ":")
	switch kind {
	case "pool", "":
		// The pipeline's default, made here to log its counters;
		// pool:N keeps at most N MiB idle.
		mib, _ := strconv.Atoi(idle)
		p := bufpool.New(bufpool.Options{MaxIdleBytes: mib << 20})
		return p, func() error {
			s := p.Stats()
			a.log.Debug("arrow buffers recycled", zap.Int64("hits", s.Hits), zap.Int64("misses", s.Misses),
				zap.Int64("frees", s.Frees), zap.Int64("dropped", s.Dropped), zap.Int64("evicted", s.Evicted), zap.Int64("idle_bytes", s.IdleBytes))
			return nil
		}, nil
	case "go":
		return memory.NewGoAllocator(), none, nil
	case "poison":
		p := bufpool.New(bufpool.Options{Poison: true})
		return p, func() error {
			if err := p.Check(); err != nil {
				return fmt.Errorf("--allocator poison: Arrow buffers used after Free: %w", err)
			}
			return nil
		}, nil
	}
	return nil, none, usageError{fmt.Errorf("--allocator %q: want pool, go or poison", a.allocator)}
}
