package lambda_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/jobmatch/jobmatch/lambda"
)

// A Service is a net/http handler: mount it in a server of your own. The
// model is loaded by the first request that needs it; /keywords and
// /health never do.
func ExampleService_ServeHTTP() {
	svc := lambda.New(lambda.Options{
		ModelDir: "/opt/all-MiniLM-L6-v2", // as returned by scripts/fetch-model
		Logger:   slog.New(slog.DiscardHandler),
	})
	mux := http.NewServeMux()
	mux.Handle("/", svc)

	rec := httptest.NewRecorder()
	body := `{"text": "Senior Go developer: Kubernetes, PostgreSQL and AWS.", "top": 3}`
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/keywords", strings.NewReader(body)))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(strings.Contains(rec.Body.String(), `"keyword":"Senior Go developer"`))

	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health", nil))
	fmt.Print(rec.Body.String())
	// Output:
	// 200 application/json
	// true
	// {"model":"not loaded yet","model_loaded":false,"status":"ok"}
}

// Handle answers the events of an API Gateway HTTP API (payload format 2.0)
// or a function URL; lambda/cmd/bootstrap passes it to lambda.Start.
func ExampleService_Handle() {
	svc := lambda.New(lambda.Options{
		ModelDir: "/var/task/model",
		Logger:   slog.New(slog.DiscardHandler),
	})
	req := events.APIGatewayV2HTTPRequest{RawPath: "/health"}
	req.RequestContext.HTTP.Method = http.MethodGet
	req.RequestContext.HTTP.Path = "/health"
	resp, err := svc.Handle(context.Background(), req)
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, resp.Body)
	// Output:
	// 200 {"model":"not loaded yet","model_loaded":false,"status":"ok"}
}
