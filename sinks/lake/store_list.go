package lake

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// list returns the keys (relative to the location) of the objects under
// the relative prefix, in the store's order (lexicographic on S3).
func (s *store) list(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	full := s.loc.Key(prefix)
	p := s3.NewListObjectsV2Paginator(s.s3, &s3.ListObjectsV2Input{Bucket: &s.loc.Bucket, Prefix: aws.String(full)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", s.loc.URL(prefix), err)
		}
		for _, o := range page.Contents {
			k := aws.ToString(o.Key)
			if s.loc.Prefix != "" {
				k = strings.TrimPrefix(k, s.loc.Prefix+"/")
			}
			out = append(out, k)
		}
	}
	return out, nil
}

// remove deletes an object (absent is not an error).
func (s *store) remove(ctx context.Context, rel string) error {
	if _, err := s.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.loc.Bucket, Key: aws.String(s.loc.Key(rel))}); err != nil {
		if isStatus(err, "NoSuchKey", "NotFound", "404") {
			return nil
		}
		return fmt.Errorf("deleting %s: %w", s.loc.URL(rel), err)
	}
	return nil
}
