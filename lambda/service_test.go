package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/matchertest"
	"github.com/jobmatch/jobmatch/sbert"
	"github.com/jobmatch/jobmatch/sbert/sberttest"
	"github.com/jobmatch/jobmatch/yake"
)

const (
	jobText    = "We are hiring a data scientist with strong Python, machine learning and SQL skills. Experience with deep learning, statistics and cloud platforms such as AWS is a plus."
	resumeText = "Data scientist with five years of Python and SQL. Built machine learning models for churn prediction; statistics background; some AWS."
)

type testService struct {
	*Service
	logs  *bytes.Buffer
	loads int
}

func newTestService(t *testing.T, loadErrs ...error) *testService {
	t.Helper()
	ts := &testService{logs: new(bytes.Buffer)}
	ts.Service = New(Options{
		ModelDir: "/model",
		Logger:   slog.New(slog.NewJSONHandler(ts.logs, nil)),
		Load: func(ctx context.Context, dir string) (matcher.Embedder, error) {
			ts.loads++
			if ts.loads <= len(loadErrs) && loadErrs[ts.loads-1] != nil {
				return nil, loadErrs[ts.loads-1]
			}
			return matchertest.HashEmbedder{}, nil
		},
	})
	return ts
}

func event(method, path, body string) events.APIGatewayV2HTTPRequest {
	var req events.APIGatewayV2HTTPRequest
	req.RawPath = path
	req.RequestContext.HTTP.Method = method
	req.RequestContext.Stage = "$default"
	req.Body = body
	return req
}

func matchBody(t *testing.T, fields map[string]any) string {
	t.Helper()
	b, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func invoke(t *testing.T, s *testService, req events.APIGatewayV2HTTPRequest) (int, map[string]any) {
	t.Helper()
	resp, err := s.Handle(context.Background(), req)
	if err != nil {
		t.Fatalf("Handle returned an error: %v", err)
	}
	if ct := resp.Headers["Content-Type"]; ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatalf("response body is not a JSON object: %v\n%s", err, resp.Body)
	}
	return resp.StatusCode, body
}

func TestMatchRoute(t *testing.T) {
	s := newTestService(t)
	status, body := invoke(t, s, event("POST", "/match", matchBody(t, map[string]any{"resume": resumeText, "job": jobText})))
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, body)
	}
	score, ok := body["score"].(float64)
	if !ok || score <= 0 || score > 1 {
		t.Errorf("score = %v, want a number in (0, 1]", body["score"])
	}
	matched, _ := body["matched"].([]any)
	if len(matched) == 0 {
		t.Fatalf("no matched keywords: %v", body)
	}
	for _, k := range matched {
		if kw, _ := k.(map[string]any)["keyword"].(string); kw == "" {
			t.Errorf("matched entry without keyword: %v", k)
		}
	}
	if _, ok := body["missing"].([]any); !ok {
		t.Errorf("missing is not a list: %v", body["missing"])
	}

	// Per-request settings reach the matcher and come back in the settings.
	status, body = invoke(t, s, event("POST", "/match", matchBody(t, map[string]any{
		"resume": resumeText, "job": jobText, "threshold": 0.99, "job_keywords": 3})))
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, body)
	}
	settings := body["settings"].(map[string]any)
	if settings["threshold"] != 0.99 || settings["job_keywords"] != 3.0 {
		t.Errorf("settings = %v, want threshold 0.99 and job_keywords 3", settings)
	}
	if n := len(body["matched"].([]any)) + len(body["missing"].([]any)); n > 3 {
		t.Errorf("%d job keywords reported, want at most 3", n)
	}
	if s.loads != 1 {
		t.Errorf("model loaded %d times, want once", s.loads)
	}
}

func TestKeywordsAndHealthDoNotLoadTheModel(t *testing.T) {
	s := newTestService(t)
	status, body := invoke(t, s, event("GET", "/health", ""))
	if status != http.StatusOK || body["status"] != "ok" || body["model_loaded"] != false || body["model"] != ModelNotLoaded {
		t.Errorf("health: %d %v", status, body)
	}
	status, body = invoke(t, s, event("POST", "/keywords", `{"text": "`+jobText+`", "top": 5}`))
	if status != http.StatusOK {
		t.Fatalf("keywords: %d %v", status, body)
	}
	kws := body["keywords"].([]any)
	if len(kws) == 0 || len(kws) > 5 {
		t.Errorf("got %d keywords, want 1 to 5: %v", len(kws), kws)
	}
	if s.loads != 0 {
		t.Errorf("model loaded %d times by /health and /keywords", s.loads)
	}
}

func TestBadInput(t *testing.T) {
	long := strings.Repeat("a", DefaultMaxBodyBytes+1)
	tests := []struct {
		name   string
		req    events.APIGatewayV2HTTPRequest
		status int
		reason string
	}{
		{"malformed JSON", event("POST", "/match", `{"resume": "x",`), 400, "malformed JSON"},
		{"not an object", event("POST", "/match", `[1,2]`), 400, "must be"},
		{"missing job", event("POST", "/match", `{"resume": "python"}`), 400, "required"},
		{"wrong type", event("POST", "/match", `{"resume": 3, "job": "python"}`), 400, `"resume" must be string`},
		{"wrong threshold type", event("POST", "/match", `{"resume": "a", "job": "b", "threshold": "high"}`), 400, `"threshold"`},
		{"threshold out of range", event("POST", "/match", `{"resume": "a", "job": "python developer", "threshold": 2}`), 400, "Threshold"},
		{"keyword count out of range", event("POST", "/match", `{"resume": "a", "job": "b", "job_keywords": 0}`), 400, "job_keywords"},
		{"unknown field", event("POST", "/match", `{"resume": "a", "job": "b", "treshold": 0.5}`), 400, "treshold"},
		{"trailing data", event("POST", "/match", `{"resume": "a", "job": "b"} {}`), 400, "more than one"},
		{"trailing bracket", event("POST", "/match", `{"resume": "a", "job": "b"}]`), 400, "after the object"},
		{"trailing brace", event("POST", "/match", `{"resume": "a", "job": "b"} }`), 400, "after the object"},
		{"huge max_ngram", event("POST", "/keywords", `{"text": "a", "max_ngram": 1000000000}`), 400, "MaxNGram"},
		{"max_ngram over the limit", event("POST", "/keywords", `{"text": "a b c", "max_ngram": 11}`), 400, "MaxNGram"},
		{"too large base64", func() events.APIGatewayV2HTTPRequest {
			e := event("POST", "/match", base64.StdEncoding.EncodeToString([]byte(long)))
			e.IsBase64Encoded = true
			return e
		}(), 413, "body over"},
		{"invalid UTF-8", event("POST", "/match", "{\"resume\": \"\xff\", \"job\": \"b\"}"), 400, "UTF-8"},
		{"too large", event("POST", "/match", long), 413, "body over"},
		{"bad base64", func() events.APIGatewayV2HTTPRequest {
			e := event("POST", "/match", "!!!")
			e.IsBase64Encoded = true
			return e
		}(), 400, "base64"},
		{"job without keywords", event("POST", "/match", `{"resume": "python", "job": "... !!! ---"}`), 422, "no keywords"},
		{"keywords without text", event("POST", "/keywords", `{}`), 400, "required"},
		{"keywords bad language type", event("POST", "/keywords", `{"text": "a", "language": 1}`), 400, `"language"`},
		{"wrong method", event("GET", "/match", ""), 405, "takes POST"},
		{"unknown route", event("POST", "/nope", "{}"), 404, "no route"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestService(t)
			status, body := invoke(t, s, tt.req)
			if status != tt.status {
				t.Errorf("status = %d, want %d (%v)", status, tt.status, body)
			}
			if msg, _ := body["error"].(string); !strings.Contains(msg, tt.reason) {
				t.Errorf("error = %q, want it to mention %q", msg, tt.reason)
			}
		})
	}
}

func TestBase64Body(t *testing.T) {
	s := newTestService(t)
	e := event("POST", "/match", base64.StdEncoding.EncodeToString([]byte(matchBody(t, map[string]any{"resume": resumeText, "job": jobText}))))
	e.IsBase64Encoded = true
	if status, body := invoke(t, s, e); status != http.StatusOK {
		t.Errorf("status %d: %v", status, body)
	}
}

func TestNamedStagePrefix(t *testing.T) {
	s := newTestService(t)
	e := event("GET", "/prod/health", "")
	e.RequestContext.Stage = "prod"
	if status, body := invoke(t, s, e); status != http.StatusOK {
		t.Errorf("status %d: %v", status, body)
	}
}

func TestModelLoadFailureIsRetried(t *testing.T) {
	s := newTestService(t, errors.New("no such file: model.safetensors"))
	req := event("POST", "/match", matchBody(t, map[string]any{"resume": resumeText, "job": jobText}))
	status, body := invoke(t, s, req)
	if status != http.StatusServiceUnavailable {
		t.Fatalf("first request: status %d, want 503 (%v)", status, body)
	}
	if !strings.Contains(s.logs.String(), "model.safetensors") {
		t.Errorf("the log does not give the reason:\n%s", s.logs)
	}
	status, health := invoke(t, s, event("GET", "/health", ""))
	if status != http.StatusOK || health["status"] != "degraded" || health["model"] != ModelFailed || health["model_loaded"] != false {
		t.Errorf("health after a failed load: %d %v, want 200, degraded, model %q", status, health, ModelFailed)
	}
	if status, body = invoke(t, s, req); status != http.StatusOK {
		t.Fatalf("second request: status %d, want 200 (%v)", status, body)
	}
	if _, health = invoke(t, s, event("GET", "/health", "")); health["status"] != "ok" || health["model"] != ModelLoaded || health["model_loaded"] != true {
		t.Errorf("health after a load: %v, want ok, model %q", health, ModelLoaded)
	}
	if s.loads != 2 {
		t.Errorf("loads = %d, want 2", s.loads)
	}
}

func TestColdWarmLog(t *testing.T) {
	s := newTestService(t)
	req := event("POST", "/match", matchBody(t, map[string]any{"resume": resumeText, "job": jobText}))
	invoke(t, s, req)
	invoke(t, s, req)
	var colds []bool
	var loadLogged bool
	for _, line := range strings.Split(strings.TrimSpace(s.logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		switch rec["msg"] {
		case "invocation":
			colds = append(colds, rec["cold"].(bool))
		case "model loaded":
			_, loadLogged = rec["load_ms"].(float64)
		}
	}
	if len(colds) != 2 || !colds[0] || colds[1] {
		t.Errorf("cold flags = %v, want [true false]", colds)
	}
	if !loadLogged {
		t.Errorf("no model load time in the log:\n%s", s.logs)
	}
}

func TestDeadline(t *testing.T) {
	s := newTestService(t)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	resp, err := s.Handle(ctx, event("POST", "/match", matchBody(t, map[string]any{"resume": resumeText, "job": jobText})))
	if err != nil || resp.StatusCode != http.StatusGatewayTimeout {
		t.Errorf("status %d, err %v; want 504", resp.StatusCode, err)
	}
}

func TestServeHTTP(t *testing.T) {
	s := newTestService(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	post := func(path, body string) (int, map[string]any) {
		return postForm(t, srv.URL+path, "application/json", []byte(body))
	}
	if status, body := post("/match", matchBody(t, map[string]any{"resume": resumeText, "job": jobText})); status != 200 || body["score"] == nil {
		t.Errorf("match: %d %v", status, body)
	}
	if status, _ := post("/match", strings.Repeat("x", DefaultMaxBodyBytes+10)); status != http.StatusRequestEntityTooLarge {
		t.Errorf("large body: status %d, want 413", status)
	}
	if status, _ := post("/match", "{"); status != http.StatusBadRequest {
		t.Errorf("bad JSON: status %d, want 400", status)
	}
}

func FuzzHandle(f *testing.F) {
	f.Add("POST", "/match", `{"resume": "python", "job": "python developer"}`, false)
	f.Add("POST", "/keywords", `{"text": "go"}`, false)
	f.Add("GET", "/health", "", false)
	f.Add("POST", "/match", "eyJqb2IiOiAxfQ==", true)
	f.Add("POST", "/prod/keywords", `{"text": "go developer", "max_ngram": 10, "top": 200}`, false)
	f.Add("GET", "/prod/health", "", false)
	f.Add("GET", "/", "", false)
	f.Add("GET", "/prod/", "", false)
	s := New(Options{ModelDir: "/m", Logger: slog.New(slog.DiscardHandler),
		Load: func(context.Context, string) (matcher.Embedder, error) { return matchertest.HashEmbedder{}, nil }})
	f.Fuzz(func(t *testing.T, method, path, body string, b64 bool) {
		req := event(method, path, body)
		req.IsBase64Encoded = b64
		if strings.HasPrefix(path, "/prod") {
			req.RequestContext.Stage = "prod"
		}
		req.RequestContext.HTTP.Path = path
		resp, err := s.Handle(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode >= 500 {
			t.Fatalf("input %q %q %q gave %d: %s", method, path, body, resp.StatusCode, resp.Body)
		}
		if resp.Headers["Content-Type"] == thePage.headers["Content-Type"] {
			// Only the page is HTML, and it is always the same document.
			if method != http.MethodGet || resp.Body != string(thePage.body) {
				t.Fatalf("%s %q answered HTML that is not the page (%d bytes)", method, path, len(resp.Body))
			}
			return
		}
		if !json.Valid([]byte(resp.Body)) {
			t.Fatalf("response is not JSON: %.300s", resp.Body)
		}
		if len(resp.Body) > maxAnswer(len(body)) {
			t.Fatalf("answer of %d bytes to a body of %d", len(resp.Body), len(body))
		}
	})
}

func TestOptionsFromEnv(t *testing.T) {
	tests := []struct {
		env     map[string]string
		want    Options
		wantErr string
	}{
		{map[string]string{"LAMBDA_TASK_ROOT": "/var/task"}, Options{ModelDir: "/var/task/model"}, ""},
		{map[string]string{"LAMBDA_TASK_ROOT": "/var/task", EnvModelDir: "/opt/model"}, Options{ModelDir: "/opt/model"}, ""},
		{map[string]string{EnvModelDir: "/m", EnvInt8: "1"}, Options{ModelDir: "/m", Int8: true}, ""},
		{map[string]string{EnvModelDir: "/m", EnvInt8: "true"}, Options{ModelDir: "/m", Int8: true}, ""},
		{map[string]string{EnvModelDir: "/m", EnvInt8: "false"}, Options{ModelDir: "/m"}, ""},
		{map[string]string{EnvModelDir: "/m", EnvInt8: "yes"}, Options{}, EnvInt8 + `="yes"`},
	}
	for _, tt := range tests {
		got, err := OptionsFromEnv(func(k string) string { return tt.env[k] })
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: error %v, want one with %q", tt.env, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%v: %v", tt.env, err)
		case got.ModelDir != tt.want.ModelDir || got.Int8 != tt.want.Int8:
			t.Errorf("%v: ModelDir %q, Int8 %v; want %q, %v", tt.env, got.ModelDir, got.Int8, tt.want.ModelDir, tt.want.Int8)
		}
	}
}

// TestInt8Warning checks that a Service asked for int8 warns in its log on
// a CPU where int8 runs in portable Go, and only there.
func TestInt8Warning(t *testing.T) {
	for _, int8 := range []bool{false, true} {
		var logs bytes.Buffer
		New(Options{ModelDir: "/m", Int8: int8, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		want := int8 && !sbert.Int8Accelerated()
		if got := strings.Contains(logs.String(), "level=WARN") && strings.Contains(logs.String(), EnvInt8); got != want {
			t.Errorf("Int8 %v, Int8Accelerated %v: logged %q; want a warning: %v", int8, sbert.Int8Accelerated(), logs.String(), want)
		}
	}
}

// TestInt8Option checks that Options.Int8 reaches the model loader.
func TestInt8Option(t *testing.T) {
	dir := sberttest.ModelDir(t)
	for _, int8 := range []bool{false, true} {
		s := New(Options{ModelDir: dir, Int8: int8, Logger: slog.New(slog.DiscardHandler)})
		if err := s.Warm(context.Background()); err != nil {
			t.Fatal(err)
		}
		m, ok := s.model.Load().embedder.(*sbert.Model)
		if !ok {
			t.Fatalf("the loaded embedder is a %T, want *sbert.Model", s.model.Load().embedder)
		}
		if m.Int8() != int8 {
			t.Errorf("Options.Int8 %v: the model's Int8 is %v", int8, m.Int8())
		}
	}
}

// TestWarmUpText checks that the text loadModel detects the language of
// while the model loads is long enough for detection to use its index.
func TestWarmUpText(t *testing.T) {
	if lang, _ := yake.DetectLanguage(warmUpText); lang != "en" {
		t.Errorf("DetectLanguage(warmUpText) = %q, want en: too short to consult the index", lang)
	}
}
