package lambda

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// s3Store is the ObjectStore of the function: S3 through the AWS SDK for
// Go v2, with the credentials and region of the Lambda environment.
type s3Store struct{ client *s3.Client }

// NewS3Store returns an ObjectStore on S3, configured as the AWS SDK is
// (environment, shared files, the function's role). An endpoint override
// (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, for an emulator) also selects
// path-style addressing, which emulators on loopback need.
func NewS3Store(ctx context.Context) (ObjectStore, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("s3: %w", err)
	}
	pathStyle := os.Getenv("AWS_ENDPOINT_URL_S3") != "" || os.Getenv("AWS_ENDPOINT_URL") != ""
	return &s3Store{s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = pathStyle })}, nil
}

// Get reads at most max+1 bytes, so that an object larger than the caller
// allows is refused without reading it whole.
func (s *s3Store) Get(ctx context.Context, bucket, key string, max int64) ([]byte, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Range: aws.String(fmt.Sprintf("bytes=0-%d", max)),
	})
	if err != nil {
		var noKey *types.NoSuchKey
		if errors.As(err, &noKey) {
			return nil, fmt.Errorf("s3://%s/%s: %w", bucket, key, ErrNoObject)
		}
		// S3 answers a range on an empty object with InvalidRange.
		var api smithy.APIError
		if errors.As(err, &api) && api.ErrorCode() == "InvalidRange" {
			return []byte{}, nil
		}
		return nil, fmt.Errorf("s3://%s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(io.LimitReader(out.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("s3://%s/%s: %w", bucket, key, err)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("s3://%s/%s: %w (limit %d bytes)", bucket, key, ErrObjectTooLarge, max)
	}
	return body, nil
}

func (s *s3Store) Put(ctx context.Context, bucket, key string, body []byte, contentType string) error {
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body), ContentType: aws.String(contentType),
	})
	if err != nil {
		return fmt.Errorf("s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}
