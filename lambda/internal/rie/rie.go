//go:build unix

// Package rie runs a Lambda bootstrap under the AWS Lambda Runtime Interface
// Emulator on loopback, for end-to-end tests and the cold-start benchmark.
package rie

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// EnvVar names the environment variable that holds the path of the
// aws-lambda-rie binary (./scripts/aws-lambda-rie builds it and prints its path).
const EnvVar = "JOBMATCH_RIE"

// Emulator is a running aws-lambda-rie with one bootstrap.
type Emulator struct {
	URL     string
	cmd     *exec.Cmd
	logs    syncBuffer
	started time.Time
}

// BuildBootstrap builds ./lambda/cmd/bootstrap of the module rooted at
// moduleDir into dir and returns the binary's path.
func BuildBootstrap(ctx context.Context, moduleDir, dir string) (string, error) {
	out := filepath.Join(dir, "bootstrap")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./lambda/cmd/bootstrap")
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("rie: build bootstrap: %v\n%s", err, b)
	}
	return out, nil
}

// Start runs the emulator with bootstrap and the extra environment env, and
// waits until it accepts connections. The function itself starts (its init
// phase) on the first invocation, as the emulator does.
func Start(ctx context.Context, riePath, bootstrap string, env ...string) (*Emulator, error) {
	apiPort, err := freePort()
	if err != nil {
		return nil, err
	}
	riePort, err := freePort()
	if err != nil {
		return nil, err
	}
	e := &Emulator{URL: "http://127.0.0.1:" + strconv.Itoa(riePort)}
	e.cmd = exec.Command(riePath,
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(apiPort),
		"--runtime-interface-emulator-address", "127.0.0.1:"+strconv.Itoa(riePort),
		bootstrap)
	e.cmd.Env = append(os.Environ(), env...)
	e.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	e.cmd.Stdout = &e.logs
	e.cmd.Stderr = &e.logs
	e.started = time.Now()
	if err := e.cmd.Start(); err != nil {
		return nil, fmt.Errorf("rie: start %s: %w", riePath, err)
	}
	for {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(riePort))
		if err == nil {
			c.Close()
			return e, nil
		}
		select {
		case <-ctx.Done():
			e.Close()
			return nil, fmt.Errorf("rie: emulator did not listen: %w\n%s", ctx.Err(), e.Logs())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// Started is when the emulator process was started.
func (e *Emulator) Started() time.Time { return e.started }

// Invoke sends one API Gateway HTTP API (v2) event and returns the function's
// response.
func (e *Emulator) Invoke(ctx context.Context, method, path, body string) (events.APIGatewayV2HTTPResponse, error) {
	var ev events.APIGatewayV2HTTPRequest
	ev.Version = "2.0"
	ev.RouteKey = "$default"
	ev.RawPath = path
	ev.RequestContext.HTTP.Method = method
	ev.RequestContext.HTTP.Path = path
	ev.RequestContext.Stage = "$default"
	ev.Body = body
	payload, err := json.Marshal(ev)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	raw, err := e.InvokeRaw(ctx, payload)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var out events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(raw, &out); err != nil || out.StatusCode == 0 {
		return out, fmt.Errorf("rie: invoke: not a function response: %s", raw)
	}
	return out, nil
}

// InvokeRaw sends any event and returns what the emulator answers: the
// function's result, or its error as Lambda reports it (errorType,
// errorMessage).
func (e *Emulator) InvokeRaw(ctx context.Context, payload []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL+"/2015-03-31/functions/function/invocations", bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("rie: invoke: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("rie: invoke: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return raw, fmt.Errorf("rie: invoke: HTTP %d: %s", resp.StatusCode, raw)
	}
	return raw, nil
}

// Logs returns everything the emulator and the function printed so far.
func (e *Emulator) Logs() string { return e.logs.String() }

// PeakRSS returns the peak resident set size in bytes of the function's
// process (the emulator's child), from /proc.
func (e *Emulator) PeakRSS() (int64, error) {
	var peak int64
	for _, pid := range e.children() {
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(status), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				peak = max(peak, kb*1024)
			}
		}
	}
	if peak == 0 {
		return 0, fmt.Errorf("rie: no function process found")
	}
	return peak, nil
}

// children lists the emulator's child processes: the function runs in one,
// in a process group of its own.
func (e *Emulator) children() []int {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", e.cmd.Process.Pid))
	var pids []int
	for _, t := range tasks {
		b, _ := os.ReadFile(t)
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

// Close stops the emulator and the function.
func (e *Emulator) Close() error {
	if e.cmd.Process == nil {
		return nil
	}
	for _, pid := range e.children() {
		syscall.Kill(-pid, syscall.SIGKILL)
		syscall.Kill(pid, syscall.SIGKILL)
	}
	syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
	e.cmd.Wait()
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("rie: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
