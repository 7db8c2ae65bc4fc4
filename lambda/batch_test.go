package lambda

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/matchertest"
)

// memStore is an ObjectStore in memory, with the errors S3 gives.
type memStore struct {
	mu      sync.Mutex
	objects map[string][]byte // "bucket/key"
	puts    int
	putErr  error
}

func (s *memStore) Get(ctx context.Context, bucket, key string, max int64) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objects[bucket+"/"+key]
	switch {
	case !ok:
		return nil, fmt.Errorf("%s/%s: %w", bucket, key, ErrNoObject)
	case int64(len(b)) > max:
		return nil, fmt.Errorf("%s/%s: %w", bucket, key, ErrObjectTooLarge)
	}
	return b, nil
}

func (s *memStore) Put(ctx context.Context, bucket, key string, body []byte, contentType string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.putErr != nil {
		return s.putErr
	}
	s.puts++
	s.objects[bucket+"/"+key] = bytes.Clone(body)
	return nil
}

// lines decodes the JSON Lines at bucket/key.
func (s *memStore) lines(t *testing.T, bucket, key string) []BatchResult {
	t.Helper()
	s.mu.Lock()
	b, ok := s.objects[bucket+"/"+key]
	s.mu.Unlock()
	if !ok {
		t.Fatalf("no object %s/%s", bucket, key)
	}
	var out []BatchResult
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var r BatchResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, r)
	}
	return out
}

func newBatch(t *testing.T, store *memStore, edit func(*BatchOptions)) *Batch {
	t.Helper()
	svc := New(Options{ModelDir: "/m", Logger: slog.New(slog.DiscardHandler),
		Load: func(context.Context, string) (matcher.Embedder, error) { return matchertest.HashEmbedder{}, nil }})
	opts := BatchOptions{Store: store}
	if edit != nil {
		edit(&opts)
	}
	return NewBatch(svc, opts)
}

func batchInput() BatchInput {
	return BatchInput{Job: jobText, Bucket: "in", ResultsBucket: "out", ResultsPrefix: "runs/r1"}
}

func TestBatch(t *testing.T) {
	weak := "Pastry chef: croissants, sourdough, wedding cakes."
	store := &memStore{objects: map[string][]byte{
		"in/resumes/strong.txt": []byte(resumeText),
		"in/resumes/weak.txt":   []byte(weak),
		"in/resumes/bad.txt":    {0xff, 0xfe, 'x'},
		"in/resumes/big.txt":    []byte(strings.Repeat("python ", 100)),
	}}
	b := newBatch(t, store, func(o *BatchOptions) { o.MaxItemBytes = 400; o.Top = 2 })
	inline := "Python and SQL analyst."
	ev := BatchEvent{BatchInput: batchInput(), Items: []BatchItem{
		{Key: "resumes/weak.txt", Size: int64(len(weak))},
		{Key: "resumes/strong.txt", Size: int64(len(resumeText))},
		{Key: "resumes/missing.txt"},
		{Key: "resumes/huge.txt", Size: 1 << 20},               // refused by its listed size, never read
		{Key: "resumes/big.txt"},                               // refused by the store's read limit
		{Key: "resumes/bad.txt"},                               // not UTF-8
		{ID: "inline-1", Text: &inline},                        // a manifest item with its text
		{ID: "inline-2", Text: ptr(strings.Repeat("x ", 300))}, // inline, too large
		{},
	}}
	out, err := b.Handle(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if out.Items != 9 || out.Scored != 3 || out.Failed != 6 {
		t.Errorf("items %d scored %d failed %d, want 9, 3, 6", out.Items, out.Scored, out.Failed)
	}
	if !strings.HasPrefix(out.Results, "s3://out/runs/r1/batches/") || !strings.HasSuffix(out.Results, ".jsonl") {
		t.Errorf("results at %s", out.Results)
	}
	key := strings.TrimPrefix(out.Results, "s3://out/")
	lines := store.lines(t, "out", key)
	if len(lines) != len(ev.Items) {
		t.Fatalf("%d lines, want %d", len(lines), len(ev.Items))
	}
	// Every line in the items' order, with the score Match gives.
	m, err := matcher.NewWithEmbedder(matchertest.HashEmbedder{}, matcher.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range map[int]string{0: weak, 1: resumeText, 6: inline} {
		want, err := m.Match(context.Background(), jobText, text)
		if err != nil {
			t.Fatal(err)
		}
		if lines[i].Score == nil || *lines[i].Score != want.Score || lines[i].Error != "" {
			t.Errorf("line %d: %+v, want score %v", i, lines[i], want.Score)
		}
		if len(lines[i].Matched)+len(lines[i].Missing) != len(want.Matched)+len(want.Missing) {
			t.Errorf("line %d: %d matched + %d missing keywords, want %d + %d", i,
				len(lines[i].Matched), len(lines[i].Missing), len(want.Matched), len(want.Missing))
		}
	}
	for i, want := range map[int]string{2: "no such object", 3: "1048576 bytes", 4: "too large", 5: "UTF-8", 7: "600 bytes", 8: `neither "Key" nor "Text"`} {
		if lines[i].Score != nil || !strings.Contains(lines[i].Error, want) {
			t.Errorf("line %d: %+v, want an error containing %q", i, lines[i], want)
		}
	}
	if lines[1].Key != "resumes/strong.txt" || lines[6].ID != "inline-1" {
		t.Errorf("lines do not name their items: %+v %+v", lines[1], lines[6])
	}
	// The top two of the three scored, best first, without keywords.
	if len(out.Top) != 2 || *out.Top[0].Score < *out.Top[1].Score || out.Top[0].Matched != nil {
		t.Errorf("top: %+v", out.Top)
	}
	if *lines[1].Score <= *lines[0].Score || out.Top[0].Key != "resumes/strong.txt" {
		t.Errorf("the strong resume (%v) does not beat the weak one (%v), or is not first in top", *lines[1].Score, *lines[0].Score)
	}

	// A retry of the same batch overwrites its own object; another batch
	// writes another.
	again, err := b.Handle(context.Background(), ev)
	if err != nil || again.Results != out.Results {
		t.Errorf("retry wrote %s (%v), want %s", again.Results, err, out.Results)
	}
	ev.Items = ev.Items[:2]
	other, err := b.Handle(context.Background(), ev)
	if err != nil || other.Results == out.Results {
		t.Errorf("another batch wrote %s (%v), the first batch's object", other.Results, err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestBatchRefuses(t *testing.T) {
	store := &memStore{objects: map[string][]byte{"in/a": []byte(resumeText)}}
	one := []BatchItem{{Key: "a"}}
	for _, tt := range []struct {
		name string
		ev   BatchEvent
		want string
	}{
		{"no items", BatchEvent{BatchInput: batchInput()}, "no items"},
		{"too many items", BatchEvent{BatchInput: batchInput(), Items: make([]BatchItem, 4)}, "4 items, the limit is 3"},
		{"no job", BatchEvent{BatchInput: BatchInput{Job: " ", Bucket: "in", ResultsBucket: "out"}, Items: one}, `no "job"`},
		{"no results bucket", BatchEvent{BatchInput: BatchInput{Job: jobText, Bucket: "in"}, Items: one}, `no "results_bucket"`},
		{"job without keywords", BatchEvent{BatchInput: BatchInput{Job: "the and of", Bucket: "in", ResultsBucket: "out"}, Items: one}, "job"},
	} {
		b := newBatch(t, store, func(o *BatchOptions) { o.MaxItems = 3 })
		if _, err := b.Handle(context.Background(), tt.ev); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
	if store.puts != 0 {
		t.Errorf("refused batches wrote %d objects", store.puts)
	}

	// Results that cannot be written fail the batch, so that Step
	// Functions retries it or counts it as failed.
	store.putErr = errors.New("access denied")
	if _, err := newBatch(t, store, nil).Handle(context.Background(), BatchEvent{BatchInput: batchInput(), Items: one}); err == nil || !strings.Contains(err.Error(), "access denied") {
		t.Errorf("write failure: error %v", err)
	}
}

// TestBatchOutOfTime gives a batch less time than its reserve: no item
// starts, each says why, and the results are still written in time.
func TestBatchOutOfTime(t *testing.T) {
	store := &memStore{objects: map[string][]byte{"in/a": []byte(resumeText)}}
	b := newBatch(t, store, func(o *BatchOptions) { o.TimeReserve = time.Minute })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := b.Handle(ctx, BatchEvent{BatchInput: batchInput(), Items: []BatchItem{{Key: "a"}, {Key: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Failed != 2 || out.Scored != 0 {
		t.Errorf("scored %d failed %d, want 0 and 2", out.Scored, out.Failed)
	}
	for _, r := range store.lines(t, "out", strings.TrimPrefix(out.Results, "s3://out/")) {
		if !strings.Contains(r.Error, "ran out of time") {
			t.Errorf("line %+v, want an out-of-time error", r)
		}
	}
}

func TestEventKind(t *testing.T) {
	for _, tt := range []struct{ raw, want string }{
		{`{"BatchInput": {"job": "x"}, "Items": [{"Key": "a"}]}`, EventBatch},
		{`{"Items": []}`, EventBatch},
		{`{"version": "2.0", "rawPath": "/match", "requestContext": {"http": {"method": "POST"}}}`, EventHTTP},
		{`{"rawPath": "/health"}`, EventHTTP},
		{`{"requestContext": {}, "Items": [1]}`, EventHTTP}, // an HTTP event is never a batch
		{`{"Records": []}`, ""},
		{`[1, 2]`, ""},
		{`"Items"`, ""},
	} {
		got, err := EventKind(json.RawMessage(tt.raw))
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("EventKind(%s) = %q, %v; want %q", tt.raw, got, err, tt.want)
		}
	}
}

// TestHandleEvent sends both kinds of raw event through the function's
// handler and checks that each reaches its own.
func TestHandleEvent(t *testing.T) {
	store := &memStore{objects: map[string][]byte{"in/a": []byte(resumeText)}}
	b := newBatch(t, store, nil)
	h := HandleEvent(b.svc, b)
	ctx := context.Background()

	raw, _ := json.Marshal(event("POST", "/match", matchBody(t, map[string]any{"resume": resumeText, "job": jobText})))
	out, err := h(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := json.Marshal(out)
	if err != nil || !strings.Contains(string(resp), `"statusCode":200`) || !strings.Contains(string(resp), `\"score\"`) {
		t.Errorf("HTTP event: %s %v", resp, err)
	}

	out, err = h(ctx, json.RawMessage(`{"BatchInput": {"job": `+mustJSON(jobText)+`, "bucket": "in", "results_bucket": "out"}, "Items": [{"Key": "a", "Size": 10}]}`))
	if bo, ok := out.(*BatchOutput); err != nil || !ok || bo.Scored != 1 {
		t.Errorf("batch event: %#v %v", out, err)
	}
	if _, err := h(ctx, json.RawMessage(`{"Records": []}`)); err == nil {
		t.Error("an S3 notification was handled")
	}
	if _, err := h(ctx, json.RawMessage(`{"Items": "a"}`)); err == nil || !strings.Contains(err.Error(), "batch") {
		t.Errorf("a malformed batch: %v", err)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
