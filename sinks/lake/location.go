package lake

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Location is an object-store warehouse: s3://Bucket/Prefix.
type Location struct {
	Bucket string
	Prefix string // no leading or trailing slash; "" for the bucket's root
}

// ErrNotObjectStore is returned by ParseLocation for a plain path.
var ErrNotObjectStore = errors.New("not an s3:// location")

// IsObjectStore tells whether a warehouse location names an object store
// (s3://, s3a://) rather than a local directory.
func IsObjectStore(loc string) bool {
	return strings.HasPrefix(loc, "s3://") || strings.HasPrefix(loc, "s3a://")
}

// ParseLocation parses s3://bucket/prefix (s3a:// is accepted as s3://).
func ParseLocation(loc string) (Location, error) {
	if !IsObjectStore(loc) {
		return Location{}, fmt.Errorf("%w: %q", ErrNotObjectStore, loc)
	}
	u, err := url.Parse(loc)
	if err != nil {
		return Location{}, fmt.Errorf("object-store location %q: %w", loc, err)
	}
	if u.Host == "" {
		return Location{}, fmt.Errorf("object-store location %q: no bucket (want s3://BUCKET/PREFIX)", loc)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return Location{}, fmt.Errorf("object-store location %q: want s3://BUCKET/PREFIX, without user, query or fragment", loc)
	}
	p := strings.Trim(u.Path, "/")
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." || (seg == "" && p != "") {
			return Location{}, fmt.Errorf("object-store location %q: empty, '.' or '..' path segment", loc)
		}
	}
	return Location{Bucket: u.Host, Prefix: p}, nil
}

// Key is the object key of a path relative to the location.
func (l Location) Key(rel string) string {
	if l.Prefix == "" {
		return rel
	}
	return l.Prefix + "/" + rel
}

// URL is the s3:// URL of a path relative to the location ("" for the location itself).
func (l Location) URL(rel string) string {
	if rel == "" {
		if l.Prefix == "" {
			return "s3://" + l.Bucket
		}
		return "s3://" + l.Bucket + "/" + l.Prefix
	}
	return "s3://" + l.Bucket + "/" + l.Key(rel)
}

// String is the location's URL.
func (l Location) String() string { return l.URL("") }
