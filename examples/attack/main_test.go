package main

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/lambda"
	"github.com/jobmatch/jobmatch/matcher"
)

// hashEmbedder embeds a text as a deterministic pseudo-random unit vector.
type hashEmbedder struct{}

func (hashEmbedder) EncodeBatch(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		h := fnv.New64a()
		h.Write([]byte(t))
		seed := h.Sum64()
		v := make([]float32, 16)
		var n float64
		for j := range v {
			seed = seed*6364136223846793005 + 1442695040888963407
			v[j] = float32(int64(seed>>11)%2000-1000) / 1000
			n += float64(v[j]) * float64(v[j])
		}
		for j := range v {
			v[j] /= float32(math.Sqrt(n))
		}
		out[i] = v
	}
	return out, nil
}

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
		Load: func(context.Context, string) (matcher.Embedder, error) { return hashEmbedder{}, nil }})
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
