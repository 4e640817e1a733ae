package lake

import (
	"context"
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
