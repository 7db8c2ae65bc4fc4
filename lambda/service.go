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
	"runtime"
	"slices"
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

// Defaults of the Options that bound a request's time.
const (
	// DefaultTimeout is how long a request may wait for a slot and compute.
	DefaultTimeout = 30 * time.Second
	// DefaultBodyTimeout is how long a client may take to send its body
	// over HTTP.
	DefaultBodyTimeout = 10 * time.Second
)

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
	// MaxResumes is the most resumes one POST /rank takes; 0 means
	// DefaultMaxResumes. The body's size (MaxBodyBytes) and the time
	// (Timeout) bound a ranking too.
	MaxResumes int
	// Concurrency is how many requests compute at once; the others wait
	// for a slot until their deadline, then answer 503. 0 means
	// runtime.GOMAXPROCS(0). A slot is held only while computing: never
	// while a body is read or an answer written, and /health takes none.
	Concurrency int
	// Timeout bounds the time a request over HTTP (ServeHTTP) waits for a
	// slot and computes once its body is read; 0 means DefaultTimeout. A
	// Lambda invocation has the function's own deadline.
	Timeout time.Duration
	// BodyTimeout bounds the time a client over HTTP may take to send its
	// body; 0 means DefaultBodyTimeout. A slow sender gets 408.
	BodyTimeout time.Duration
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

	slots   chan struct{} // one token per request computing
	mu      sync.Mutex    // serialises model loading
	model   atomic.Pointer[loaded]
	loadErr atomic.Pointer[string] // why the last load failed; nil after a success
}

// loaded is the loaded model and the matcher of the default settings.
type loaded struct {
	embedder matcher.Embedder
	base     *matcher.Matcher
}

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
	if opts.MaxResumes <= 0 {
		opts.MaxResumes = DefaultMaxResumes
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = runtime.GOMAXPROCS(0)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.BodyTimeout <= 0 {
		opts.BodyTimeout = DefaultBodyTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if w := sbert.Int8Warning(); opts.Int8 && w != "" {
		opts.Logger.Warn(w, "env", EnvInt8)
	}
	if opts.Load == nil {
		var lo []sbert.Option
		if opts.Int8 {
			lo = append(lo, sbert.WithInt8())
		}
		opts.Load = func(ctx context.Context, dir string) (matcher.Embedder, error) { return sbert.Load(ctx, dir, lo...) }
	}
	return &Service{opts: opts, cfg: cfg, log: opts.Logger, slots: make(chan struct{}, opts.Concurrency)}
}

// response is what a route answers: a status and a value encoded as JSON,
// or, for the page, a document of its own type with its headers.
type response struct {
	status int
	body   any
	doc    *document // when set, body is ignored
}

type errorBody struct {
	Error string `json:"error"`
}

// maxErrorBytes bounds an error message: messages quote what the client sent
// (a path, a field name), and an error is no echo service.
const maxErrorBytes = 300

func fail(status int, format string, args ...any) response {
	msg := fmt.Sprintf(format, args...)
	if len(msg) > maxErrorBytes {
		msg = strings.ToValidUTF8(msg[:maxErrorBytes], "") + "…"
	}
	return response{status: status, body: errorBody{msg}}
}

// route finds the route of a request, or the response that refuses it.
func route(method, path string) (routeDef, response) {
	rt, ok := routes[path]
	if !ok {
		return routeDef{}, fail(http.StatusNotFound, "no route %s", path)
	}
	if method != rt.method {
		return routeDef{}, fail(http.StatusMethodNotAllowed, "%s takes %s, not %s", path, rt.method, method)
	}
	return rt, response{}
}

// handler computes the response to a request whose body is read.
type handler func(*Service, context.Context, []byte) response

// routeDef is a route: its method and either handle, which computes from
// the body in a slot, or direct, which answers at once without reading a
// body or taking a slot.
type routeDef struct {
	method string
	handle handler
	direct func(*Service) response
	binary bool // the body is a document, not UTF-8 JSON
}

// answer computes the response of a routed request to path; body reads the
// request's body when the route needs one, and contentType says whether it
// is JSON or an upload (multipart/form-data, see upload.go).
func (s *Service) answer(ctx context.Context, rt routeDef, path, contentType string, body func() ([]byte, error)) response {
	if rt.direct != nil {
		return rt.direct(s)
	}
	b, err := body()
	if err != nil {
		return s.bodyFailure(err)
	}
	if boundary, ok := isMultipart(contentType); ok {
		return s.inSlot(ctx, func() response { return s.form(ctx, path, boundary, b) })
	}
	if !rt.binary && !utf8.Valid(b) {
		return fail(http.StatusBadRequest, "body is not valid UTF-8")
	}
	return s.inSlot(ctx, func() response { return rt.handle(s, ctx, b) })
}

// inSlot computes a response in a slot, waiting for one until ctx is done.
func (s *Service) inSlot(ctx context.Context, compute func() response) response {
	if err := ctx.Err(); err != nil {
		return s.failure(ctx, err)
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return busy
	}
	defer func() { <-s.slots }()
	return compute()
}

// busy answers a request that found no free slot before its deadline.
var busy = response{status: http.StatusServiceUnavailable, body: errorBody{"the server is busy; try again later"}}

var routes = map[string]routeDef{
	"/":         {method: http.MethodGet, direct: (*Service).page},
	"/health":   {method: http.MethodGet, direct: (*Service).health},
	"/match":    {method: http.MethodPost, handle: (*Service).match},
	"/rank":     {method: http.MethodPost, handle: (*Service).rank},
	"/text":     {method: http.MethodPost, handle: (*Service).text, binary: true},
	"/keywords": {method: http.MethodPost, handle: (*Service).keywords},
}

// Model states reported by /health.
const (
	ModelLoaded    = "loaded"
	ModelNotLoaded = "not loaded yet" // loaded by the first request that needs it
	ModelFailed    = "failed"         // the last load failed; the next request tries again
)

// health reports the service's state. It always answers 200, which load
// balancers read as "up": the process answers, and /keywords works without
// the model. status is "ok", or "degraded" when the last model load failed.
func (s *Service) health() response {
	body := map[string]any{"status": "ok", "model": ModelNotLoaded, "model_loaded": false}
	switch {
	case s.model.Load() != nil:
		body["model"], body["model_loaded"] = ModelLoaded, true
	case s.loadErr.Load() != nil:
		body["status"], body["model"] = "degraded", ModelFailed
		body["error"] = "the model could not be loaded (the log says why); the next request that needs it tries again"
	}
	return response{status: http.StatusOK, body: body}
}

// MatchRequest is the body of POST /match.
type MatchRequest struct {
	Resume *string `json:"resume"`
	Job    *string `json:"job"`
	Settings
}

// Settings are the matcher settings a request may choose; nil means the
// Service's.
type Settings struct {
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
			// Fields of the embedded Settings are top-level fields in JSON.
			field := strings.TrimPrefix(typeErr.Field, "Settings.")
			return fmt.Errorf("field %q must be %s, not %s", field, typeErr.Type, typeErr.Value)
		}
		return fmt.Errorf("malformed JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("malformed JSON: more than one value, or data after the object")
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
	m, resp := s.matcherFor(ctx, req.Settings)
	if m == nil {
		return resp
	}
	res, err := m.Match(ctx, *req.Job, *req.Resume)
	if err != nil {
		return s.failure(ctx, err)
	}
	return response{status: http.StatusOK, body: res}
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
	kws = slices.DeleteFunc(kws, func(k yake.Keyword) bool { return len(k.Text) > matcher.MaxKeywordBytes })
	if kws == nil {
		kws = []yake.Keyword{}
	}
	return response{status: http.StatusOK, body: map[string]any{"keywords": kws}}
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

// matcherFor returns a matcher with the Service's settings changed by
// those of a request, or nil and the response that refuses them.
func (s *Service) matcherFor(ctx context.Context, set Settings) (*matcher.Matcher, response) {
	cfg := s.cfg
	if set.Threshold != nil {
		cfg.Threshold = *set.Threshold
	}
	for _, kc := range []struct {
		name string
		v    *int
		dst  *int
	}{{"job_keywords", set.JobKeywords, &cfg.JobKeywords}, {"resume_keywords", set.ResumeKeywords, &cfg.ResumeKeywords}} {
		if kc.v == nil {
			continue
		}
		if *kc.v < 1 || *kc.v > maxKeywords {
			return nil, fail(http.StatusBadRequest, "%q must be between 1 and %d", kc.name, maxKeywords)
		}
		*kc.dst = *kc.v
	}
	return s.matcher(ctx, cfg)
}

// matcher returns a matcher with the settings cfg, loading the model on
// first use. Matchers of all settings share the model and its embedding
// cache. On failure it returns nil and the response to send.
func (s *Service) matcher(ctx context.Context, cfg matcher.Config) (*matcher.Matcher, response) {
	base, err := s.load(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "model load failed", "model_dir", s.opts.ModelDir, "error", err)
		if ctx.Err() != nil {
			return nil, s.failure(ctx, ctx.Err())
		}
		return nil, fail(http.StatusServiceUnavailable, "the model is not available; try again later")
	}
	if cfg == base.Config() {
		return base, response{}
	}
	m, err := base.WithConfig(cfg)
	if err != nil {
		return nil, fail(http.StatusBadRequest, "%v", err)
	}
	return m, response{}
}

// Warm loads the model now, so that the first request does not wait for it.
// A server calls it after it starts listening; the Lambda function starts it
// at init without waiting for it, to keep its init phase short.
func (s *Service) Warm(ctx context.Context) error {
	_, err := s.load(ctx)
	return err
}

// load loads the model once and makes the matcher of the default settings;
// a failed load is retried by the next request.
func (s *Service) load(ctx context.Context) (*matcher.Matcher, error) {
	if l := s.model.Load(); l != nil {
		return l.base, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.model.Load(); l != nil {
		return l.base, nil
	}
	l, err := s.loadModel(ctx)
	if err != nil {
		if ctx.Err() == nil {
			msg := err.Error()
			s.loadErr.Store(&msg)
		}
		return nil, err
	}
	s.loadErr.Store(nil)
	s.model.Store(l)
	return l.base, nil
}

// warmUpText has the words language detection needs to consult its index.
const warmUpText = "We are hiring an engineer who knows Go and has worked with the cloud for some years."

func (s *Service) loadModel(ctx context.Context) (*loaded, error) {
	if s.opts.ModelDir == "" {
		return nil, errors.New("no model directory configured (set " + EnvModelDir + ")")
	}
	start := time.Now()
	// What the first request would otherwise build on its way, the skill
	// vocabulary and the index of language detection (together about 6 ms
	// on the 2-core development machine), is built beside the model load.
	var text sync.WaitGroup
	text.Go(func() {
		if s.cfg.Vocabulary == nil {
			matcher.DefaultVocabulary()
		}
		yake.DetectLanguage(warmUpText)
	})
	defer text.Wait()
	e, err := s.opts.Load(ctx, s.opts.ModelDir)
	if err != nil {
		return nil, err
	}
	m, err := matcher.NewWithEmbedder(e, s.cfg)
	if err != nil {
		return nil, err
	}
	attrs := []any{"model_dir", s.opts.ModelDir, "int8", s.opts.Int8, "load_ms", float64(time.Since(start).Microseconds()) / 1000}
	// An sbert.Model says whether it mapped a pack file, or why not.
	if lf, ok := e.(interface{ LoadedFrom() (string, error) }); ok {
		from, packErr := lf.LoadedFrom()
		attrs = append(attrs, "weights", from)
		if packErr != nil {
			attrs = append(attrs, "pack_skipped", packErr.Error())
		}
	}
	s.log.InfoContext(ctx, "model loaded", attrs...)
	return &loaded{e, m}, nil
}

// ServeHTTP serves the routes over net/http. It reads the body first,
// within Options.BodyTimeout, then waits for a slot and computes within
// Options.Timeout, and writes the answer after giving the slot back, so
// that slow clients hold a connection but never a slot.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rt, resp := route(r.Method, r.URL.Path)
	if resp.status == 0 {
		ctx, cancel := context.WithTimeout(r.Context(), s.opts.Timeout)
		resp = s.answer(ctx, rt, r.URL.Path, r.Header.Get("Content-Type"), func() ([]byte, error) { return s.readBody(w, r) })
		cancel()
	}
	payload := encode(resp)
	for k, v := range resp.headers() {
		w.Header().Set(k, v)
	}
	if resp.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	w.WriteHeader(resp.status)
	w.Write(payload)
	s.log.InfoContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", resp.status,
		"duration_ms", float64(time.Since(start).Microseconds())/1000)
}

// errSlowBody means a client did not send its body within BodyTimeout.
var errSlowBody = errors.New("body not sent in time")

// readBody reads the request body, at most MaxBodyBytes of it, within
// BodyTimeout. A declared length over the limit is refused before reading.
// The read deadline stays set after the body, so that net/http's own read
// of what a refused client left unsent cannot wait for it either; the
// server sets a new deadline for the connection's next request.
func (s *Service) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	deadline := time.Now().Add(s.opts.BodyTimeout)
	// Servers that cannot set a read deadline (tests' recorders) still
	// have the context and their own ReadTimeout.
	_ = http.NewResponseController(w).SetReadDeadline(deadline)
	limit := int64(s.opts.MaxBodyBytes)
	if r.ContentLength > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil && time.Now().After(deadline) {
		return nil, errSlowBody
	}
	return body, err
}

// bodyFailure maps an error reading the body to a response.
func (s *Service) bodyFailure(err error) response {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return fail(http.StatusRequestEntityTooLarge, "body over %d bytes", s.opts.MaxBodyBytes)
	case errors.Is(err, errBadBase64):
		return fail(http.StatusBadRequest, "%v", err)
	case errors.Is(err, errSlowBody):
		return fail(http.StatusRequestTimeout, "the body was not sent within %v", s.opts.BodyTimeout)
	}
	return fail(http.StatusBadRequest, "reading body: %v", err)
}

// headers returns the headers of a response beside its status.
func (r response) headers() map[string]string {
	if r.doc != nil {
		return r.doc.headers
	}
	return map[string]string{"Content-Type": "application/json", "X-Content-Type-Options": "nosniff"}
}

// encode marshals a response body; the types encoded here cannot fail.
func encode(resp response) []byte {
	if resp.doc != nil {
		return resp.doc.body
	}
	b, err := json.Marshal(resp.body)
	if err != nil {
		b = []byte(`{"error":"internal error"}`)
	}
	return append(b, '\n')
}
