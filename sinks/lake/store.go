package lake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	iceio "github.com/apache/iceberg-go/io"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// S3Env is the object-store configuration, as the AWS SDK's standard
// environment gives it. Endpoint "" means AWS itself (virtual-hosted
// addressing); any endpoint switches to path-style addressing.
type S3Env struct {
	Endpoint  string // AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3)
	Region    string // AWS_REGION (or AWS_DEFAULT_REGION); "us-east-1" when unset
	AccessKey string // AWS_ACCESS_KEY_ID
	SecretKey string // AWS_SECRET_ACCESS_KEY
	Session   string // AWS_SESSION_TOKEN
}

// EnvFrom reads S3Env through getenv (dtm passes its environment snapshot,
// config.Env.Get: the process environment is read in one place).
func EnvFrom(getenv func(string) string) S3Env {
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := getenv(k); v != "" {
				return v
			}
		}
		return ""
	}
	e := S3Env{
		Endpoint:  first("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"),
		Region:    first("AWS_REGION", "AWS_DEFAULT_REGION"),
		AccessKey: getenv("AWS_ACCESS_KEY_ID"),
		SecretKey: getenv("AWS_SECRET_ACCESS_KEY"),
		Session:   getenv("AWS_SESSION_TOKEN"),
	}
	if e.Region == "" {
		e.Region = "us-east-1"
	}
	return e
}

// IcebergProps are the iceberg-go FileIO properties for e (the same
// settings iceberg-go's S3 FileIO and dtm's own client use).
func (e S3Env) IcebergProps() map[string]string {
	p := map[string]string{iceio.S3Region: e.Region}
	if e.Endpoint != "" {
		p[iceio.S3EndpointURL] = e.Endpoint
	}
	if e.AccessKey != "" && e.SecretKey != "" {
		p[iceio.S3AccessKeyID] = e.AccessKey
		p[iceio.S3SecretAccessKey] = e.SecretKey
		if e.Session != "" {
			p[iceio.S3SessionToken] = e.Session
		}
	}
	return p
}

// store is dtm's own access to the object store: uploads of its Parquet
// files and the journal and head documents. Iceberg metadata goes through
// iceberg-go's FileIO instead.
type store struct {
	s3  *s3.Client
	loc Location
}

func newStore(ctx context.Context, env S3Env, loc Location) (*store, error) {
	opts := []func(*config.LoadOptions) error{config.WithRegion(env.Region)}
	if env.AccessKey != "" && env.SecretKey != "" {
		opts = append(opts, config.WithCredentialsProvider(aws.CredentialsProviderFunc(
			func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: env.AccessKey, SecretAccessKey: env.SecretKey, SessionToken: env.Session, Source: "environment"}, nil
			})))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("object store configuration: %w", err)
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if env.Endpoint != "" {
			o.BaseEndpoint = aws.String(env.Endpoint)
			o.UsePathStyle = true
		}
		// S3-compatible servers do not all accept the SDK's default
		// trailing checksums; send one only where the API requires it.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return &store{s3: client, loc: loc}, nil
}

// errPreconditionFailed is a conditional put that lost (the object exists,
// or changed since it was read).
var errPreconditionFailed = errors.New("object store: precondition failed")

func isStatus(err error, codes ...string) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		for _, c := range codes {
			if ae.ErrorCode() == c {
				return true
			}
		}
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		for _, c := range codes {
			if c == "404" && re.HTTPStatusCode() == http.StatusNotFound ||
				c == "412" && re.HTTPStatusCode() == http.StatusPreconditionFailed {
				return true
			}
		}
	}
	return false
}

// size is the size of an object, -1 when it does not exist.
func (s *store) size(ctx context.Context, rel string) (int64, error) {
	out, err := s.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &s.loc.Bucket, Key: aws.String(s.loc.Key(rel))})
	if err != nil {
		if isStatus(err, "NotFound", "NoSuchKey", "404") {
			return -1, nil
		}
		return 0, fmt.Errorf("stat %s: %w", s.loc.URL(rel), err)
	}
	return aws.ToInt64(out.ContentLength), nil
}

// uploadFile puts a local file under rel unless an object of the same size
// is there (dtm's part names are unique per source and run, so same name and
// size is the same file). It reports whether it uploaded. The put is
// conditional (If-None-Match: *): a concurrent writer of the same name wins
// and this one checks the size again.
func (s *store) uploadFile(ctx context.Context, local, rel string) (bool, error) {
	fi, err := os.Stat(local)
	if err != nil {
		return false, err
	}
	have, err := s.size(ctx, rel)
	if err != nil {
		return false, err
	}
	if have == fi.Size() {
		return false, nil
	}
	f, err := os.Open(local)
	if err != nil {
		return false, err
	}
	defer f.Close()
	in := &s3.PutObjectInput{Bucket: &s.loc.Bucket, Key: aws.String(s.loc.Key(rel)), Body: f,
		ContentLength: aws.Int64(fi.Size()), ContentType: aws.String("application/vnd.apache.parquet")}
	if have < 0 {
		in.IfNoneMatch = aws.String("*")
	}
	if _, err := s.s3.PutObject(ctx, in); err != nil {
		if isStatus(err, "PreconditionFailed", "412") {
			if again, serr := s.size(ctx, rel); serr == nil && again == fi.Size() {
				return false, nil
			}
		}
		return false, fmt.Errorf("uploading %s to %s: %w", local, s.loc.URL(rel), err)
	}
	return true, nil
}

// get reads a small object; found is false when it does not exist.
func (s *store) get(ctx context.Context, rel string) (data []byte, etag string, found bool, err error) {
	out, err := s.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.loc.Bucket, Key: aws.String(s.loc.Key(rel))})
	if err != nil {
		if isStatus(err, "NoSuchKey", "NotFound", "404") {
			return nil, "", false, nil
		}
		return nil, "", false, fmt.Errorf("reading %s: %w", s.loc.URL(rel), err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, "", false, fmt.Errorf("reading %s: %w", s.loc.URL(rel), err)
	}
	return b, aws.ToString(out.ETag), true, nil
}

// put writes a small object. ifMatch "" with create=true puts only if the
// object does not exist (If-None-Match: *); a non-empty ifMatch puts only
// over that version (If-Match). A lost race is errPreconditionFailed.
func (s *store) put(ctx context.Context, rel string, data []byte, create bool, ifMatch string) error {
	in := &s3.PutObjectInput{Bucket: &s.loc.Bucket, Key: aws.String(s.loc.Key(rel)), Body: bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))), ContentType: aws.String("application/json")}
	switch {
	case ifMatch != "":
		in.IfMatch = aws.String(ifMatch)
	case create:
		in.IfNoneMatch = aws.String("*")
	}
	if _, err := s.s3.PutObject(ctx, in); err != nil {
		if isStatus(err, "PreconditionFailed", "412", "ConditionalRequestConflict") {
			return fmt.Errorf("%w: %s", errPreconditionFailed, s.loc.URL(rel))
		}
		return fmt.Errorf("writing %s: %w", s.loc.URL(rel), err)
	}
	return nil
}
