// Command server serves the routes of package lambda (POST /match,
// POST /keywords, GET /health) over plain HTTP with net/http: the same core
// as the Lambda function, for a container or a VM.
//
//	go run ./examples/server -addr 127.0.0.1:8080 -model "$(./scripts/fetch-model)"
//
// It limits request bodies and the number of requests computed at once
// (others wait for a slot until their deadline), sets read, write and idle
// timeouts, loads the model in the background right after it starts
// listening, and shuts down gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/jobmatch/jobmatch/examples/internal/cli"

	"github.com/jobmatch/jobmatch/lambda"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	model := cli.ModelFlags(flag.CommandLine)
	concurrency := flag.Int("concurrency", runtime.GOMAXPROCS(0), "requests computed at once; others wait")
	maxBody := flag.Int("max-body", lambda.DefaultMaxBodyBytes, "largest request body in bytes")
	timeout := flag.Duration("timeout", 30*time.Second, "longest time a request may take")
	flag.Parse()

	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(logger, *addr, *model, *concurrency, *maxBody, *timeout); err != nil {
		logger.Error("server stopped", "error", err)
		os.Exit(1)
	}
}

func run(logger *slog.Logger, addr string, model cli.Model, concurrency, maxBody int, timeout time.Duration) error {
	if model.Dir == "" {
		return cli.ErrNoModel
	}
	if concurrency < 1 {
		return fmt.Errorf("-concurrency %d: must be at least 1", concurrency)
	}
	svc := lambda.New(lambda.Options{ModelDir: model.Dir, Int8: model.Int8, MaxBodyBytes: maxBody, Logger: logger})
	srv := &http.Server{
		Handler:           limit(svc, concurrency, timeout),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       timeout,
		WriteTimeout:      timeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	logger.Info("listening", "addr", ln.Addr().String(), "concurrency", concurrency)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		if err := svc.Warm(ctx); err != nil {
			logger.Error("model not loaded; requests will retry", "error", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// limit lets at most n requests run h at once; the others wait for a slot
// until the request's own deadline, then get 503.
func limit(h http.Handler, n int, timeout time.Duration) http.Handler {
	slots := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			h.ServeHTTP(w, r.WithContext(ctx))
		case <-ctx.Done():
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, `{"error":"server busy"}`)
		}
	})
}
