package lambda

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/jobmatch/jobmatch/matcher"
)

// BatchEvent is what a child of a Step Functions Distributed Map state with
// an ItemBatcher receives: the batch's common input and its items. Items
// come from the map's ItemReader: an S3 listing (ListObjectsV2) gives
// {Key, Size, Etag, LastModified}, a manifest any objects; jobmatch reads
// Key, Size, and optionally Id and Text (a resume given inline).
type BatchEvent struct {
	BatchInput BatchInput  `json:"BatchInput"`
	Items      []BatchItem `json:"Items"`
}

// BatchInput is the ItemBatcher's BatchInput that terraform/modules/batch
// sets: the job every resume is ranked against, where the resumes are and
// where the results go.
type BatchInput struct {
	// Job is the job description's text.
	Job string `json:"job"`
	// Bucket holds the resumes named by the items' Key.
	Bucket string `json:"bucket"`
	// ResultsBucket and ResultsPrefix say where the batch's JSON Lines
	// go: ResultsPrefix + "batches/" + a hash of the items' keys + ".jsonl",
	// so that a retried batch overwrites its own object.
	ResultsBucket string `json:"results_bucket"`
	ResultsPrefix string `json:"results_prefix"`
	// Threshold, if set, overrides the matcher's similarity threshold.
	Threshold *float64 `json:"threshold,omitempty"`
}

// BatchItem is one resume of a batch.
type BatchItem struct {
	Key  string  `json:"Key"`
	Size int64   `json:"Size"`
	ID   string  `json:"Id,omitempty"`
	Text *string `json:"Text,omitempty"`
}

// BatchResult is one line of a batch's JSON Lines: a resume's score and
// keywords, or why it has none.
type BatchResult struct {
	Key      string   `json:"key,omitempty"`
	ID       string   `json:"id,omitempty"`
	Score    *float64 `json:"score,omitempty"`
	Matched  []string `json:"matched,omitempty"`
	Missing  []string `json:"missing,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// BatchOutput is what a batch returns to Step Functions (the map's
// ResultWriter stores it): counts, the best few resumes and where the full
// results are. It stays far below the 256 KiB of a state's output.
type BatchOutput struct {
	Results string        `json:"results"` // s3://bucket/key of the JSON Lines
	Items   int           `json:"items"`
	Scored  int           `json:"scored"`
	Failed  int           `json:"failed"`
	Top     []BatchResult `json:"top"` // the best scored, at most BatchOptions.Top, without keywords
	Ms      float64       `json:"ms"`  // time the batch took
}

// ObjectStore reads and writes objects; S3 in the function (NewS3Store),
// a map in tests.
type ObjectStore interface {
	// Get returns the object's content, or an error wrapping
	// ErrObjectTooLarge if it has more than max bytes.
	Get(ctx context.Context, bucket, key string, max int64) ([]byte, error)
	Put(ctx context.Context, bucket, key string, body []byte, contentType string) error
}

// Errors of an ObjectStore's Get that make one item fail, not the batch.
var (
	ErrObjectTooLarge = errors.New("object too large")
	ErrNoObject       = errors.New("no such object")
)

// Defaults of BatchOptions.
const (
	DefaultMaxBatchItems = 500
	DefaultMaxItemBytes  = 256 << 10
	DefaultTimeReserve   = 3 * time.Second
	DefaultTop           = 10
)

// BatchOptions bound a batch.
type BatchOptions struct {
	// MaxItems is the most items a batch may hold; a larger batch is
	// refused whole (the ItemBatcher's MaxItemsPerBatch must not exceed
	// it). 0 means DefaultMaxBatchItems.
	MaxItems int
	// MaxItemBytes is the largest resume read; a larger one fails alone.
	// 0 means DefaultMaxItemBytes.
	MaxItemBytes int64
	// TimeReserve is the time kept before the invocation's deadline for
	// writing the results: items not started by then fail alone, with an
	// error saying so. 0 means DefaultTimeReserve.
	TimeReserve time.Duration
	// Top is how many of the best resumes BatchOutput lists; 0 means
	// DefaultTop.
	Top int
	// Store reads the resumes and writes the results. Nil means S3
	// (NewS3Store), made on the first batch.
	Store ObjectStore
}

// Batch ranks the resumes of Distributed Map batches with a Service's
// model and settings. It is safe for concurrent use.
type Batch struct {
	svc   *Service
	opts  BatchOptions
	once  sync.Once
	store ObjectStore
	err   error
}

// NewBatch returns a Batch that uses s's model, loaded on first use, and
// s's concurrency.
func NewBatch(s *Service, opts BatchOptions) *Batch {
	if opts.MaxItems <= 0 {
		opts.MaxItems = DefaultMaxBatchItems
	}
	if opts.MaxItemBytes <= 0 {
		opts.MaxItemBytes = DefaultMaxItemBytes
	}
	if opts.TimeReserve <= 0 {
		opts.TimeReserve = DefaultTimeReserve
	}
	if opts.Top <= 0 {
		opts.Top = DefaultTop
	}
	return &Batch{svc: s, opts: opts, store: opts.Store}
}

func (b *Batch) objectStore(ctx context.Context) (ObjectStore, error) {
	b.once.Do(func() {
		if b.store == nil {
			b.store, b.err = NewS3Store(ctx)
		}
	})
	return b.store, b.err
}

// Handle scores every resume of ev against its job, writes one JSON line per
// item (in the items' order) to the results bucket and returns the counts.
// An item that cannot be read or scored fails alone, with its reason in its
// line; the batch fails (and Step Functions may retry it, or count it
// against the map's tolerated failures) only when it cannot be done at all:
// bad input, no model, the results not written.
func (b *Batch) Handle(ctx context.Context, ev BatchEvent) (*BatchOutput, error) {
	start := time.Now()
	in := ev.BatchInput
	switch {
	case len(ev.Items) == 0:
		return nil, errors.New("batch: no items")
	case len(ev.Items) > b.opts.MaxItems:
		return nil, fmt.Errorf("batch: %d items, the limit is %d (lower the ItemBatcher's MaxItemsPerBatch)", len(ev.Items), b.opts.MaxItems)
	case strings.TrimSpace(in.Job) == "":
		return nil, errors.New(`batch: BatchInput has no "job"`)
	case in.ResultsBucket == "":
		return nil, errors.New(`batch: BatchInput has no "results_bucket"`)
	}
	store, err := b.objectStore(ctx)
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	cfg := b.svc.cfg
	if in.Threshold != nil {
		cfg.Threshold = *in.Threshold
	}
	m, resp := b.svc.matcher(ctx, cfg)
	if m == nil {
		return nil, fmt.Errorf("batch: %s", resp.body.(errorBody).Error)
	}
	job, err := m.PrepareJob(ctx, in.Job)
	if err != nil {
		return nil, fmt.Errorf("batch: job: %w", err)
	}

	// Items start only while there is time left to write the results.
	work := ctx
	if d, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		work, cancel = context.WithDeadline(ctx, d.Add(-b.opts.TimeReserve))
		defer cancel()
	}
	results := make([]BatchResult, len(ev.Items))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(cap(b.svc.slots), len(ev.Items)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = b.item(work, store, m, job, in.Bucket, ev.Items[i])
			}
		}()
	}
	for i := range ev.Items {
		if work.Err() != nil {
			results[i] = BatchResult{Key: ev.Items[i].Key, ID: ev.Items[i].ID, Error: "not started: the invocation ran out of time"}
			continue
		}
		next <- i
	}
	close(next)
	wg.Wait()

	out := &BatchOutput{Items: len(results), Top: []BatchResult{}}
	var lines bytes.Buffer
	enc := json.NewEncoder(&lines)
	enc.SetEscapeHTML(false)
	for _, r := range results {
		if r.Error != "" {
			out.Failed++
		} else {
			out.Scored++
			out.Top = append(out.Top, BatchResult{Key: r.Key, ID: r.ID, Score: r.Score})
		}
		if err := enc.Encode(r); err != nil {
			return nil, fmt.Errorf("batch: %w", err)
		}
	}
	slices.SortStableFunc(out.Top, func(a, b BatchResult) int { return cmp.Compare(*b.Score, *a.Score) })
	out.Top = out.Top[:min(len(out.Top), b.opts.Top)]

	key := path.Join(in.ResultsPrefix, "batches", batchID(ev.Items)+".jsonl")
	if err := store.Put(ctx, in.ResultsBucket, key, lines.Bytes(), "application/x-ndjson"); err != nil {
		return nil, fmt.Errorf("batch: write results: %w", err)
	}
	out.Results = "s3://" + in.ResultsBucket + "/" + key
	out.Ms = float64(time.Since(start).Microseconds()) / 1000
	b.svc.log.InfoContext(ctx, "batch", "items", out.Items, "scored", out.Scored, "failed", out.Failed,
		"results", out.Results, "duration_ms", out.Ms)
	return out, nil
}

// item scores one resume. Store errors other than a missing or too large
// object are infrastructure failures that a retry may fix: they fail the
// item with the reason, and the batch's counts show them.
func (b *Batch) item(ctx context.Context, store ObjectStore, m *matcher.Matcher, job *matcher.Job, bucket string, it BatchItem) BatchResult {
	r := BatchResult{Key: it.Key, ID: it.ID}
	var text string
	switch {
	case it.Text != nil:
		if int64(len(*it.Text)) > b.opts.MaxItemBytes {
			r.Error = fmt.Sprintf("text has %d bytes, the limit is %d", len(*it.Text), b.opts.MaxItemBytes)
			return r
		}
		text = *it.Text
	case it.Key == "":
		r.Error = `item has neither "Key" nor "Text"`
		return r
	case it.Size > b.opts.MaxItemBytes:
		r.Error = fmt.Sprintf("object has %d bytes, the limit is %d", it.Size, b.opts.MaxItemBytes)
		return r
	default:
		if bucket == "" {
			r.Error = `BatchInput has no "bucket" to read the item's key from`
			return r
		}
		body, err := store.Get(ctx, bucket, it.Key, b.opts.MaxItemBytes)
		if err != nil {
			r.Error = cut(err.Error())
			return r
		}
		text = string(body)
	}
	if !utf8.ValidString(text) {
		r.Error = "resume is not valid UTF-8"
		return r
	}
	res, err := m.MatchPrepared(ctx, job, text)
	if err != nil {
		r.Error = cut(err.Error())
		return r
	}
	r.Score = &res.Score
	r.Warnings = res.Warnings
	for _, k := range res.Matched {
		r.Matched = append(r.Matched, k.Keyword)
	}
	for _, k := range res.Missing {
		r.Missing = append(r.Missing, k.Keyword)
	}
	return r
}

// cut bounds an error message written to the results.
func cut(msg string) string {
	if len(msg) > maxErrorBytes {
		msg = strings.ToValidUTF8(msg[:maxErrorBytes], "") + "…"
	}
	return msg
}

// batchID names a batch by its items, so that a retry of the same batch
// writes the same object.
func batchID(items []BatchItem) string {
	h := sha256.New()
	for _, it := range items {
		fmt.Fprintf(h, "%q %q %d\n", it.Key, it.ID, len(ptrOr(it.Text)))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func ptrOr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Event kinds that HandleEvent tells apart.
const (
	EventHTTP  = "http"  // API Gateway HTTP API (payload 2.0) or function URL
	EventBatch = "batch" // a Distributed Map batch
)

// EventKind tells the kind of a raw Lambda event by its shape: a batch has
// "Items" (and "BatchInput"), an HTTP event "requestContext" or "rawPath".
// Anything else is an error, so that a misrouted event fails loudly.
func EventKind(raw json.RawMessage) (string, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return "", fmt.Errorf("lambda: event is not a JSON object: %w", err)
	}
	_, items := probe["Items"]
	_, ctx := probe["requestContext"]
	_, rawPath := probe["rawPath"]
	switch {
	case items && !ctx:
		return EventBatch, nil
	case ctx || rawPath:
		return EventHTTP, nil
	}
	return "", errors.New(`lambda: unknown event: neither an HTTP API event ("requestContext") nor a Distributed Map batch ("Items")`)
}

// HandleEvent is the function's handler for every event it may receive: it
// tells the event's kind (EventKind) and passes it to s.Handle or b.Handle.
func HandleEvent(s *Service, b *Batch) func(context.Context, json.RawMessage) (any, error) {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		kind, err := EventKind(raw)
		if err != nil {
			return nil, err
		}
		if kind == EventBatch {
			var ev BatchEvent
			if err := json.Unmarshal(raw, &ev); err != nil {
				return nil, fmt.Errorf("batch: %w", err)
			}
			return b.Handle(ctx, ev)
		}
		var req events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &req); err != nil {
			return nil, fmt.Errorf("lambda: %w", err)
		}
		return s.Handle(ctx, req)
	}
}
