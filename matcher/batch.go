package matcher

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/jobmatch/jobmatch/yake"
)

// MatchEach matches the resumes 0 to n-1 against job on at most
// Config.Concurrency goroutines and hands each result to yield as soon as
// it is ready, in no particular order, so that a caller can rank any number
// of resumes while holding only what it keeps. resume gives the prepared
// resume i (from PrepareResume, RestoreResume or a cache of its own); its
// error, or that of the comparison, is handed to yield with the index and
// does not stop the others. yield is called by one goroutine at a time; an
// error it returns stops the run and is returned. MatchEach returns ctx's
// error if ctx ends before every resume is done.
func (m *Matcher) MatchEach(ctx context.Context, job *Job, n int,
	resume func(ctx context.Context, i int) (*Resume, error),
	yield func(i int, res *Result, err error) error) error {
	var mu sync.Mutex // serialises yield
	return forEach(ctx, m.cfg.Concurrency, n, func(ctx context.Context, i int) error {
		r, err := resume(ctx, i)
		var res *Result
		if err == nil {
			res, err = m.compare(ctx, job, r)
		}
		if ctx.Err() != nil {
			return nil // the run is over; forEach says why
		}
		mu.Lock()
		defer mu.Unlock()
		return yield(i, res, err)
	})
}

// forEach calls work for 0..n-1 on at most workers goroutines. The first
// error of work cancels the context the others see, stops handing out
// indices and is returned; so is ctx's cause if ctx ends first.
func forEach(ctx context.Context, workers, n int, work func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := work(ctx, i); err != nil {
					cancel(err)
				}
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
	return context.Cause(ctx)
}

// PreparedKeyword is a keyword of a prepared resume with its embedding: what
// a cache keeps to restore the resume without extracting or embedding again.
type PreparedKeyword struct {
	Text  string    // as extracted
	Score float64   // YAKE score
	Vec   []float32 // the embedding of its normal form
}

// Prepared returns the resume's keywords, most important first, with their
// embeddings (nil for a resume that was not embedded, which PrepareResume
// never returns). The vectors are shared: do not modify them.
func (r *Resume) Prepared() []PreparedKeyword {
	out := make([]PreparedKeyword, len(r.keywords))
	for i, k := range r.keywords {
		out[i] = PreparedKeyword{Text: k.text, Score: k.score}
		if r.vecs != nil {
			out[i].Vec = r.vecs[i]
		}
	}
	return out
}

// ErrBadPrepared means keywords given to RestoreResume could not have come
// from Resume.Prepared of a matcher with these settings.
var ErrBadPrepared = errors.New("matcher: prepared keywords do not fit")

// RestoreResume returns the prepared resume whose keywords, from
// Resume.Prepared of a Matcher with the same settings and model, are kws,
// without extracting or embedding anything. text is the resume text, read
// for its language and where its keywords occur. kws is checked as untrusted input (a cache on
// disk): at most Config.ResumeKeywords distinct keywords of at most
// MaxKeywordBytes, finite scores ≥ 0, and vectors all present, of one
// length and finite; otherwise the error wraps ErrBadPrepared.
func (m *Matcher) RestoreResume(text string, kws []PreparedKeyword) (*Resume, error) {
	if len(kws) > m.cfg.ResumeKeywords {
		return nil, fmt.Errorf("%w: %d keywords, the settings take %d", ErrBadPrepared, len(kws), m.cfg.ResumeKeywords)
	}
	if len(text) > m.cfg.MaxTextBytes {
		return nil, fmt.Errorf("%w: resume has %d bytes, the limit is %d", ErrTooLarge, len(text), m.cfg.MaxTextBytes)
	}
	text = strings.ToValidUTF8(text, " ")
	a := analysed{keywords: make([]keyword, len(kws)), index: newTextIndex(text), years: yearsStatements(text)}
	a.language, _ = yake.DetectLanguage(text)
	lang := m.language(a.language)
	r := &Resume{analysed: a, byKey: make(map[string]int, len(kws))}
	if len(kws) > 0 {
		r.vecs = make([][]float32, len(kws))
	}
	for i, k := range kws {
		switch {
		case len(k.Text) > MaxKeywordBytes:
			return nil, fmt.Errorf("%w: keyword %d is too long", ErrBadPrepared, i)
		case math.IsNaN(k.Score) || math.IsInf(k.Score, 0) || k.Score < 0:
			return nil, fmt.Errorf("%w: keyword %d has score %g", ErrBadPrepared, i, k.Score)
		case len(k.Vec) == 0 || len(k.Vec) != len(kws[0].Vec):
			return nil, fmt.Errorf("%w: keyword %d has a vector of %d, want %d", ErrBadPrepared, i, len(k.Vec), len(kws[0].Vec))
		}
		for _, x := range k.Vec {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, fmt.Errorf("%w: keyword %d has a vector that is not finite", ErrBadPrepared, i)
			}
		}
		kw, ok := m.describe(k.Text, k.Score, a.index.find(words(normalize(k.Text)), maxSpans), a.index, lang)
		if _, dup := r.byKey[kw.key]; !ok || dup {
			return nil, fmt.Errorf("%w: keyword %d is empty, not a skill or repeated", ErrBadPrepared, i)
		}
		r.keywords[i] = kw
		r.byKey[kw.key] = i
		r.vecs[i] = k.Vec
	}
	return r, nil
}
