// Command attack replays, as an outsider would, the requests that once
// crashed, stalled or ballooned the jobmatch service (issue 12), against a
// server on this machine (examples/server) or the Lambda function under the
// Runtime Interface Emulator, checks that each gets a clear 4xx or a bounded
// answer and that the service is still up afterwards, and prints a Markdown
// table.
//
//	go run ./examples/attack -server http://127.0.0.1:8080
//	go run ./examples/attack -lambda http://127.0.0.1:9001/2015-03-31/functions/function/invocations
//
// scripts/attack.sh starts both and runs it against each. It refuses any
// host but loopback; every attack is bounded in requests, bytes and time
// (-max-duration for each), and the whole run stops by itself. The exit
// status is 1 if any attack got an answer it should not have.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/jobmatch/jobmatch/examples/internal/cli"
)

func main() {
	server := flag.String("server", "", "base URL of an examples/server (loopback only)")
	lambdaURL := flag.String("lambda", "", "invocation URL of the function under the Runtime Interface Emulator (loopback only)")
	jobFile := flag.String("job", "examples/testdata/job.txt", "a real job description")
	maxDur := flag.Duration("max-duration", 60*time.Second, "longest time for one attack")
	flag.Parse()
	job, err := os.ReadFile(*jobFile)
	if err == nil {
		var rows []row
		rows, err = run(context.Background(), *server, *lambdaURL, string(job), *maxDur)
		printTable(os.Stdout, rows)
		if err == nil && failed(rows) > 0 {
			err = fmt.Errorf("%d attacks got an answer they should not have", failed(rows))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "attack:", err)
		os.Exit(1)
	}
}

// row is one attack's outcome against one target.
type row struct {
	target, attack, want string
	got                  string // status codes, or what happened
	answerBytes          int
	took                 time.Duration
	ok                   bool
}

func failed(rows []row) int {
	n := 0
	for _, r := range rows {
		if !r.ok {
			n++
		}
	}
	return n
}

func run(ctx context.Context, server, lambdaURL, job string, maxDur time.Duration) ([]row, error) {
	var targets []target
	if server != "" {
		if err := cli.Loopback(server); err != nil {
			return nil, err
		}
		targets = append(targets, &httpTarget{base: strings.TrimRight(server, "/"), client: &http.Client{Timeout: maxDur}})
	}
	if lambdaURL != "" {
		if err := cli.Loopback(lambdaURL); err != nil {
			return nil, err
		}
		targets = append(targets, &lambdaTarget{url: lambdaURL, client: &http.Client{Timeout: maxDur}})
	}
	if len(targets) == 0 {
		return nil, errors.New("give -server, -lambda or both")
	}
	var rows []row
	for _, t := range targets {
		for _, a := range attacks(job) {
			actx, cancel := context.WithTimeout(ctx, maxDur)
			start := time.Now()
			r := a.run(actx, t)
			cancel()
			r.target, r.attack, r.want, r.took = t.name(), a.name, a.want, time.Since(start)
			rows = append(rows, r)
		}
		// Still up, and answering normally, after all of it?
		start := time.Now()
		st, body, err := t.do(ctx, http.MethodPost, "/match", matchBody(job, "Data scientist: Python, SQL, machine learning, A/B tests.", nil), false)
		r := check(st, body, err)(http.StatusOK)
		r.target, r.attack, r.want, r.took = t.name(), "a normal /match after every attack", "200", time.Since(start)
		rows = append(rows, r)
	}
	return rows, nil
}

func outcome(status int, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return fmt.Sprint(status)
}

// target is a way to reach the service.
type target interface {
	name() string
	// do sends one request and returns the status and the answer's body.
	do(ctx context.Context, method, path string, body []byte, b64 bool) (int, []byte, error)
	// http returns the base URL of a plain HTTP server, "" for Lambda
	// (where API Gateway buffers requests, so byte-level attacks on the
	// connection do not reach the function).
	http() string
}

type httpTarget struct {
	base   string
	client *http.Client
}

func (t *httpTarget) name() string { return "server" }
func (t *httpTarget) http() string { return t.base }

func (t *httpTarget) do(ctx context.Context, method, path string, body []byte, _ bool) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, t.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	// An answer is read to its end, but never more than 256 MiB of it.
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	return resp.StatusCode, b, err
}

type lambdaTarget struct {
	url    string
	client *http.Client
}

func (t *lambdaTarget) name() string { return "lambda (emulator)" }
func (t *lambdaTarget) http() string { return "" }

func (t *lambdaTarget) do(ctx context.Context, method, path string, body []byte, b64 bool) (int, []byte, error) {
	var ev events.APIGatewayV2HTTPRequest
	ev.Version, ev.RouteKey, ev.RawPath = "2.0", "$default", path
	ev.RequestContext.HTTP.Method, ev.RequestContext.HTTP.Path, ev.RequestContext.Stage = method, path, "$default"
	// API Gateway sends bodies that are not UTF-8 text as base64.
	b64 = b64 || !utf8.Valid(body)
	ev.Body, ev.IsBase64Encoded = string(body), b64
	if b64 {
		ev.Body = base64.StdEncoding.EncodeToString(body)
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(payload))
	if err != nil {
		return 0, nil, err
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return 0, nil, err
	}
	var out events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(raw, &out); err != nil || out.StatusCode == 0 {
		return 0, raw, fmt.Errorf("not a function response (HTTP %d): %.200s", resp.StatusCode, raw)
	}
	return out.StatusCode, []byte(out.Body), nil
}

// attack is one way in, and what a sound service answers.
type attack struct {
	name, want string
	run        func(ctx context.Context, t target) row
}

// attacks returns the list of issue 12 and more of their kind. job is a
// real job description.
func attacks(job string) []attack {
	longSentence := strings.TrimSpace(strings.Repeat("alpha beta gamma delta epsilon zeta eta theta iota kappa ", 200))
	return []attack{
		request("max_ngram 1e9 on /keywords (35 bytes)", "/keywords", []byte(`{"text":"a","max_ngram":1000000000}`), 400),
		request("max_ngram 1e7 on /keywords", "/keywords", []byte(`{"text":"a b c","max_ngram":10000000}`), 400),
		request("max_ngram 10 on a 2,000-word sentence", "/keywords", mustJSON(map[string]any{"text": longSentence, "max_ngram": 10, "top": 200}), 200),
		request("resume of one 1 MB word, 200 job keywords", "/match", matchBody(job, strings.Repeat("a", 1<<20), map[string]any{"job_keywords": 200, "resume_keywords": 200}), 200),
		request("/keywords of one 1 MB word", "/keywords", mustJSON(map[string]any{"text": strings.Repeat("b", 1<<20-16), "top": 200}), 200),
		request("body over the limit (3 MB)", "/match", matchBody(job, strings.Repeat("python ", 3<<20/7), nil), 413),
		request("data after the object: ]", "/match", append(matchBody(job, "python", nil), ']'), 400),
		request("data after the object: }", "/match", append(matchBody(job, "python", nil), '}'), 400),
		request("JSON nested 100,000 deep", "/match", []byte(strings.Repeat("[", 100000)+strings.Repeat("]", 100000)), 400),
		request("invalid UTF-8", "/match", []byte("{\"resume\":\"\xff\xfe\",\"job\":\"python\"}"), 400),
		request("threshold NaN-like string", "/match", []byte(`{"resume":"a","job":"python","threshold":"NaN"}`), 400),
		request("job_keywords 1e9", "/match", matchBody(job, "python", map[string]any{"job_keywords": 1000000000}), 400),
		request("empty resume", "/match", matchBody(job, "", nil), 200),
		request("/rank of 101 resumes (one over the limit)", "/rank", rankBody(job, slices.Repeat([]string{"python"}, 101)), 413),
		request("/rank of 5 resumes of one 300 kB word", "/rank", rankBody(job, slices.Repeat([]string{strings.Repeat("c", 300<<10)}, 5)), 200),
		request("/rank of a resume without text", "/rank", []byte(`{"job":"python developer","resumes":[{"name":"a"}]}`), 400),
		request("job of only punctuation", "/match", matchBody("... !!! ---", "python", nil), 422),
		{name: "base64 body over the limit", want: "413", run: func(ctx context.Context, t target) row {
			if t.http() != "" {
				return row{got: "n/a (HTTP bodies are not base64)", ok: true}
			}
			return check(t.do(ctx, http.MethodPost, "/match", matchBody(job, strings.Repeat("python ", 3<<20/7), nil), true))(413)
		}},
		{name: "17 thresholds in turn (the cache is kept)", want: "200 each", run: func(ctx context.Context, t target) row {
			var r row
			statuses := map[int]int{}
			for i := range 17 {
				st, body, err := t.do(ctx, http.MethodPost, "/match", matchBody(job, "Python, SQL and machine learning for churn.", map[string]any{"threshold": 0.4 + float64(i)/100}), false)
				if err != nil {
					return row{got: outcome(st, err)}
				}
				if len(body) > maxAnswer {
					st = -1 // counted as "answer too large"
				}
				statuses[st]++
				r.answerBytes = max(r.answerBytes, len(body))
			}
			r.got, r.ok = fmt.Sprint(statuses), statuses[200] == 17
			return r
		}},
		{name: "3 clients sending a 100 kB body at 1 byte/s; /health and /match meanwhile", want: "health and match answered in < 2 s; senders cut off with 408", run: slowSenders},
		{name: "8 clients that never read their answers; /match meanwhile", want: "200 in < 5 s", run: nonReaders(job)},
		{name: "128 kB of headers", want: "431", run: func(ctx context.Context, t target) row {
			if t.http() == "" {
				return row{got: "n/a (API Gateway limits headers)", ok: true}
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, t.http()+"/health", nil)
			req.Header.Set("X-Big", strings.Repeat("h", 128<<10))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return row{got: outcome(0, err)}
			}
			resp.Body.Close()
			return row{got: fmt.Sprint(resp.StatusCode), ok: resp.StatusCode == http.StatusRequestHeaderFieldsTooLarge}
		}},
	}
}

// request is an attack of one request answered with status want.
func request(name, path string, body []byte, want int) attack {
	return attack{name: name, want: fmt.Sprint(want), run: func(ctx context.Context, t target) row {
		return check(t.do(ctx, http.MethodPost, path, body, false))(want)
	}}
}

// maxAnswer is the largest answer accepted to any request: answers are
// bounded by the keyword counts, not by the texts.
const maxAnswer = 256 << 10

func check(status int, body []byte, err error) func(want int) row {
	return func(want int) row {
		r := row{got: outcome(status, err), answerBytes: len(body)}
		r.ok = err == nil && status == want && len(body) <= maxAnswer && json.Valid(body)
		if err == nil && len(body) > maxAnswer {
			r.got += " (answer too large)"
		}
		return r
	}
}

func matchBody(job, resume string, extra map[string]any) []byte {
	m := map[string]any{"job": job, "resume": resume}
	for k, v := range extra {
		m[k] = v
	}
	return mustJSON(m)
}

// rankBody is the body of POST /rank for job and the resumes.
func rankBody(job string, resumes []string) []byte {
	rs := make([]map[string]string, len(resumes))
	for i, r := range resumes {
		rs[i] = map[string]string{"name": fmt.Sprintf("r%d.txt", i), "text": r}
	}
	return mustJSON(map[string]any{"job": job, "resumes": rs})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of strings and numbers are marshalled
	}
	return b
}

// slowSenders opens 3 connections that declare a 100 kB body and send it a
// byte a second, then times /health and a normal /match beside them.
func slowSenders(ctx context.Context, t target) row {
	if t.http() == "" {
		return row{got: "n/a (API Gateway buffers request bodies)", ok: true}
	}
	host := strings.TrimPrefix(t.http(), "http://")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer func() { close(stop); wg.Wait() }()
	for range 3 {
		c, err := net.Dial("tcp", host)
		if err != nil {
			return row{got: outcome(0, err)}
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "POST /match HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n", host)
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
				select {
				case <-tick.C:
				case <-stop:
					return
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	st1, _, err1 := t.do(ctx, http.MethodGet, "/health", nil, false)
	health := time.Since(start)
	start = time.Now()
	st2, body, err2 := t.do(ctx, http.MethodPost, "/match", matchBody("Python and SQL for machine learning.", "Python developer.", nil), false)
	match := time.Since(start)
	// The senders must be cut off: each gets an answer (408) and a closed
	// connection, well before their 100 s of body.
	cut := 0
	deadline := time.Now().Add(20 * time.Second)
	for _, c := range conns {
		c.SetReadDeadline(deadline)
		b, _ := io.ReadAll(io.LimitReader(c, 4096))
		if bytes.Contains(b, []byte(" 408 ")) {
			cut++
		}
	}
	r := row{answerBytes: len(body)}
	r.got = fmt.Sprintf("health %s in %v, match %s in %v, %d of 3 senders got 408",
		outcome(st1, err1), health.Round(time.Millisecond), outcome(st2, err2), match.Round(time.Millisecond), cut)
	r.ok = err1 == nil && err2 == nil && st1 == 200 && st2 == 200 && health < 2*time.Second && match < 2*time.Second && cut == 3 && len(body) <= maxAnswer
	return r
}

// nonReaders sends 8 requests whose answers are never read, then times a
// normal /match.
func nonReaders(job string) func(ctx context.Context, t target) row {
	return func(ctx context.Context, t target) row {
		if t.http() == "" {
			return row{got: "n/a (API Gateway reads answers)", ok: true}
		}
		host := strings.TrimPrefix(t.http(), "http://")
		body := matchBody(job, strings.Repeat("Python SQL statistics ", 200), map[string]any{"job_keywords": 200})
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for range 8 {
			c, err := net.Dial("tcp", host)
			if err != nil {
				return row{got: outcome(0, err)}
			}
			conns = append(conns, c)
			fmt.Fprintf(c, "POST /match HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", host, len(body))
			c.Write(body)
		}
		start := time.Now()
		st, answer, err := t.do(ctx, http.MethodPost, "/match", matchBody(job, "Python developer with SQL.", nil), false)
		took := time.Since(start)
		r := row{answerBytes: len(answer), got: fmt.Sprintf("%s in %v", outcome(st, err), took.Round(time.Millisecond))}
		r.ok = err == nil && st == 200 && took < 5*time.Second && len(answer) <= maxAnswer
		return r
	}
}

func printTable(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| target | attack | expected | got | answer bytes | time | ok |")
	fmt.Fprintln(w, "|---|---|---|---|---:|---:|---|")
	for _, r := range rows {
		ok := "yes"
		if !r.ok {
			ok = "**NO**"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %d | %v | %s |\n", r.target, r.attack, r.want, r.got, r.answerBytes, r.took.Round(time.Millisecond), ok)
	}
}
