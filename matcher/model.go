package matcher

import (
	"context"
	"fmt"

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
// sentence-transformers model in dir (all-MiniLM-L6-v2).
func NewFromModelDir(ctx context.Context, dir string, cfg Config) (*Matcher, error) {
	model, err := sbert.Load(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	return NewWithEmbedder(model, cfg)
}

// NewWithEmbedder returns a Matcher that extracts keywords with YAKE, set up
// from cfg.Language and cfg.MaxNGram, and embeds them with embedder. Matchers
// with different settings can share one loaded model this way.
func NewWithEmbedder(embedder Embedder, cfg Config) (*Matcher, error) {
	opts := yake.DefaultOptions()
	opts.Language = cfg.Language
	opts.MaxNGram = cfg.MaxNGram
	opts.Top = max(cfg.JobKeywords, cfg.ResumeKeywords)
	ext, err := yake.New(opts)
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	return New(ext, embedder, cfg)
}
