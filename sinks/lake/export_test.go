package lake

import (
	"context"
	"time"
)

// ErrPreconditionFailed exposes errPreconditionFailed to the tests.
var ErrPreconditionFailed = errPreconditionFailed

// PutForTest writes an object through dtm's own client with the given
// condition (create: If-None-Match *, ifMatch: If-Match), as Publish does
// for head.json.
func PutForTest(ctx context.Context, env S3Env, location, rel string, data []byte, create bool, ifMatch string) error {
	loc, err := ParseLocation(location)
	if err != nil {
		return err
	}
	st, err := newStore(ctx, env, loc)
	if err != nil {
		return err
	}
	return st.put(ctx, rel, data, create, ifMatch)
}

// OwnerRunning exposes Owner.running to the tests.
func OwnerRunning(o, self Owner, startedAt, now time.Time, staleAfter time.Duration) bool {
	return o.running(self, startedAt, now, staleAfter)
}

// CurrentOwner exposes currentOwner to the tests.
func CurrentOwner() Owner { return currentOwner() }
