package yake

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jobmatch/jobmatch/yake/internal/pyunicode"
	"github.com/jobmatch/jobmatch/yake/internal/segtok"
)

// ErrInvalidOptions is returned (wrapped) by New for options that yake
// would not accept or that have no meaning.
var ErrInvalidOptions = errors.New("yake: invalid options")

// Keyword is an extracted keyword. A lower score means a more important
// keyword.
type Keyword struct {
	Text  string  `json:"keyword"`
	Score float64 `json:"score"`
}

// Options are the parameters of yake.KeywordExtractor.
type Options struct {
	// Language selects the stopword list by its first two characters,
	// lower-cased ("en", "pt", "EN-us"); languages without a list get an
	// empty one.
	Language string `json:"language"`
	// Stopwords, when not empty, replaces the language's list. As in yake,
	// the words are used as given (not lower-cased) and an empty list
	// keeps the language's list.
	Stopwords []string `json:"stopwords,omitempty"`
	// MaxNGram is the longest keyword, in words; 0 acts as 1, as in yake.
	// At most MaxNGramLimit.
	MaxNGram int `json:"max_ngram"`
	// Top is the number of keywords to return; 0 returns all of them.
	// (yake itself returns none for top=0 when deduplication is disabled.)
	Top int `json:"top"`
	// WindowSize is how many preceding words count as co-occurring; at
	// most WindowSizeLimit.
	WindowSize int `json:"window_size"`
	// DedupThreshold in [0, 1] drops a candidate whose similarity to a
	// better keyword exceeds it; 1 disables deduplication, and then, as in
	// yake, keywords are returned lower-cased.
	DedupThreshold float64 `json:"dedup_threshold"`
	// DedupFunc names the similarity: "seqm" (yake 0.7's default), "levs"
	// (Levenshtein ratio; reproduces yake 0.6 output) or "jaro"
	// (jellyfish.jaro_similarity), or an alias yake accepts
	// ("sequencematcher", "leve", "levenshtein", "jaro_winkler"), in any
	// case. Other names are an error (yake would silently use "levs").
	DedupFunc string `json:"dedup_func"`
}

// MaxNGramLimit is the largest MaxNGram that New accepts. Extraction reads
// at most MaxNGram candidates per word, so its time and memory are linear in
// the text for every accepted value; keywords of more than a handful of
// words are phrases, not keywords (yake's own examples use 1 to 3).
const MaxNGramLimit = 10

// WindowSizeLimit is the largest WindowSize that New accepts: each word is
// paired with at most that many predecessors (yake's default is 1).
const WindowSizeLimit = 10

// DefaultOptions returns yake 0.7.3's defaults: English, trigrams, top 20,
// window 1, threshold 0.9 with "seqm".
func DefaultOptions() Options {
	return Options{Language: "en", MaxNGram: 3, Top: 20, WindowSize: 1, DedupThreshold: 0.9, DedupFunc: "seqm"}
}

// config is the validated form of Options.
type config struct {
	n, window, top int
	dedupLim       float64
	dedup          similarity
	prefilter      bool // dedup is seqm, whose cheap pre-filter the loop applies itself
	stop           map[string]struct{}
}

// Extractor extracts keywords with fixed options. It is safe for
// concurrent use.
type Extractor struct {
	opts Options
	cfg  config
}

// New returns an Extractor for opts.
func New(opts Options) (*Extractor, error) {
	switch {
	case opts.MaxNGram < 0 || opts.MaxNGram > MaxNGramLimit:
		return nil, fmt.Errorf("%w: MaxNGram %d not in [0, %d]", ErrInvalidOptions, opts.MaxNGram, MaxNGramLimit)
	case opts.Top < 0:
		return nil, fmt.Errorf("%w: Top %d < 0", ErrInvalidOptions, opts.Top)
	case opts.WindowSize < 0 || opts.WindowSize > WindowSizeLimit:
		return nil, fmt.Errorf("%w: WindowSize %d not in [0, %d]", ErrInvalidOptions, opts.WindowSize, WindowSizeLimit)
	case !(opts.DedupThreshold >= 0 && opts.DedupThreshold <= 1):
		return nil, fmt.Errorf("%w: DedupThreshold %v not in [0, 1]", ErrInvalidOptions, opts.DedupThreshold)
	}
	dedup, ok := dedupFuncs[dedupName(opts.DedupFunc)]
	if !ok {
		return nil, fmt.Errorf("%w: unknown DedupFunc %q", ErrInvalidOptions, opts.DedupFunc)
	}
	var stop map[string]struct{}
	if len(opts.Stopwords) > 0 {
		stop = make(map[string]struct{}, len(opts.Stopwords))
		for _, w := range opts.Stopwords {
			stop[w] = struct{}{}
		}
		opts.Stopwords = append([]string(nil), opts.Stopwords...)
	} else {
		stop = stopwordSet(languageCode(opts.Language))
	}
	return &Extractor{opts: opts, cfg: config{
		n:         opts.MaxNGram,
		window:    opts.WindowSize,
		top:       opts.Top,
		dedupLim:  opts.DedupThreshold,
		dedup:     dedup,
		prefilter: dedupName(opts.DedupFunc) == "seqm" || dedupName(opts.DedupFunc) == "sequencematcher",
		stop:      stop,
	}}, nil
}

// Options returns the options the Extractor was made with.
func (e *Extractor) Options() Options {
	o := e.opts
	o.Stopwords = append([]string(nil), o.Stopwords...)
	if len(o.Stopwords) == 0 {
		o.Stopwords = nil
	}
	return o
}

// Extract returns the keywords of text, most important first, as yake
// 0.7.3's extract_keywords does. Invalid UTF-8 is read with each bad byte
// replaced by U+FFFD. It returns ctx.Err() if ctx is done before it
// finishes; the check happens every few thousand words, even inside one
// long sentence, and during deduplication, so cancellation takes effect
// within milliseconds except during the initial sentence split. Time and
// memory are linear in the length of text (about MaxNGram candidates a
// word, a few dozen bytes each), except that Top = 0 with deduplication
// compares every keyword with every kept one.
func (e *Extractor) Extract(ctx context.Context, text string) ([]Keyword, error) {
	if text == "" {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d := newDoc(&e.cfg, len(text))
	for i, s := range segtok.SplitMulti(prepare(text)) {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if pyunicode.Strip(s) == "" {
			continue
		}
		if err := d.addSentence(ctx, sentenceTokens(s)); err != nil {
			return nil, err
		}
	}
	return d.finish(ctx)
}

// extractTokens runs the extraction on already tokenised sentences.
func (e *Extractor) extractTokens(ctx context.Context, sentences [][]string) ([]Keyword, error) {
	d := newDoc(&e.cfg, 0)
	for _, s := range sentences {
		if err := d.addSentence(ctx, s); err != nil {
			return nil, err
		}
	}
	return d.finish(ctx)
}

func (d *doc) finish(ctx context.Context) ([]Keyword, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.scoreTerms()
	valid, ok := d.scoreCandidates()
	if !ok {
		// yake 0.7.3 catches the ZeroDivisionError and returns nothing.
		return nil, nil
	}
	return d.keywords(ctx, valid)
}

// prepare applies yake's text clean-up before sentence splitting:
// newlines and tabs become spaces, and the text gets a leading "\n\n" if
// it starts with an upper-case ASCII letter (after white space), a
// leading space otherwise.
func prepare(text string) string {
	text = strings.ReplaceAll(validUTF8(text), "\n", " ")
	prefix := " "
	if t := strings.TrimLeftFunc(text, pyunicode.IsSpace); t != "" && 'A' <= t[0] && t[0] <= 'Z' {
		prefix = "\n\n"
	}
	return prefix + strings.ReplaceAll(text, "\t", " ")
}

// validUTF8 replaces each byte of text that is not valid UTF-8 by U+FFFD.
func validUTF8(text string) string {
	if utf8.ValidString(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 16)
	for _, r := range text {
		b.WriteRune(r)
	}
	return b.String()
}

// sentenceTokens tokenises one sentence as yake does, dropping tokens
// that start with an ASCII apostrophe ("'s" from "Kaggle's").
func sentenceTokens(s string) []string {
	toks := segtok.SplitContractions(segtok.WebTokenizer(s))
	out := toks[:0]
	for _, w := range toks {
		if w == "" || len(w) > 1 && w[0] == '\'' {
			continue
		}
		out = append(out, w)
	}
	return out
}
