package matcher

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/jobmatch/jobmatch/similarity"
	"github.com/jobmatch/jobmatch/yake"
)

// Errors that callers act on.
var (
	// ErrTooLarge means a text is longer than Config.MaxTextBytes.
	ErrTooLarge = errors.New("matcher: text too large")
	// ErrEmptyJob means no keywords could be extracted from the job text,
	// so there is nothing to match.
	ErrEmptyJob = errors.New("matcher: job text has no keywords")
)

// MaxKeywordBytes is the longest keyword, in bytes, that a Matcher keeps;
// longer ones (a run of characters without spaces, a pasted URL or
// base64 blob) are dropped. A keyword is a phrase: the longest of the 48,540
// keywords of the evaluation data (EVALUATION.md) has 46 bytes. The bound
// also bounds the size of a Result: a megabyte "word" in a resume cannot
// come back once for every job keyword.
const MaxKeywordBytes = 100

// KeywordExtractor extracts keywords from a text, the most important first;
// a lower score means a more important keyword. *yake.Extractor is one.
type KeywordExtractor interface {
	Extract(ctx context.Context, text string) ([]yake.Keyword, error)
}

// Embedder embeds texts as vectors of the same length, one per text.
// *sbert.Model is one.
type Embedder interface {
	EncodeBatch(ctx context.Context, texts []string) ([][]float32, error)
}

// Matcher matches resumes against jobs. It is safe for concurrent use.
type Matcher struct {
	extractor KeywordExtractor
	embedder  Embedder
	cfg       Config
	cache     *cache
}

// New returns a Matcher that extracts keywords with extractor, which must
// return at least cfg.JobKeywords and cfg.ResumeKeywords keywords when the
// text has them, and embeds them with embedder.
func New(extractor KeywordExtractor, embedder Embedder, cfg Config) (*Matcher, error) {
	if extractor == nil || embedder == nil {
		return nil, errors.New("matcher: New needs an extractor and an embedder")
	}
	cfg, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	return &Matcher{extractor: extractor, embedder: embedder, cfg: cfg, cache: newCache(cfg.CacheSize)}, nil
}

// Config returns the matcher's settings.
func (m *Matcher) Config() Config { return m.cfg }

// keyword is an extracted keyword ready to be compared.
type keyword struct {
	text  string  // as extracted
	norm  string  // normalize(text)
	score float64 // YAKE score
}

// Job is a job description prepared by [Matcher.PrepareJob]: its keywords,
// their weights and their embeddings. It is immutable and safe for
// concurrent use.
type Job struct {
	keywords []keyword
	weights  []float64
	vecs     [][]float32
}

// Keywords returns the job's keywords, the most important first.
func (j *Job) Keywords() []string {
	out := make([]string, len(j.keywords))
	for i, k := range j.keywords {
		out[i] = k.text
	}
	return out
}

// Resume is a resume prepared by [Matcher.PrepareResume]. It is immutable
// and safe for concurrent use.
type Resume struct {
	keywords []keyword
	index    *textIndex
	byNorm   map[string]int // normalised keyword → its index
	vecs     [][]float32    // nil until needed
}

// PrepareJob extracts the job's keywords and embeds them, so that the job can
// be matched against many resumes. It returns ErrEmptyJob if the text has no
// keywords and ErrTooLarge if it is longer than Config.MaxTextBytes.
func (m *Matcher) PrepareJob(ctx context.Context, text string) (*Job, error) {
	kws, err := m.keywords(ctx, text, m.cfg.JobKeywords, "job")
	if err != nil {
		return nil, err
	}
	if len(kws) == 0 {
		return nil, ErrEmptyJob
	}
	vecs, err := m.embed(ctx, kws)
	if err != nil {
		return nil, fmt.Errorf("matcher: job: %w", err)
	}
	scores := make([]float64, len(kws))
	for i, k := range kws {
		scores[i] = k.score
	}
	return &Job{keywords: kws, weights: m.cfg.Weighting.weights(scores), vecs: vecs}, nil
}

// PrepareResume extracts the resume's keywords and embeds them, so that the
// resume can be matched against many jobs. A resume without keywords is
// valid: it matches nothing.
func (m *Matcher) PrepareResume(ctx context.Context, text string) (*Resume, error) {
	r, err := m.resume(ctx, text)
	if err != nil {
		return nil, err
	}
	if len(r.keywords) > 0 {
		if r.vecs, err = m.embed(ctx, r.keywords); err != nil {
			return nil, fmt.Errorf("matcher: resume: %w", err)
		}
	}
	return r, nil
}

// resume extracts and indexes a resume, without embeddings.
func (m *Matcher) resume(ctx context.Context, text string) (*Resume, error) {
	kws, err := m.keywords(ctx, text, m.cfg.ResumeKeywords, "resume")
	if err != nil {
		return nil, err
	}
	r := &Resume{keywords: kws, byNorm: make(map[string]int, len(kws))}
	for i, k := range kws {
		r.byNorm[k.norm] = i
	}
	if m.cfg.MatchText {
		r.index = newTextIndex(normalize(strings.ToValidUTF8(text, " ")))
	}
	return r, nil
}

// Match reports how well resume fits job. It returns ErrEmptyJob if the job
// has no keywords and ErrTooLarge if a text is longer than
// Config.MaxTextBytes. A resume without keywords scores 0 with every job
// keyword missing.
func (m *Matcher) Match(ctx context.Context, job, resume string) (*Result, error) {
	j, err := m.PrepareJob(ctx, job)
	if err != nil {
		return nil, err
	}
	return m.MatchPrepared(ctx, j, resume)
}

// MatchPrepared is Match for a prepared job. The resume's keywords are
// embedded only if some job keyword is not matched exactly.
func (m *Matcher) MatchPrepared(ctx context.Context, job *Job, resume string) (*Result, error) {
	r, err := m.resume(ctx, resume)
	if err != nil {
		return nil, err
	}
	return m.compare(ctx, job, r)
}

// Compare reports how well a prepared resume fits a prepared job. It only
// computes; ctx is checked before it starts.
func (m *Matcher) Compare(ctx context.Context, job *Job, resume *Resume) (*Result, error) {
	return m.compare(ctx, job, resume)
}

// keywords extracts at most n distinct keywords from text, most important
// first.
func (m *Matcher) keywords(ctx context.Context, text string, n int, what string) ([]keyword, error) {
	if len(text) > m.cfg.MaxTextBytes {
		return nil, fmt.Errorf("%w: %s has %d bytes, the limit is %d", ErrTooLarge, what, len(text), m.cfg.MaxTextBytes)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	raw, err := m.extractor.Extract(ctx, strings.ToValidUTF8(text, " "))
	if err != nil {
		return nil, fmt.Errorf("matcher: %s keywords: %w", what, err)
	}
	raw = slices.Clone(raw)
	slices.SortStableFunc(raw, func(a, b yake.Keyword) int { return cmp.Compare(a.Score, b.Score) })
	kws := make([]keyword, 0, min(n, len(raw)))
	seen := make(map[string]bool, cap(kws))
	for _, k := range raw {
		if len(kws) == n {
			break
		}
		if math.IsNaN(k.Score) || math.IsInf(k.Score, 0) || k.Score < 0 {
			return nil, fmt.Errorf("matcher: %s keyword %q has score %g, want a finite score ≥ 0", what, k.Text, k.Score)
		}
		if len(k.Text) > MaxKeywordBytes {
			continue
		}
		nk := normalize(k.Text)
		if nk == "" || len(nk) > MaxKeywordBytes || seen[nk] {
			continue
		}
		seen[nk] = true
		kws = append(kws, keyword{text: k.Text, norm: nk, score: k.Score})
	}
	return kws, nil
}

// embed returns the embeddings of the keywords' normalised forms, asking the
// embedder, in one call, only for those neither cached nor being embedded by
// a concurrent call.
func (m *Matcher) embed(ctx context.Context, kws []keyword) ([][]float32, error) {
	keys := make([]string, len(kws))
	for i, k := range kws {
		keys[i] = k.norm
	}
	vecs, err := m.cache.resolve(ctx, keys, func(todo []string) ([][]float32, error) {
		vecs, err := m.embedder.EncodeBatch(ctx, todo)
		if err != nil {
			return nil, fmt.Errorf("embed %d keywords: %w", len(todo), err)
		}
		return vecs, nil
	})
	return vecs, err
}

// compare matches a job against a resume, embedding the resume first if it
// has no embeddings and some job keyword is not matched exactly.
func (m *Matcher) compare(ctx context.Context, job *Job, r *Resume) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{Matched: []Keyword{}, Missing: []Keyword{}, Warnings: []string{}, Settings: m.cfg}
	if len(r.keywords) == 0 {
		res.Warnings = append(res.Warnings, WarnResumeEmpty)
	}
	entries := make([]Keyword, len(job.keywords))
	var inexact []int // job keywords without an exact match
	for i, k := range job.keywords {
		e := Keyword{Keyword: k.text, Importance: job.weights[i], YAKEScore: k.score}
		switch ri, ok := r.byNorm[k.norm]; {
		case ok:
			e.Resume, e.Similarity, e.Via = r.keywords[ri].text, 1, ViaKeyword
		case r.index != nil && r.index.contains(words(k.norm)):
			e.Resume, e.Similarity, e.Via = k.norm, 1, ViaText
		default:
			inexact = append(inexact, i)
		}
		entries[i] = e
	}
	if len(r.keywords) == 0 {
		for _, i := range inexact {
			entries[i].Via = ViaNone
		}
	} else if len(inexact) > 0 {
		if r.vecs == nil {
			vecs, err := m.embed(ctx, r.keywords)
			if err != nil {
				return nil, fmt.Errorf("matcher: resume: %w", err)
			}
			r.vecs = vecs
		}
		rows := make([][]float32, len(inexact))
		for n, i := range inexact {
			rows[n] = job.vecs[i]
		}
		sim, err := similarity.NewMatrix(rows, r.vecs)
		if err != nil {
			return nil, fmt.Errorf("matcher: compare embeddings: %w", err)
		}
		for n, i := range inexact {
			b := sim.Best(n)
			entries[i].Resume, entries[i].Similarity, entries[i].Via = r.keywords[b.Index].text, b.Similarity, ViaEmbedding
		}
	}
	for _, e := range entries {
		if e.Via != ViaNone && e.Similarity >= m.cfg.Threshold {
			res.Matched = append(res.Matched, e)
			res.Score += e.Importance * max(0, e.Similarity)
		} else {
			res.Missing = append(res.Missing, e)
		}
	}
	res.Score = min(1, res.Score)
	byImportance := func(a, b Keyword) int { return cmp.Compare(b.Importance, a.Importance) }
	slices.SortStableFunc(res.Matched, byImportance)
	slices.SortStableFunc(res.Missing, byImportance)
	return res, nil
}

// Ranked is one entry of a ranking: the index of the resume (or job) in the
// input and its result.
type Ranked struct {
	Index  int     `json:"index"`
	Result *Result `json:"result"`
}

// RankResumes matches every resume against job and returns them best first
// (of equal scores, the earlier resume first). It runs at most
// Config.Concurrency matches at once and stops at the first error.
func (m *Matcher) RankResumes(ctx context.Context, job *Job, resumes []string) ([]Ranked, error) {
	return m.rank(ctx, len(resumes), "resume", func(ctx context.Context, i int) (*Result, error) {
		return m.MatchPrepared(ctx, job, resumes[i])
	})
}

// RankJobs matches resume against every job and returns the jobs best first
// (of equal scores, the earlier job first). The resume is prepared once.
func (m *Matcher) RankJobs(ctx context.Context, resume string, jobs []*Job) ([]Ranked, error) {
	r, err := m.PrepareResume(ctx, resume)
	if err != nil {
		return nil, err
	}
	return m.rank(ctx, len(jobs), "job", func(ctx context.Context, i int) (*Result, error) {
		return m.compare(ctx, jobs[i], r)
	})
}

// rank runs match for 0..n-1 on at most Config.Concurrency goroutines and
// sorts the results by score.
func (m *Matcher) rank(ctx context.Context, n int, what string, match func(context.Context, int) (*Result, error)) ([]Ranked, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]Ranked, n)
	next := make(chan int)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for range min(m.cfg.Concurrency, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res, err := match(ctx, i)
				if err != nil {
					errOnce.Do(func() {
						firstErr = fmt.Errorf("%s %d: %w", what, i, err)
						cancel()
					})
					continue
				}
				out[i] = Ranked{Index: i, Result: res}
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b Ranked) int { return cmp.Compare(b.Result.Score, a.Result.Score) })
	return out, nil
}
