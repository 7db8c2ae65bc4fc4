package lambda

import (
	"context"
	"encoding/base64"
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

	var resp response
	body := []byte(req.Body)
	if req.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(req.Body); err != nil {
			resp = fail(http.StatusBadRequest, "body is not valid base64")
		}
	}
	switch {
	case resp.status != 0:
	case len(body) > s.opts.MaxBodyBytes:
		resp = fail(http.StatusRequestEntityTooLarge, "body over %d bytes", s.opts.MaxBodyBytes)
	default:
		resp = s.serve(ctx, method, path, body)
	}

	attrs := []any{"cold", cold, "method", method, "path", path, "status", resp.status,
		"duration_ms", float64(time.Since(start).Microseconds()) / 1000}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		attrs = append(attrs, "request_id", lc.AwsRequestID)
	}
	s.log.InfoContext(ctx, "invocation", attrs...)
	return events.APIGatewayV2HTTPResponse{
		StatusCode: resp.status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(encode(resp)),
	}, nil
}

// stripStage removes a named stage's prefix from an HTTP API path; the
// $default stage and function URLs have none.
func stripStage(path, stage string) string {
	if stage == "" || stage == "$default" {
		return path
	}
	if rest, ok := strings.CutPrefix(path, "/"+stage); ok && (rest == "" || rest[0] == '/') {
		return rest
	}
	return path
}
