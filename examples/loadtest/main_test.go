package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func writeBody(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(p, []byte(`{"resume":"a","job":"b"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunCountsRequests(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `{"score":0.5}`)
	}))
	defer srv.Close()
	if err := run(srv.URL, writeBody(t), "1,4", 20, time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := hits.Load(); got != 41 { // one reference request, then 20 per level
		t.Errorf("server saw %d requests, want 41", got)
	}
}

func TestRunDetectsDifferentAnswers(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"n":%d}`, hits.Add(1))
	}))
	defer srv.Close()
	err := run(srv.URL, writeBody(t), "2", 10, time.Minute)
	if err == nil || !strings.Contains(err.Error(), "differs") {
		t.Errorf("err = %v, want a difference reported", err)
	}
}

func TestRunRefusesNonLoopback(t *testing.T) {
	if err := run("http://192.0.2.1/match", writeBody(t), "1", 1, time.Second); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("err = %v, want a refusal", err)
	}
}
