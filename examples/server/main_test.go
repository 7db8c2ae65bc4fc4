package main

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/examples/internal/cli"
)

func TestLimitBoundsConcurrency(t *testing.T) {
	var running, peak atomic.Int32
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		running.Add(-1)
	})
	srv := httptest.NewServer(limit(slow, 2, time.Minute))
	defer srv.Close()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(srv.URL)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrency %d, want 2", p)
	}
}

func TestLimitTimesOutWaiting(t *testing.T) {
	block := make(chan struct{})
	h := limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }), 1, 50*time.Millisecond)
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer close(block)
	go http.Get(srv.URL) // takes the only slot
	time.Sleep(10 * time.Millisecond)
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503 while the slot is taken", resp.StatusCode)
	}
}

func TestRunNeedsAModel(t *testing.T) {
	if err := run(nil, "127.0.0.1:0", cli.Model{}, 1, 1<<20, time.Second); err == nil {
		t.Error("run without a model directory did not fail")
	}
}
