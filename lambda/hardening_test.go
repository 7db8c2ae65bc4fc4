package lambda

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/matchertest"
)

// maxAnswer is the largest answer the tests accept to a body of n bytes:
// answers are bounded by the keyword counts and MaxKeywordBytes, not by the
// texts.
func maxAnswer(n int) int { return 2*n + 256<<10 }

// countingEmbedder is matchertest.HashEmbedder that counts its calls and, when gate is
// not nil, waits for it before answering, however long its context lasts:
// a computation that holds its slot.
type countingEmbedder struct {
	calls   atomic.Int64
	running atomic.Int64
	peak    atomic.Int64
	gate    chan struct{}
}

func (e *countingEmbedder) EncodeBatch(ctx context.Context, texts []string) ([][]float32, error) {
	e.calls.Add(1)
	n := e.running.Add(1)
	defer e.running.Add(-1)
	for p := e.peak.Load(); n > p && !e.peak.CompareAndSwap(p, n); p = e.peak.Load() {
	}
	if e.gate != nil {
		<-e.gate
	}
	return matchertest.HashEmbedder{}.EncodeBatch(ctx, texts)
}

func serviceWith(emb matcher.Embedder, edit func(*Options)) *Service {
	opts := Options{ModelDir: "/m", Logger: slog.New(slog.DiscardHandler),
		Load: func(context.Context, string) (matcher.Embedder, error) { return emb, nil }}
	if edit != nil {
		edit(&opts)
	}
	return New(opts)
}

func post(t *testing.T, url, body string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// slowSender opens a connection that sends a POST's headers, declaring
// a body of n bytes, and then one byte of it.
func slowSender(t *testing.T, addr, path string, n int) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{", path, n)
	return c
}

// TestSlowSendersHoldNoSlot replays issue 12's second reproducer: clients
// that send their bodies a byte at a time must not keep /health or a normal
// /match waiting, and are cut off after BodyTimeout.
func TestSlowSendersHoldNoSlot(t *testing.T) {
	emb := &countingEmbedder{}
	s := serviceWith(emb, func(o *Options) { o.Concurrency, o.BodyTimeout = 1, time.Second })
	srv := httptest.NewServer(s)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	var slow []net.Conn
	for range 3 {
		slow = append(slow, slowSender(t, addr, "/match", 100000))
	}
	defer func() {
		for _, c := range slow {
			c.Close()
		}
	}()
	time.Sleep(100 * time.Millisecond) // let the server start reading them

	start := time.Now()
	resp, err := http.Get(srv.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	status, _, body := post(t, srv.URL+"/match", matchBody(t, map[string]any{"resume": resumeText, "job": jobText}))
	if status != http.StatusOK {
		t.Fatalf("/match beside slow senders: %d %s", status, body)
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Errorf("/health and /match took %v beside 3 slow senders, want less than the body timeout", d)
	}
	for i, c := range slow {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || !strings.Contains(line, " 408 ") {
			t.Errorf("slow sender %d: %q, %v; want a 408 answer", i, line, err)
		}
	}
}

// TestConcurrencyBound checks that at most Concurrency requests compute at
// once, that a request that finds no slot before its deadline gets 503 with
// Retry-After, and that /health answers while every slot is taken.
func TestConcurrencyBound(t *testing.T) {
	emb := &countingEmbedder{gate: make(chan struct{})}
	s := serviceWith(emb, func(o *Options) { o.Concurrency, o.Timeout = 2, 500*time.Millisecond })
	srv := httptest.NewServer(s)
	defer srv.Close()
	var wg sync.WaitGroup
	statuses := make(chan int, 6)
	send := func(i int) {
		defer wg.Done()
		// Distinct words, so that no request waits for another's embedding.
		x := strings.Repeat(string(rune('a'+i)), 3)
		job := fmt.Sprintf("Quark%s and Zeta%s.", x, x)
		status, hdr, _ := post(t, srv.URL+"/match", matchBody(t, map[string]any{"resume": "Lepton" + x, "job": job}))
		if status == http.StatusServiceUnavailable && hdr.Get("Retry-After") == "" {
			t.Error("503 without Retry-After")
		}
		statuses <- status
	}
	wg.Add(2)
	go send(0)
	go send(1)
	for deadline := time.Now().Add(5 * time.Second); emb.running.Load() < 2 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	wg.Add(4)
	for i := 2; i < 6; i++ {
		go send(i)
	}
	resp, err := http.Get(srv.URL + "/health")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/health while the slots are taken: %v %v", resp, err)
	}
	if resp != nil {
		resp.Body.Close()
	}
	for deadline := time.Now().Add(5 * time.Second); len(statuses) < 4 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	close(emb.gate)
	wg.Wait()
	close(statuses)
	busy := 0
	for st := range statuses {
		if st == http.StatusServiceUnavailable {
			busy++
		}
	}
	if p := emb.peak.Load(); p != 2 {
		t.Errorf("%d requests computed at once, want 2", p)
	}
	if busy != 4 {
		t.Errorf("%d requests answered 503, want the 4 that found no slot", busy)
	}
}

// TestSettingsShareTheCache replays issue 12's cache defect: cycling
// through many thresholds must not embed the same keywords again.
func TestSettingsShareTheCache(t *testing.T) {
	emb := &countingEmbedder{}
	s := serviceWith(emb, nil)
	ts := &testService{Service: s}
	first := -1
	for i := range 40 {
		req := event("POST", "/match", matchBody(t, map[string]any{"resume": resumeText, "job": jobText, "threshold": 0.3 + float64(i)/100}))
		if status, body := invoke(t, ts, req); status != http.StatusOK {
			t.Fatalf("threshold %d: %d %v", i, status, body)
		}
		if i == 0 {
			first = int(emb.calls.Load())
		}
	}
	if n := int(emb.calls.Load()); n != first {
		t.Errorf("%d embedder calls after 40 thresholds, want the %d of the first request", n, first)
	}
}

// TestAmplification replays issue 12's third reproducer: a 1 MB word in the
// resume must not come back once for every job keyword.
func TestAmplification(t *testing.T) {
	job, err := os.ReadFile("../examples/testdata/job.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := serviceWith(matchertest.HashEmbedder{}, nil)
	for _, resume := range []string{strings.Repeat("a", 1<<20), strings.Repeat("ab ", 1<<18), strings.Repeat("x", 300) + " python"} {
		body := matchBody(t, map[string]any{"resume": resume, "job": string(job), "job_keywords": 200, "resume_keywords": 200})
		resp, err := s.Handle(context.Background(), event("POST", "/match", body))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %.200s", resp.StatusCode, resp.Body)
		}
		if len(resp.Body) > maxAnswer(len(job)) {
			t.Errorf("answer of %d bytes to a job of %d bytes", len(resp.Body), len(job))
		}
		var res matcher.Result
		if err := json.Unmarshal([]byte(resp.Body), &res); err != nil {
			t.Fatal(err)
		}
		for _, k := range append(res.Matched, res.Missing...) {
			if len(k.Resume) > matcher.MaxKeywordBytes {
				t.Fatalf("resume keyword of %d bytes", len(k.Resume))
			}
		}
	}
	long := strings.Repeat("b", 1<<18)
	resp, err := s.Handle(context.Background(), event("POST", "/keywords", `{"text": "`+long+` `+long+`", "top": 200}`))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("keywords: %v %d %.200s", err, resp.StatusCode, resp.Body)
	}
	if len(resp.Body) > 64<<10 {
		t.Errorf("/keywords answered %d bytes for one long word", len(resp.Body))
	}
}

// TestErrorsDoNotEcho checks that an error quoting what the client sent (a
// path, an unknown field) stays short.
func TestErrorsDoNotEcho(t *testing.T) {
	s := &testService{Service: serviceWith(matchertest.HashEmbedder{}, nil)}
	long := strings.Repeat("z", 100<<10)
	for _, req := range []events.APIGatewayV2HTTPRequest{
		event("POST", "/"+long, "{}"),
		event(long, "/match", "{}"),
		event("POST", "/match", `{"`+long+`": 1}`),
	} {
		resp, err := s.Handle(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode < 400 || len(resp.Body) > 2*maxErrorBytes {
			t.Errorf("status %d, answer of %d bytes: %.100s", resp.StatusCode, len(resp.Body), resp.Body)
		}
	}
}
