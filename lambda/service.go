package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/sbert"
	"github.com/jobmatch/jobmatch/yake"
)

// DefaultMaxBodyBytes is the largest request body accepted by default: room
// for a long resume and a long job in JSON.
const DefaultMaxBodyBytes = 2 << 20

// maxKeywords bounds the per-request keyword counts, and so the work a single
// request can ask for.
const maxKeywords = 200

// Options configure a [Service]. The zero value is usable only with ModelDir
// set.
type Options struct {
	// ModelDir is the sentence-transformers model directory.
	ModelDir string
	// Config is the matcher's default configuration; the zero value means
	// matcher.DefaultConfig().
	Config *matcher.Config
	// MaxBodyBytes is the largest body accepted; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int
	// Logger receives the structured logs; nil means slog.Default().
	Logger *slog.Logger
	// Int8 loads the model with sbert.WithInt8 (when Load is nil): faster
	// on CPUs with int8 dot-product instructions (arm64 dot product, x86
	// AVX-512 VNNI), with similarities within about 0.01 of float32's.
	Int8 bool
	// Load loads the model; nil means sbert.Load. Tests replace it.
	Load func(ctx context.Context, dir string) (matcher.Embedder, error)
}

// Environment variables of the bundled function (see OptionsFromEnv).
const (
	EnvModelDir = "JOBMATCH_MODEL_DIR"
	EnvInt8     = "JOBMATCH_INT8"
)

// OptionsFromEnv returns the Options that the bundled function
// (lambda/cmd/bootstrap) takes from its environment, read with getenv:
// ModelDir from JOBMATCH_MODEL_DIR, by default $LAMBDA_TASK_ROOT/model,
// where the zip package puts the model; Int8 from JOBMATCH_INT8, any value
// that strconv.ParseBool takes ("1", "true", ...), false when unset or
// empty. A value that does not parse is an error, so that a misspelt
// setting stops the function at init instead of being ignored.
func OptionsFromEnv(getenv func(string) string) (Options, error) {
	opts := Options{ModelDir: getenv(EnvModelDir)}
	if opts.ModelDir == "" {
		opts.ModelDir = filepath.Join(getenv("LAMBDA_TASK_ROOT"), "model")
	}
	if v := getenv(EnvInt8); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return Options{}, fmt.Errorf("lambda: %s=%q: want true or false", EnvInt8, v)
		}
		opts.Int8 = b
	}
	return opts, nil
}

// Service answers the routes of the package documentation. It is safe for
// concurrent use.
type Service struct {
	opts    Options
	cfg     matcher.Config
	log     *slog.Logger
	started atomic.Bool // set by the first request: that one is the cold one

	mu       sync.Mutex // serialises model loading
	embedder atomic.Pointer[loaded]

	matchersMu sync.Mutex
	matchers   map[matcher.Config]*matcher.Matcher // one per settings, sharing the model and caches
}

type loaded struct{ e matcher.Embedder }

// New returns a Service. It loads nothing: the model is loaded by the first
// request that needs it.
func New(opts Options) *Service {
	cfg := matcher.DefaultConfig()
	if opts.Config != nil {
		cfg = *opts.Config
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Load == nil {
		var lo []sbert.Option
		if opts.Int8 {
			lo = append(lo, sbert.WithInt8())
		}
		opts.Load = func(ctx context.Context, dir string) (matcher.Embedder, error) { return sbert.Load(ctx, dir, lo...) }
	}
	return &Service{opts: opts, cfg: cfg, log: opts.Logger, matchers: make(map[matcher.Config]*matcher.Matcher)}
}

// response is what a route answers: a status and a value encoded as JSON.
type response struct {
	status int
	body   any
}

type errorBody struct {
	Error string `json:"error"`
}

func fail(status int, format string, args ...any) response {
	return response{status, errorBody{fmt.Sprintf(format, args...)}}
}

// serve routes one request. body is the raw body, already size-checked.
func (s *Service) serve(ctx context.Context, method, path string, body []byte) response {
	route, ok := routes[path]
	if !ok {
		return fail(http.StatusNotFound, "no route %s", path)
	}
	if method != route.method {
		return fail(http.StatusMethodNotAllowed, "%s takes %s, not %s", path, route.method, method)
	}
	if !utf8.Valid(body) {
		return fail(http.StatusBadRequest, "body is not valid UTF-8")
	}
	return route.handle(s, ctx, body)
}

var routes = map[string]struct {
	method string
	handle func(*Service, context.Context, []byte) response
}{
	"/health":   {http.MethodGet, (*Service).health},
	"/match":    {http.MethodPost, (*Service).match},
	"/keywords": {http.MethodPost, (*Service).keywords},
}

func (s *Service) health(context.Context, []byte) response {
	return response{http.StatusOK, map[string]any{"status": "ok", "model_loaded": s.embedder.Load() != nil}}
}

// MatchRequest is the body of POST /match.
type MatchRequest struct {
	Resume         *string  `json:"resume"`
	Job            *string  `json:"job"`
	Threshold      *float64 `json:"threshold,omitempty"`
	JobKeywords    *int     `json:"job_keywords,omitempty"`
	ResumeKeywords *int     `json:"resume_keywords,omitempty"`
}

// KeywordsRequest is the body of POST /keywords.
type KeywordsRequest struct {
	Text     *string `json:"text"`
	Top      *int    `json:"top,omitempty"`
	Language *string `json:"language,omitempty"`
	MaxNGram *int    `json:"max_ngram,omitempty"`
}

// decode reads a JSON object into v, rejecting unknown fields and trailing
// data, and says what is wrong in words a client can act on.
func decode(body []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return fmt.Errorf("field %q must be %s, not %s", typeErr.Field, typeErr.Type, typeErr.Value)
		}
		return fmt.Errorf("malformed JSON: %v", err)
	}
	if dec.More() {
		return errors.New("malformed JSON: more than one value")
	}
	return nil
}

func (s *Service) match(ctx context.Context, body []byte) response {
	var req MatchRequest
	if err := decode(body, &req); err != nil {
		return fail(http.StatusBadRequest, "%v", err)
	}
	if req.Resume == nil || req.Job == nil {
		return fail(http.StatusBadRequest, `"resume" and "job" are required`)
	}
	cfg := s.cfg
	if req.Threshold != nil {
		cfg.Threshold = *req.Threshold
	}
	for _, kc := range []struct {
		name string
		v    *int
		dst  *int
	}{{"job_keywords", req.JobKeywords, &cfg.JobKeywords}, {"resume_keywords", req.ResumeKeywords, &cfg.ResumeKeywords}} {
		if kc.v == nil {
			continue
		}
		if *kc.v < 1 || *kc.v > maxKeywords {
			return fail(http.StatusBadRequest, "%q must be between 1 and %d", kc.name, maxKeywords)
		}
		*kc.dst = *kc.v
	}
	m, resp := s.matcher(ctx, cfg)
	if m == nil {
		return resp
	}
	res, err := m.Match(ctx, *req.Job, *req.Resume)
	if err != nil {
		return s.failure(ctx, err)
	}
	return response{http.StatusOK, res}
}

func (s *Service) keywords(ctx context.Context, body []byte) response {
	var req KeywordsRequest
	if err := decode(body, &req); err != nil {
		return fail(http.StatusBadRequest, "%v", err)
	}
	if req.Text == nil {
		return fail(http.StatusBadRequest, `"text" is required`)
	}
	opts := yake.DefaultOptions()
	if req.Top != nil {
		if *req.Top < 1 || *req.Top > maxKeywords {
			return fail(http.StatusBadRequest, `"top" must be between 1 and %d`, maxKeywords)
		}
		opts.Top = *req.Top
	}
	if req.Language != nil {
		opts.Language = *req.Language
	}
	if req.MaxNGram != nil {
		opts.MaxNGram = *req.MaxNGram
	}
	if len(*req.Text) > s.cfg.MaxTextBytes {
		return fail(http.StatusRequestEntityTooLarge, "text has %d bytes, the limit is %d", len(*req.Text), s.cfg.MaxTextBytes)
	}
	ext, err := yake.New(opts)
	if err != nil {
		return fail(http.StatusBadRequest, "%v", err)
	}
	kws, err := ext.Extract(ctx, *req.Text)
	if err != nil {
		return s.failure(ctx, err)
	}
	if kws == nil {
		kws = []yake.Keyword{}
	}
	return response{http.StatusOK, map[string]any{"keywords": kws}}
}

// failure maps an error of the engines to a response.
func (s *Service) failure(ctx context.Context, err error) response {
	switch {
	case errors.Is(err, matcher.ErrTooLarge):
		return fail(http.StatusRequestEntityTooLarge, "%v", err)
	case errors.Is(err, matcher.ErrEmptyJob):
		return fail(http.StatusUnprocessableEntity, "%v", err)
	case errors.Is(err, context.DeadlineExceeded):
		return fail(http.StatusGatewayTimeout, "the request ran out of time")
	case errors.Is(err, context.Canceled):
		return fail(499, "the request was cancelled")
	}
	s.log.ErrorContext(ctx, "request failed", "error", err)
	return fail(http.StatusInternalServerError, "internal error")
}

// matcher returns the matcher for cfg, loading the model on first use. On
// failure it returns nil and the response to send.
func (s *Service) matcher(ctx context.Context, cfg matcher.Config) (*matcher.Matcher, response) {
	emb, err := s.loadEmbedder(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "model load failed", "model_dir", s.opts.ModelDir, "error", err)
		if ctx.Err() != nil {
			return nil, s.failure(ctx, ctx.Err())
		}
		return nil, fail(http.StatusServiceUnavailable, "the model is not available; try again later")
	}
	s.matchersMu.Lock()
	defer s.matchersMu.Unlock()
	if m, ok := s.matchers[cfg]; ok {
		return m, response{}
	}
	m, err := matcher.NewWithEmbedder(emb, cfg)
	if err != nil {
		return nil, fail(http.StatusBadRequest, "%v", err)
	}
	if len(s.matchers) >= 16 { // bound the settings kept; the default ones come back at once
		clear(s.matchers)
	}
	s.matchers[cfg] = m
	return m, response{}
}

// Warm loads the model now, so that the first request does not wait for it.
// A server calls it after it starts listening; the Lambda function does not,
// to keep its init phase short.
func (s *Service) Warm(ctx context.Context) error {
	_, err := s.loadEmbedder(ctx)
	return err
}

// loadEmbedder loads the model once; a failed load is retried by the next
// request.
func (s *Service) loadEmbedder(ctx context.Context) (matcher.Embedder, error) {
	if l := s.embedder.Load(); l != nil {
		return l.e, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.embedder.Load(); l != nil {
		return l.e, nil
	}
	if s.opts.ModelDir == "" {
		return nil, errors.New("no model directory configured (set " + EnvModelDir + ")")
	}
	start := time.Now()
	e, err := s.opts.Load(ctx, s.opts.ModelDir)
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "model loaded", "model_dir", s.opts.ModelDir, "int8", s.opts.Int8, "load_ms", float64(time.Since(start).Microseconds())/1000)
	s.embedder.Store(&loaded{e})
	return e, nil
}

// ServeHTTP serves the routes over net/http.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(s.opts.MaxBodyBytes)))
	var resp response
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		resp = fail(http.StatusRequestEntityTooLarge, "body over %d bytes", s.opts.MaxBodyBytes)
	case err != nil:
		resp = fail(http.StatusBadRequest, "reading body: %v", err)
	default:
		resp = s.serve(r.Context(), r.Method, r.URL.Path, body)
	}
	payload := encode(resp)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	w.Write(payload)
	s.log.InfoContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", resp.status,
		"duration_ms", float64(time.Since(start).Microseconds())/1000)
}

// encode marshals a response body; the types encoded here cannot fail.
func encode(resp response) []byte {
	b, err := json.Marshal(resp.body)
	if err != nil {
		b = []byte(`{"error":"internal error"}`)
	}
	return append(b, '\n')
}
