package matcher

import (
	"context"
	"fmt"
	"sync"

	"github.com/jobmatch/jobmatch/sbert"
	"github.com/jobmatch/jobmatch/yake"
)

// The YAKE extractor and the sentence-transformers model are what New takes.
var (
	_ KeywordExtractor = (*yake.Extractor)(nil)
	_ Embedder         = (*sbert.Model)(nil)
)

// NewFromModelDir returns a Matcher that extracts keywords with YAKE, set up
// from cfg.Language and cfg.MaxNGram, and embeds them with the
// sentence-transformers model in dir (all-MiniLM-L6-v2), loaded with opts:
// sbert.WithInt8() computes embeddings 2 to 4 times as fast on CPUs with int8
// dot-product instructions, with similarities within about 0.01 of the
// float32 ones.
func NewFromModelDir(ctx context.Context, dir string, cfg Config, opts ...sbert.Option) (*Matcher, error) {
	model, err := sbert.Load(ctx, dir, opts...)
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	return NewWithEmbedder(model, cfg)
}

// NewWithEmbedder returns a Matcher that extracts keywords with YAKE, set up
// from cfg.Language and cfg.MaxNGram, and embeds them with embedder. Matchers
// with different settings can share one loaded model this way.
func NewWithEmbedder(embedder Embedder, cfg Config) (*Matcher, error) {
	ext, err := newYAKE(cfg)
	if err != nil {
		return nil, err
	}
	m, err := New(ext, embedder, cfg)
	if err != nil {
		return nil, err
	}
	m.byLanguage = yakeByLanguage(cfg, ext)
	return m, nil
}

// yakeByLanguage returns a function that gives the YAKE extractor for a
// detected language, made once per language: cfg's settings with that
// language's stopwords; ext for cfg.Language.
func yakeByLanguage(cfg Config, ext *yake.Extractor) func(string) (KeywordExtractor, error) {
	var byLang sync.Map // language → *yake.Extractor
	byLang.Store(cfg.Language, ext)
	return func(lang string) (KeywordExtractor, error) {
		if e, ok := byLang.Load(lang); ok {
			return e.(*yake.Extractor), nil
		}
		c := cfg
		c.Language = lang
		e, err := newYAKE(c)
		if err != nil {
			return nil, err
		}
		got, _ := byLang.LoadOrStore(lang, e)
		return got.(*yake.Extractor), nil
	}
}

// WithConfig returns a Matcher with the settings of cfg that extracts
// keywords with YAKE, set up from cfg as by NewWithEmbedder, and shares m's
// embedder and embedding cache: a service that lets each request choose its
// settings keeps one cache, whatever the settings asked for. cfg's
// CacheSize is ignored; the cache is m's.
func (m *Matcher) WithConfig(cfg Config) (*Matcher, error) {
	ext, err := newYAKE(cfg)
	if err != nil {
		return nil, err
	}
	cfg.CacheSize = m.cfg.CacheSize
	n, err := New(ext, m.embedder, cfg)
	if err != nil {
		return nil, err
	}
	n.byLanguage = yakeByLanguage(cfg, ext)
	n.cache = m.cache
	return n, nil
}

// newYAKE returns the YAKE extractor for cfg.
func newYAKE(cfg Config) (*yake.Extractor, error) {
	opts := yake.DefaultOptions()
	opts.Language = cfg.Language
	opts.MaxNGram = cfg.MaxNGram
	opts.Top = max(cfg.JobKeywords, cfg.ResumeKeywords)
	ext, err := yake.New(opts)
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	return ext, nil
}
