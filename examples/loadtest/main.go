// Command loadtest sends a bounded load of identical requests to a jobmatch
// server on this machine (examples/server) and prints requests per second
// and latency percentiles per concurrency level as a Markdown table. Every
// answer must be 200 and identical to the answer to a single request.
//
//	go run ./examples/loadtest -url http://127.0.0.1:8080/match -body request.json -c 1,8,64 -n 400
//
// It refuses any host but loopback, and each level stops after -n requests
// or -max-duration, whichever comes first.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jobmatch/jobmatch/examples/internal/cli"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/match", "endpoint to POST to (loopback only)")
	bodyFile := flag.String("body", "", "file with the JSON request body")
	levels := flag.String("c", "1,8,64", "comma-separated concurrency levels")
	n := flag.Int("n", 200, "requests per level (at most 100000)")
	maxDur := flag.Duration("max-duration", 60*time.Second, "longest time per level")
	flag.Parse()
	if err := run(*target, *bodyFile, *levels, *n, *maxDur); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(target, bodyFile, levelList string, n int, maxDur time.Duration) error {
	if err := cli.Loopback(target); err != nil {
		return err
	}
	if n < 1 || n > 100000 {
		return fmt.Errorf("-n %d: must be between 1 and 100000", n)
	}
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		return err
	}
	var levels []int
	for _, f := range strings.Split(levelList, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 || c > 1024 {
			return fmt.Errorf("-c: bad level %q", f)
		}
		levels = append(levels, c)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1024}, Timeout: time.Minute}
	want, _, err := post(client, target, body)
	if err != nil {
		return fmt.Errorf("single request: %w", err)
	}
	fmt.Println("| clients | requests | req/s | p50 ms | p99 ms | errors |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|")
	for _, c := range levels {
		ctx, cancel := context.WithTimeout(context.Background(), maxDur)
		var next, errs atomic.Int64
		var mu sync.Mutex
		var lat []time.Duration
		var firstErr error
		start := time.Now()
		var wg sync.WaitGroup
		for range c {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil && next.Add(1) <= int64(n) {
					got, d, err := post(client, target, body)
					if err == nil && !bytes.Equal(got, want) {
						err = errors.New("answer differs from the single request's")
					}
					mu.Lock()
					if err != nil {
						errs.Add(1)
						if firstErr == nil {
							firstErr = err
						}
					} else {
						lat = append(lat, d)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		cancel()
		slices.Sort(lat)
		done := len(lat) + int(errs.Load())
		fmt.Printf("| %d | %d | %.1f | %.2f | %.2f | %d |\n", c, done, float64(done)/elapsed.Seconds(),
			ms(pct(lat, 0.50)), ms(pct(lat, 0.99)), errs.Load())
		if firstErr != nil {
			return fmt.Errorf("%d clients: %d errors, first: %w", c, errs.Load(), firstErr)
		}
	}
	return nil
}

func post(client *http.Client, target string, body []byte) ([]byte, time.Duration, error) {
	start := time.Now()
	resp, err := client.Post(target, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	d := time.Since(start)
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	return b, d, nil
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
