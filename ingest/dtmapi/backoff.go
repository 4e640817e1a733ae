package dtmapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// backoff returns the wait before retry number n (0-based): BaseBackoff·2^n
// capped at MaxBackoff, with "equal jitter" (half fixed, half random) so that
// many clients do not retry in step. rnd returns a value in [0, 1).
func backoff(n int, base, max time.Duration, rnd func() float64) time.Duration {
	d := base
	for i := 0; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	r := rnd()
	if r < 0 || r >= 1 {
		r = 0.5
	}
	return d/2 + time.Duration(r*float64(d/2))
}

// retryAfter parses a Retry-After header (delay in seconds or an HTTP date)
// relative to now; ok is false when it is absent or unreadable.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > 1<<31 {
			secs = 1 << 31
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
