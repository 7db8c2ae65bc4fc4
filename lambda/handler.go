package lambda

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Handle answers one API Gateway HTTP API (payload format 2.0) or Lambda
// function URL event. Errors become responses: it never returns an error, so
// that the client always gets a status and a JSON reason.
func (s *Service) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	start := time.Now()
	cold := !s.started.Swap(true)
	method := req.RequestContext.HTTP.Method
	path := stripStage(req.RawPath, req.RequestContext.Stage)
	if path == "" {
		path = req.RequestContext.HTTP.Path
	}

	rt, resp := route(method, path)
	if resp.status == 0 {
		resp = s.answer(ctx, rt, path, contentType(req.Headers), func() ([]byte, error) { return s.eventBody(req) })
	}

	attrs := []any{"cold", cold, "method", method, "path", path, "status", resp.status,
		"duration_ms", float64(time.Since(start).Microseconds()) / 1000}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		attrs = append(attrs, "request_id", lc.AwsRequestID)
	}
	s.log.InfoContext(ctx, "invocation", attrs...)
	return events.APIGatewayV2HTTPResponse{
		StatusCode: resp.status,
		Headers:    resp.headers(),
		Body:       string(encode(resp)),
	}, nil
}

// errBadBase64 means an event's body is marked base64 but is not.
var errBadBase64 = errors.New("body is not valid base64")

// eventBody returns an event's body, decoded from base64 if the event says
// so, and at most MaxBodyBytes of it; the size is checked before decoding.
func (s *Service) eventBody(req events.APIGatewayV2HTTPRequest) ([]byte, error) {
	limit := s.opts.MaxBodyBytes
	tooLarge := &http.MaxBytesError{Limit: int64(limit)}
	if !req.IsBase64Encoded {
		if len(req.Body) > limit {
			return nil, tooLarge
		}
		return []byte(req.Body), nil
	}
	if base64.StdEncoding.DecodedLen(len(req.Body)) > limit+2 {
		return nil, tooLarge
	}
	body, err := base64.StdEncoding.DecodeString(req.Body)
	if err != nil {
		return nil, errBadBase64
	}
	if len(body) > limit {
		return nil, tooLarge
	}
	return body, nil
}

// stripStage removes a named stage's prefix from an HTTP API path; the
// $default stage and function URLs have none.
func stripStage(path, stage string) string {
	if stage == "" || stage == "$default" {
		return path
	}
	if rest, ok := strings.CutPrefix(path, "/"+stage); ok && (rest == "" || rest[0] == '/') {
		if rest == "" {
			return "/" // the stage's root: the page
		}
		return rest
	}
	return path
}
