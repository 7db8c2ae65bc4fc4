// Command bootstrap is the jobmatch AWS Lambda function for the
// provided.al2023 runtime. It serves the routes of package lambda, ranks the
// resumes of Step Functions Distributed Map batches (lambda.Batch), and loads
// the model from $JOBMATCH_MODEL_DIR (default: $LAMBDA_TASK_ROOT/model, where
// the zip package puts it), as int8 when $JOBMATCH_INT8 is true (see
// lambda.OptionsFromEnv), in the background from init on.
//
// Build it with:
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -trimpath -ldflags='-s -w' -o bootstrap ./lambda/cmd/bootstrap
package main

import (
	"context"
	"log/slog"
	"os"

	awslambda "github.com/aws/aws-lambda-go/lambda"

	"github.com/jobmatch/jobmatch/lambda"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	slog.SetDefault(logger)
	opts, err := lambda.OptionsFromEnv(os.Getenv)
	if err != nil {
		logger.Error("init", "error", err)
		os.Exit(1)
	}
	opts.Logger = logger
	logger.Info("init", "model_dir", opts.ModelDir, "int8", opts.Int8)
	// One function serves both kinds of event it may get, told apart by
	// their shape (lambda.EventKind): API Gateway HTTP API requests and
	// Step Functions Distributed Map batches (terraform/modules/batch).
	svc := lambda.New(opts)
	// The model loads while the runtime starts and asks for the first
	// event (with its pack file, in about 15 ms), so the first request
	// waits only for what is left of it. Init does not wait: a slow load
	// (int8 from the weights file) never nears Lambda's init limit, and a
	// failed load is tried again, and reported, by the first request.
	go svc.Warm(context.Background())
	awslambda.Start(lambda.HandleEvent(svc, lambda.NewBatch(svc, lambda.BatchOptions{})))
}
