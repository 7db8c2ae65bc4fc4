package main

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/examples/internal/cli"
	"github.com/jobmatch/jobmatch/lambda"
)

func TestRunValidates(t *testing.T) {
	good := lambda.Options{ModelDir: "/m", Concurrency: 1, MaxBodyBytes: 1 << 20, MaxResumes: 10, Timeout: time.Second, BodyTimeout: time.Second}
	tests := []struct {
		name     string
		edit     func(*lambda.Options)
		maxConns int
		want     string
	}{
		{"no model", func(o *lambda.Options) { o.ModelDir = "" }, 1, cli.ErrNoModel.Error()},
		{"concurrency", func(o *lambda.Options) { o.Concurrency = 0 }, 1, "-concurrency"},
		{"max body", func(o *lambda.Options) { o.MaxBodyBytes = -1 }, 1, "-max-body"},
		{"max resumes", func(o *lambda.Options) { o.MaxResumes = 0 }, 1, "-max-resumes"},
		{"max conns", nil, 0, "-max-conns"},
		{"timeout", func(o *lambda.Options) { o.Timeout = 0 }, 1, "-timeout"},
		{"body timeout", func(o *lambda.Options) { o.BodyTimeout = -time.Second }, 1, "-body-timeout"},
	}
	for _, tt := range tests {
		opts := good
		if tt.edit != nil {
			tt.edit(&opts)
		}
		err := run(slog.New(slog.DiscardHandler), "127.0.0.1:0", opts, tt.maxConns)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}

// TestServerTimeouts checks that every timeout of the server is set, and
// that the write timeout leaves room for the body, the computation and the
// answer.
func TestServerTimeouts(t *testing.T) {
	opts := lambda.Options{Timeout: 30 * time.Second, BodyTimeout: 10 * time.Second}
	srv := newServer(http.NotFoundHandler(), opts)
	for name, d := range map[string]time.Duration{
		"ReadHeaderTimeout": srv.ReadHeaderTimeout, "ReadTimeout": srv.ReadTimeout,
		"WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout,
	} {
		if d <= 0 {
			t.Errorf("%s not set", name)
		}
	}
	if srv.WriteTimeout < opts.Timeout+opts.BodyTimeout {
		t.Errorf("WriteTimeout %v shorter than the body and computation timeouts", srv.WriteTimeout)
	}
	if srv.MaxHeaderBytes <= 0 {
		t.Error("MaxHeaderBytes not set")
	}
}

// TestLimitListener checks that a connection beyond the limit is accepted
// only when another closes.
func TestLimitListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Listener.Close()
	srv.Listener = limitListener(ln, 2)
	srv.Start()
	defer srv.Close()
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	time.Sleep(50 * time.Millisecond)
	client := &http.Client{Timeout: 300 * time.Millisecond}
	if resp, err := client.Get(srv.URL); err == nil {
		resp.Body.Close()
		t.Fatal("a third connection was served while two were open")
	}
	held[0].Close()
	client.Timeout = 5 * time.Second
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatalf("after one of two connections closed: %v", err)
	}
	resp.Body.Close()
	held[1].Close()
}
