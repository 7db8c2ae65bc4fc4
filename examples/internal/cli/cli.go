// Package cli holds what the example commands share: the main function that
// runs a command with a cancellable context and turns its error into an exit
// status, and the -model flag.
package cli

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// ModelEnv names the environment variable that holds the default model
// directory (the one the tests read too).
const ModelEnv = "JOBMATCH_MODEL_DIR"

// Run is a command's body: it reads args and stdin and writes stdout and
// stderr, and stops when ctx is cancelled.
type Run func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error

// Main runs run with a context cancelled by SIGINT or SIGTERM and exits: 2 for
// a usage error, 1 for any other error, logged to stderr.
func Main(name string, run Run) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		slog.New(slog.NewTextHandler(os.Stderr, nil)).Error(name+" failed", "err", err)
		os.Exit(1)
	}
}

// ModelFlag defines -model on fs, defaulting to $JOBMATCH_MODEL_DIR.
func ModelFlag(fs *flag.FlagSet) *string {
	return fs.String("model", os.Getenv(ModelEnv), "sentence-transformers model `dir`ectory (default $"+ModelEnv+")")
}

// ErrNoModel says that no model directory was given.
var ErrNoModel = errors.New("no model: pass -model DIR or set " + ModelEnv + " (export " + ModelEnv + "=$(./scripts/fetch-model))")
