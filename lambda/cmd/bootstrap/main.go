// Command bootstrap is the jobmatch AWS Lambda function for the
// provided.al2023 runtime. It serves the routes of package lambda and loads
// the model lazily from $JOBMATCH_MODEL_DIR (default: $LAMBDA_TASK_ROOT/model,
// where the zip package puts it).
//
// Build it with:
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -trimpath -ldflags='-s -w' -o bootstrap ./lambda/cmd/bootstrap
package main

import (
	"log/slog"
	"os"
	"path/filepath"

	awslambda "github.com/aws/aws-lambda-go/lambda"

	"github.com/jobmatch/jobmatch/lambda"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	slog.SetDefault(logger)
	dir := os.Getenv("JOBMATCH_MODEL_DIR")
	if dir == "" {
		dir = filepath.Join(os.Getenv("LAMBDA_TASK_ROOT"), "model")
	}
	logger.Info("init", "model_dir", dir)
	awslambda.Start(lambda.New(lambda.Options{ModelDir: dir, Logger: logger}).Handle)
}
