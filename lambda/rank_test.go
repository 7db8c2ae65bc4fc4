package lambda

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/matchertest"
)

const chefResume = "Head chef with ten years in French restaurants. Menu planning, kitchen staff training, food safety and cost control."

func rankBody(t *testing.T, job string, texts ...string) string {
	t.Helper()
	var rs []map[string]any
	for i, text := range texts {
		rs = append(rs, map[string]any{"name": fmt.Sprintf("r%d.txt", i), "text": text})
	}
	return matchBody(t, map[string]any{"job": job, "resumes": rs})
}

func TestRankRoute(t *testing.T) {
	job, err := os.ReadFile("../examples/testdata/job.txt")
	if err != nil {
		t.Fatal(err)
	}
	sample, err := os.ReadFile("../examples/testdata/resume.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := newTestService(t)
	tooLarge := strings.Repeat("python ", matcher.DefaultConfig().MaxTextBytes/7+1)
	texts := []string{chefResume, "", tooLarge, string(sample), resumeText}
	resp, err := s.Handle(context.Background(), event("POST", "/rank", rankBody(t, string(job), texts...)))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v: %.300s", resp.StatusCode, err, resp.Body)
	}
	var out RankResponse
	if err := json.Unmarshal([]byte(resp.Body), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Results) != len(texts) {
		t.Fatalf("%d results for %d resumes", len(out.Results), len(texts))
	}
	var order []int
	for i, r := range out.Results {
		order = append(order, r.Index)
		if r.Name != fmt.Sprintf("r%d.txt", r.Index) {
			t.Errorf("result %d: name %q for resume %d", i, r.Name, r.Index)
		}
		if i > 0 && r.Error == "" && r.Score > out.Results[i-1].Score {
			t.Errorf("result %d scores %g, more than the one before it (%g)", i, r.Score, out.Results[i-1].Score)
		}
		if r.Error != "" {
			continue
		}
		// Each result is what /match says of the same pair.
		status, single := invoke(t, s, event("POST", "/match", matchBody(t, map[string]any{"job": string(job), "resume": texts[r.Index]})))
		if status != http.StatusOK || single["score"] != r.Score {
			t.Errorf("resume %d: /rank scores %g, /match %v (%d)", r.Index, r.Score, single["score"], status)
		}
		for _, sp := range r.Spans {
			got, want := texts[r.Index][sp.Start:sp.End], r.Matched[sp.Phrase].Resume
			if !strings.EqualFold(strings.Join(strings.Fields(got), " "), want) && !strings.Contains(strings.ToLower(got), strings.ToLower(strings.Fields(want)[0])) {
				t.Errorf("resume %d: span %q for counterpart %q", r.Index, got, want)
			}
		}
	}
	if last := out.Results[len(texts)-1]; last.Index != 2 || !strings.Contains(last.Error, "limit") || last.Score != 0 {
		t.Errorf("the resume over MaxTextBytes: %+v, want it last with an error", last)
	}
	if order[0] != 3 && order[0] != 4 {
		t.Errorf("order %v: want a data-science resume first", order)
	}
	if r := out.Results[slices.IndexFunc(out.Results, func(r RankResult) bool { return r.Index == 3 })]; len(r.Spans) == 0 {
		t.Errorf("the sample resume has no highlighted spans: %+v", r)
	}
	if len(out.Job.Keywords) != out.Settings.JobKeywords || len(out.Job.Spans) < len(out.Job.Keywords)/2 {
		t.Errorf("job: %d keywords (settings %d), %d spans", len(out.Job.Keywords), out.Settings.JobKeywords, len(out.Job.Spans))
	}
	for _, sp := range out.Job.Spans {
		if got := string(job[sp.Start:sp.End]); !strings.EqualFold(strings.Join(strings.Fields(got), " "), out.Job.Keywords[sp.Phrase]) &&
			!strings.Contains(strings.ToLower(got), strings.ToLower(strings.Fields(out.Job.Keywords[sp.Phrase])[0])) {
			t.Errorf("job span %q for keyword %q", got, out.Job.Keywords[sp.Phrase])
		}
	}
}

func TestRankLimits(t *testing.T) {
	many := make([]string, DefaultMaxResumes+1)
	tests := []struct {
		name   string
		body   string
		status int
		reason string
	}{
		{"too many resumes", rankBody(t, jobText, many...), 413, "limit is 100"},
		{"no resumes", `{"job": "python", "resumes": []}`, 400, "required"},
		{"no job", `{"resumes": [{"text": "python"}]}`, 400, "required"},
		{"resume without text", `{"job": "python", "resumes": [{"name": "a"}]}`, 400, `no "text"`},
		{"name too long", matchBody(t, map[string]any{"job": "python", "resumes": []map[string]any{{"name": strings.Repeat("n", 257), "text": "x"}}}), 400, "name over"},
		{"unknown field", `{"job": "python", "resumes": [{"text": "a", "score": 1}]}`, 400, "score"},
		{"bad threshold", `{"job": "python", "resumes": [{"text": "a"}], "threshold": "x"}`, 400, `"threshold"`},
		{"keyword count", `{"job": "python", "resumes": [{"text": "a"}], "resume_keywords": 201}`, 400, "resume_keywords"},
		{"job without keywords", `{"job": "...", "resumes": [{"text": "a"}]}`, 422, "no keywords"},
		{"body too large", rankBody(t, jobText, strings.Repeat("a ", DefaultMaxBodyBytes/2)), 413, "body over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := invoke(t, newTestService(t), event("POST", "/rank", tt.body))
			if msg, _ := body["error"].(string); status != tt.status || !strings.Contains(msg, tt.reason) {
				t.Errorf("%d %q, want %d and an error that mentions %q", status, msg, tt.status, tt.reason)
			}
		})
	}
	s := serviceWith(matchertest.HashEmbedder{}, func(o *Options) { o.MaxResumes = 2 })
	if status, body := invoke(t, &testService{Service: s}, event("POST", "/rank", rankBody(t, jobText, "a", "b", "c"))); status != 413 {
		t.Errorf("3 resumes with MaxResumes 2: %d %v", status, body)
	}
	// A ranking that runs out of time answers 504, like the other routes.
	s = serviceWith(matchertest.HashEmbedder{}, func(o *Options) { o.Timeout = time.Nanosecond })
	srv := httptest.NewServer(s)
	defer srv.Close()
	if status, _, body := post(t, srv.URL+"/rank", rankBody(t, jobText, resumeText)); status != http.StatusGatewayTimeout && status != http.StatusServiceUnavailable {
		t.Errorf("/rank past its deadline: %d %s", status, body)
	}
}

// TestPage checks the page at / over both paths: its type and headers, that
// the Content-Security-Policy allows exactly its inline style and script,
// that it loads nothing from elsewhere, and that it answers while every
// slot is taken.
func TestPage(t *testing.T) {
	emb := &countingEmbedder{gate: make(chan struct{})}
	s := serviceWith(emb, func(o *Options) { o.Concurrency = 1 })
	srv := httptest.NewServer(s)
	defer srv.Close()
	done := make(chan struct{})
	go func() { // holds the only slot until the gate opens
		defer close(done)
		post(t, srv.URL+"/match", matchBody(t, map[string]any{"resume": resumeText, "job": jobText}))
	}()
	for emb.running.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	close(emb.gate)
	<-done
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET / with every slot taken: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if len(body) != PageBytes() || len(body) > 40<<10 {
		t.Errorf("page of %d bytes, PageBytes says %d; want at most 40 KiB", len(body), PageBytes())
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, tag := range []string{"script", "style"} {
		m := regexp.MustCompile(`(?s)<`+tag+`>(.*?)</`+tag+`>`).FindAllSubmatch(body, -1)
		if len(m) != 1 {
			t.Fatalf("%d inline <%s> elements, want 1", len(m), tag)
		}
		sum := sha256.Sum256(m[0][1])
		if want := tag + "-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, want) {
			t.Errorf("CSP %q does not allow the page's %s (%s)", csp, tag, want)
		}
	}
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	if regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//`).Match(body) {
		t.Error("the page loads something from another origin")
	}
	if !bytes.Contains(body, []byte("nothing you paste or load is stored or logged")) {
		t.Error("the page does not say that nothing is stored or logged")
	}
	if resp, err := http.Post(srv.URL+"/", "text/plain", nil); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %v %v", resp.StatusCode, err)
	}

	// The Lambda function serves the same page, at a stage's root too.
	for _, path := range []string{"/", "/prod", "/prod/"} {
		e := event("GET", path, "")
		if path != "/" {
			e.RequestContext.Stage = "prod"
		}
		r, err := s.Handle(context.Background(), e)
		if err != nil || r.StatusCode != http.StatusOK || r.Body != string(body) || r.Headers["Content-Security-Policy"] != csp {
			t.Errorf("Handle GET %s: %d %v, %d bytes", path, r.StatusCode, err, len(r.Body))
		}
	}
}

// TestNothingLogged checks what the page promises: no text a user sends,
// on any route, good or bad, reaches the log.
func TestNothingLogged(t *testing.T) {
	const secret = "Zyxwvut Qqqplm"
	var logs bytes.Buffer
	s := New(Options{ModelDir: "/m", Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Load: func(context.Context, string) (matcher.Embedder, error) { return matchertest.HashEmbedder{}, nil }})
	srv := httptest.NewServer(s)
	defer srv.Close()
	job := jobText + " " + secret
	resume := resumeText + " " + secret
	bodies := map[string][]string{
		"/rank":     {rankBody(t, job, resume, secret), `{"job": "` + secret + `", "resumes": [{"name": "` + secret + `"}]}`, `{"job": "` + secret},
		"/match":    {matchBody(t, map[string]any{"job": job, "resume": resume}), `{"job": "` + secret + `", "resume": 1}`},
		"/keywords": {matchBody(t, map[string]any{"text": job}), `{"text": "` + secret + `", "top": 0}`},
	}
	for path, bs := range bodies {
		for _, b := range bs {
			post(t, srv.URL+path, b)
			if _, err := s.Handle(context.Background(), event("POST", path, b)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if logs.Len() == 0 {
		t.Fatal("nothing logged at all: the test would not see a leak")
	}
	for _, word := range strings.Fields(strings.ToLower(secret)) {
		if strings.Contains(strings.ToLower(logs.String()), word) {
			t.Errorf("the log holds %q from a request:\n%s", word, logs.String())
		}
	}
}

// TestRankAnswerBounded checks that a ranking's answer is bounded by the
// resume count, the keyword counts and MaxSpans, not by the texts: long
// words and many repeats of a keyword in every resume.
func TestRankAnswerBounded(t *testing.T) {
	job := readFile(t, "../examples/testdata/job.txt")
	s := serviceWith(matchertest.HashEmbedder{}, nil)
	long := strings.Repeat("w", 4000) + " " + strings.Repeat(readFile(t, "../examples/testdata/resume.txt")+"\n", 60)
	texts := make([]string, 20)
	for i := range texts {
		texts[i] = long
	}
	body := rankBody(t, job, texts...)
	resp, err := s.Handle(context.Background(), event("POST", "/rank", body))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %v: %.300s", resp.StatusCode, err, resp.Body)
	}
	var out RankResponse
	if err := json.Unmarshal([]byte(resp.Body), &out); err != nil {
		t.Fatal(err)
	}
	perResume := matcher.DefaultConfig().JobKeywords*(3*matcher.MaxKeywordBytes+200) + matcher.MaxSpans*48 + 512
	if limit := len(texts)*perResume + 64<<10; len(resp.Body) > limit {
		t.Errorf("answer of %d bytes to %d bytes of resumes, over the bound %d", len(resp.Body), len(body), limit)
	}
	t.Logf("%d bytes of resumes, an answer of %d bytes, %d spans in the first", len(body), len(resp.Body), len(out.Results[0].Spans))
	for _, r := range out.Results {
		if len(r.Spans) > matcher.MaxSpans || len(r.Spans) == 0 {
			t.Fatalf("resume %d: %d spans, want 1 to MaxSpans", r.Index, len(r.Spans))
		}
	}
}
