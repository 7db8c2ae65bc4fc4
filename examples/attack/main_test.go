package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/lambda"
	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/matchertest"
)

func startServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.MaxHeaderBytes = 64 << 10
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func readJob(t *testing.T) string {
	t.Helper()
	job, err := os.ReadFile("../testdata/job.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(job)
}

// TestAttacksOnTheService replays every attack against the lambda.Service
// over HTTP (with a stand-in embedder) and wants each answered as it should.
func TestAttacksOnTheService(t *testing.T) {
	if testing.Short() {
		t.Skip("the slow-sender attack takes the body timeout")
	}
	svc := lambda.New(lambda.Options{ModelDir: "/m", Logger: slog.New(slog.DiscardHandler), Concurrency: 2, BodyTimeout: 2 * time.Second,
		Load: func(context.Context, string) (matcher.Embedder, error) { return matchertest.HashEmbedder{}, nil }})
	srv := startServer(t, svc)
	rows, err := run(context.Background(), srv.URL, "", readJob(t), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(attacks(""))+1 {
		t.Fatalf("%d rows, want one per attack and the final check", len(rows))
	}
	for _, r := range rows {
		if !r.ok {
			t.Errorf("%s: want %s, got %s (%d bytes)", r.attack, r.want, r.got, r.answerBytes)
		}
	}
	var b strings.Builder
	printTable(&b, rows)
	if !strings.Contains(b.String(), "| server | max_ngram 1e9 on /keywords") {
		t.Errorf("table:\n%s", b.String())
	}
}

// TestAttacksCatchAWeakService checks that the checks can fail: a handler
// that answers 200 with a huge body to everything fails nearly every attack.
func TestAttacksCatchAWeakService(t *testing.T) {
	if testing.Short() {
		t.Skip("the slow-sender attack waits 20 s for answers that never come")
	}
	weak := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"echo": strings.Repeat("x", 300<<10)})
	})
	srv := startServer(t, weak)
	rows, err := run(context.Background(), srv.URL, "", readJob(t), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.ok && !strings.HasPrefix(r.got, "n/a") && r.attack != "128 kB of headers" {
			t.Errorf("%s: passed against a handler that answers everything with 300 kB", r.attack)
		}
	}
}

func TestLoopbackOnly(t *testing.T) {
	for _, u := range []string{"http://10.0.0.1:8080", "http://example.com", "http://192.168.1.1"} {
		if _, err := run(context.Background(), u, "", "job", time.Second); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
}
