//go:build unix

package lambda_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/lambda/internal/rie"
	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// riePath returns the emulator binary named by $JOBMATCH_RIE: the test is
// skipped without it in a plain `go test`, and fails under CI.
func riePath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("the emulator tests build and start processes; they run without -short")
	}
	p := os.Getenv(rie.EnvVar)
	if p == "" {
		msg := rie.EnvVar + " is not set: run `export " + rie.EnvVar + "=$(./scripts/aws-lambda-rie)`"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (required under CI)")
		}
		t.Skip(msg)
	}
	return p
}

// bootstrap builds the function once for all the tests of this binary.
var bootstrap = sync.OnceValues(func() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	root, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	if bootstrapDir, err = os.MkdirTemp("", "jobmatch-bootstrap"); err != nil {
		return "", err
	}
	return rie.BuildBootstrap(ctx, root, bootstrapDir)
})

var bootstrapDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if bootstrapDir != "" {
		os.RemoveAll(bootstrapDir)
	}
	os.Exit(code)
}

func startEmulator(t *testing.T, modelDir string) *rie.Emulator {
	t.Helper()
	riePath := riePath(t)
	bin, err := bootstrap()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e, err := rie.Start(ctx, riePath, bin, "JOBMATCH_MODEL_DIR="+modelDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

type invocation struct {
	method, path, body string
	status             int
}

func check(t *testing.T, e *rie.Emulator, inv invocation) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	resp, err := e.Invoke(ctx, inv.method, inv.path, inv.body)
	if err != nil {
		t.Fatalf("%s %s: %v\nlogs:\n%s", inv.method, inv.path, err, e.Logs())
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatalf("%s %s: body is not JSON: %s", inv.method, inv.path, resp.Body)
	}
	if resp.StatusCode != inv.status {
		t.Fatalf("%s %s: status %d, want %d: %v", inv.method, inv.path, resp.StatusCode, inv.status, body)
	}
	return body
}

func TestEmulatorEndToEnd(t *testing.T) {
	e := startEmulator(t, sberttest.ModelDir(t))
	match := `{"resume": "Data scientist: Python, SQL, machine learning, statistics.", "job": "Hiring a data scientist with Python and machine learning experience."}`

	check(t, e, invocation{"GET", "/health", "", 200})
	cold := check(t, e, invocation{"POST", "/match", match, 200})
	if s, ok := cold["score"].(float64); !ok || s <= 0 || s > 1 {
		t.Errorf("score = %v", cold["score"])
	}
	warm := check(t, e, invocation{"POST", "/match", match, 200})
	cj, _ := json.Marshal(cold)
	wj, _ := json.Marshal(warm)
	if string(cj) != string(wj) {
		t.Errorf("warm result differs from cold one:\n%s\n%s", cj, wj)
	}
	check(t, e, invocation{"POST", "/match", `{"resume": 1}`, 400})
	check(t, e, invocation{"POST", "/match", `{`, 400})
	check(t, e, invocation{"POST", "/keywords", `{"text": "Go developer with Kubernetes"}`, 200})

	logs := e.Logs()
	if !regexp.MustCompile(`INIT REPORT`).MatchString(logs) {
		t.Errorf("no INIT REPORT in the emulator's log:\n%s", logs)
	}
	if n := strings.Count(logs, `"msg":"model loaded"`); n != 1 {
		t.Errorf("model loaded %d times, want once:\n%s", n, logs)
	}
	if !strings.Contains(logs, `"cold":true`) || strings.Count(logs, `"cold":true`) != 1 {
		t.Errorf("want exactly one cold invocation in the log:\n%s", logs)
	}
}

// TestEmulatorLoadsAtInit checks that the function loads the model from
// init on, in the background: after a /health, which does not need it, the
// log says it is loaded, with no request having asked for it.
func TestEmulatorLoadsAtInit(t *testing.T) {
	e := startEmulator(t, sberttest.ModelDir(t))
	check(t, e, invocation{"GET", "/health", "", 200})
	if n := logCount(e, `"msg":"model loaded"`, 1); n != 1 {
		t.Errorf("model loaded %d times without a request for it, want once:\n%s", n, e.Logs())
	}
}

func TestEmulatorMissingModel(t *testing.T) {
	e := startEmulator(t, t.TempDir())
	check(t, e, invocation{"GET", "/health", "", 200})
	check(t, e, invocation{"POST", "/match", `{"resume": "python", "job": "python developer"}`, 503})
	// The next invocation tries again, and still answers clearly.
	check(t, e, invocation{"POST", "/match", `{"resume": "python", "job": "python developer"}`, 503})
	if n := logCount(e, `"msg":"model load failed"`, 2); n != 2 {
		t.Errorf("model load failures logged %d times, want 2:\n%s", n, e.Logs())
	}
}

// logCount returns how many times s appears in the emulator's log, waiting
// up to five seconds for n: the function's log lines reach the emulator's
// output through a pipe, and the last one may come after the response.
func logCount(e *rie.Emulator, s string, n int) int {
	deadline := time.Now().Add(5 * time.Second)
	for {
		c := strings.Count(e.Logs(), s)
		if c >= n || time.Now().After(deadline) {
			return c
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// BenchmarkEmulatorColdStart measures, per iteration, a fresh emulator and
// function: cold_ms from process start to the first /match answered (model
// load included), and of it emulator_start_ms until the emulator starts
// the function (the emulator's own start, by its log's millisecond clock),
// init_ms from the emulator's INIT REPORT line and model_load_ms from the
// function's log; warm_ms per warm /match, and the function's peak RSS.
// scripts/bench/lambda.sh runs it.
func BenchmarkEmulatorColdStart(b *testing.B) {
	modelDir := sberttest.ModelDir(b)
	riePath := os.Getenv(rie.EnvVar)
	if riePath == "" {
		b.Skip(rie.EnvVar + " is not set")
	}
	bin, err := bootstrap()
	if err != nil {
		b.Fatal(err)
	}
	match := `{"resume": "Data scientist: Python, SQL, machine learning, statistics, AWS.", "job": "Hiring a data scientist with Python, deep learning and cloud experience."}`
	initRe := regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`)
	// The emulator's own start: from its process start to its exec of
	// the function, by its log's clock (milliseconds, UTC).
	execRe := regexp.MustCompile(`(\d\d \w{3} \d{4} \d\d:\d\d:\d\d,\d{3}) \[INFO\] \(rapid\) exec`)
	loadRe := regexp.MustCompile(`"msg":"model loaded".*"load_ms":([0-9.]+)`)
	var cold, initMs, warm, rss, execMs, loadMs float64
	const warmRuns = 20
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		e, err := rie.Start(ctx, riePath, bin, "JOBMATCH_MODEL_DIR="+modelDir)
		if err != nil {
			b.Fatal(err)
		}
		if resp, err := e.Invoke(ctx, "POST", "/match", match); err != nil || resp.StatusCode != 200 {
			b.Fatalf("cold /match: %v %v\n%s", resp.StatusCode, err, e.Logs())
		}
		cold += float64(time.Since(e.Started()).Microseconds()) / 1000
		if m := initRe.FindStringSubmatch(e.Logs()); m != nil {
			v, _ := strconv.ParseFloat(m[1], 64)
			initMs += v
		}
		if m := loadRe.FindStringSubmatch(e.Logs()); m != nil {
			v, _ := strconv.ParseFloat(m[1], 64)
			loadMs += v
		}
		if m := execRe.FindStringSubmatch(e.Logs()); m != nil {
			if t, err := time.Parse("02 Jan 2006 15:04:05,000", m[1]); err == nil {
				execMs += float64(t.Sub(e.Started()).Microseconds()) / 1000
			}
		}
		start := time.Now()
		for range warmRuns {
			if resp, err := e.Invoke(ctx, "POST", "/match", match); err != nil || resp.StatusCode != 200 {
				b.Fatalf("warm /match: %v %v", resp.StatusCode, err)
			}
		}
		warm += float64(time.Since(start).Microseconds()) / 1000 / warmRuns
		peak, err := e.PeakRSS()
		if err != nil {
			b.Fatal(err)
		}
		rss = max(rss, float64(peak)/(1<<20))
		e.Close()
		cancel()
	}
	n := float64(b.N)
	b.ReportMetric(cold/n, "cold_ms")
	b.ReportMetric(initMs/n, "init_ms")
	b.ReportMetric(execMs/n, "emulator_start_ms")
	b.ReportMetric(loadMs/n, "model_load_ms")
	b.ReportMetric(warm/n, "warm_ms")
	b.ReportMetric(rss, "peak_rss_MiB")
}
