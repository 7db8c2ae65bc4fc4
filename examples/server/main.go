// Command server serves the routes of package lambda (the page at GET /,
// POST /match, POST /rank, POST /keywords, GET /health) over plain HTTP with
// net/http: the same core as the Lambda function, for a container or a VM.
// Open http://127.0.0.1:8080/ for the page.
//
//	go run ./examples/server -addr 127.0.0.1:8080 -model "$(./scripts/fetch-model)"
//
// It loads the model in the background right after it starts listening and
// shuts down gracefully on SIGINT or SIGTERM. What bounds a client (see
// SECURITY.md): a request's headers must arrive within 5 s and its body
// within -body-timeout (10 s), bodies over -max-body bytes are refused, at
// most -concurrency requests compute at once (the others wait for a slot
// until -timeout, then get 503), a slot is held only while computing, never
// while a body is read or an answer written, /health never waits for one,
// an answer must be written within 10 s, idle keep-alive connections close
// after a minute, and at most -max-conns connections are open at once.
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
	"sync"
	"syscall"
	"time"

	"github.com/jobmatch/jobmatch/examples/internal/cli"

	"github.com/jobmatch/jobmatch/lambda"
)

// Server timeouts beside those of lambda.Options.
const (
	readHeaderTimeout = 5 * time.Second
	writeTimeout      = 10 * time.Second // to write an answer, once computed
	idleTimeout       = time.Minute
	maxHeaderBytes    = 64 << 10
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	model := cli.ModelFlags(flag.CommandLine)
	var opts lambda.Options
	flag.IntVar(&opts.Concurrency, "concurrency", runtime.GOMAXPROCS(0), "requests computed at once; others wait")
	flag.IntVar(&opts.MaxBodyBytes, "max-body", lambda.DefaultMaxBodyBytes, "largest request body in bytes")
	flag.IntVar(&opts.MaxResumes, "max-resumes", lambda.DefaultMaxResumes, "most resumes one POST /rank takes")
	flag.DurationVar(&opts.Timeout, "timeout", lambda.DefaultTimeout, "longest time a request may wait for a slot and compute")
	flag.DurationVar(&opts.BodyTimeout, "body-timeout", lambda.DefaultBodyTimeout, "longest time a client may take to send its body")
	maxConns := flag.Int("max-conns", 256, "connections open at once; more wait to be accepted")
	flag.Parse()

	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	opts.ModelDir, opts.Int8, opts.Logger = model.Dir, model.Int8, logger
	if err := run(logger, *addr, opts, *maxConns); err != nil {
		logger.Error("server stopped", "error", err)
		os.Exit(1)
	}
}

func run(logger *slog.Logger, addr string, opts lambda.Options, maxConns int) error {
	if opts.ModelDir == "" {
		return cli.ErrNoModel
	}
	for _, v := range []struct {
		name string
		n    int
	}{{"-concurrency", opts.Concurrency}, {"-max-body", opts.MaxBodyBytes}, {"-max-resumes", opts.MaxResumes}, {"-max-conns", maxConns}} {
		if v.n < 1 {
			return fmt.Errorf("%s %d: must be at least 1", v.name, v.n)
		}
	}
	for _, v := range []struct {
		name string
		d    time.Duration
	}{{"-timeout", opts.Timeout}, {"-body-timeout", opts.BodyTimeout}} {
		if v.d <= 0 {
			return fmt.Errorf("%s %v: must be positive", v.name, v.d)
		}
	}
	svc := lambda.New(opts)
	srv := newServer(svc, opts)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ln = limitListener(ln, maxConns)
	logger.Info("listening", "addr", ln.Addr().String(), "concurrency", opts.Concurrency, "max_conns", maxConns)

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
	shutdownCtx, cancel := context.WithTimeout(context.Background(), opts.Timeout)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// newServer returns the HTTP server of h with the timeouts of the package
// documentation. The write timeout runs from the end of the headers, so it
// covers the body, the wait for a slot, the computation and the answer.
func newServer(h http.Handler, opts lambda.Options) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readHeaderTimeout + opts.BodyTimeout,
		WriteTimeout:      opts.BodyTimeout + opts.Timeout + writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}

// limitListener returns a listener that keeps at most n connections open:
// Accept waits while n are, until the listener is closed.
func limitListener(ln net.Listener, n int) net.Listener {
	return &limitedListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{})}
}

type limitedListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitedListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

func (l *limitedListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
