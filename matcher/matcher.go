package matcher

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

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
	// byLanguage, if not nil, gives the extractor for a detected language
	// (NewWithEmbedder: YAKE with that language's stopwords).
	byLanguage func(lang string) (KeywordExtractor, error)
	embedder   Embedder
	cfg        Config
	vocab      *Vocabulary
	cache      *cache
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
	vocab := cfg.Vocabulary
	if vocab == nil {
		vocab = DefaultVocabulary()
	}
	return &Matcher{extractor: extractor, embedder: embedder, cfg: cfg, vocab: vocab, cache: newCache(cfg.CacheSize)}, nil
}

// Config returns the matcher's settings.
func (m *Matcher) Config() Config { return m.cfg }

// Embedder returns the embedder that m embeds keywords with: the loaded
// *sbert.Model for a Matcher from [NewFromModelDir], whose Work tells what
// the model computed.
func (m *Matcher) Embedder() Embedder { return m.embedder }

// keyword is an extracted keyword ready to be compared.
type keyword struct {
	text  string  // as extracted, skill names written back (C#, not Csharp)
	norm  string  // the canonical normal form, which is embedded
	key   string  // the form in which two keywords are the same skill
	score float64 // YAKE score
	spans []Span  // where it occurs in its text
}

// analysed is a text with its keywords, language and word index.
type analysed struct {
	keywords []keyword
	language string // detected; "" when unsure
	index    *textIndex
	years    []yearsStatement
}

// Job is a job description prepared by [Matcher.PrepareJob]: its keywords,
// their weights and their embeddings. It is immutable and safe for
// concurrent use.
type Job struct {
	analysed
	weights  []float64
	optional []bool // the keyword is only in optional parts of the posting
	vecs     [][]float32
}

// Language returns the language detected in the job text, "" when unsure.
func (j *Job) Language() string { return j.language }

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
	analysed
	byKey map[string]int // keyword key → its index
	vecs  [][]float32    // nil until needed
}

// PrepareJob extracts the job's keywords and embeds them, so that the job can
// be matched against many resumes. It returns ErrEmptyJob if the text has no
// keywords and ErrTooLarge if it is longer than Config.MaxTextBytes.
func (m *Matcher) PrepareJob(ctx context.Context, text string) (*Job, error) {
	a, err := m.analyse(ctx, text, m.cfg.JobKeywords, "job")
	if err != nil {
		return nil, err
	}
	if len(a.keywords) == 0 {
		return nil, ErrEmptyJob
	}
	vecs, err := m.embed(ctx, a.keywords)
	if err != nil {
		return nil, fmt.Errorf("matcher: job: %w", err)
	}
	scores := make([]float64, len(a.keywords))
	for i, k := range a.keywords {
		scores[i] = k.score
	}
	j := &Job{analysed: a, weights: m.cfg.Weighting.weights(scores), optional: make([]bool, len(a.keywords)), vecs: vecs}
	parts := optionalParts(strings.ToValidUTF8(text, " "))
	for i, k := range a.keywords {
		j.optional[i] = optional(k.spans, parts)
	}
	if m.cfg.OptionalDiscount > 0 && slices.Contains(j.optional, true) {
		var sum float64
		for i := range j.weights {
			if j.optional[i] {
				j.weights[i] *= 1 - m.cfg.OptionalDiscount
			}
			sum += j.weights[i]
		}
		for i := range j.weights {
			j.weights[i] /= sum
		}
	}
	return j, nil
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
	a, err := m.analyse(ctx, text, m.cfg.ResumeKeywords, "resume")
	if err != nil {
		return nil, err
	}
	r := &Resume{analysed: a, byKey: make(map[string]int, len(a.keywords))}
	for i, k := range a.keywords {
		r.byKey[k.key] = i
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

// analyse extracts at most n distinct keywords from text, most important
// first, in the text's language, leaving out those that name no skill, and
// indexes the text's words.
func (m *Matcher) analyse(ctx context.Context, text string, n int, what string) (analysed, error) {
	var a analysed
	if len(text) > m.cfg.MaxTextBytes {
		return a, fmt.Errorf("%w: %s has %d bytes, the limit is %d", ErrTooLarge, what, len(text), m.cfg.MaxTextBytes)
	}
	if err := ctx.Err(); err != nil {
		return a, err
	}
	text = strings.ToValidUTF8(text, " ")
	a.language, _ = yake.DetectLanguage(text)
	lang, ext := m.language(a.language), m.extractor
	if a.language != "" && m.byLanguage != nil {
		var err error
		if ext, err = m.byLanguage(a.language); err != nil {
			return a, fmt.Errorf("matcher: %s keywords: %w", what, err)
		}
	}
	// A resume's aliases are written out (ML → machine learning) so that
	// YAKE sees an abbreviated resume as it sees a spelled-out one; a job's
	// stay as they are, which ranks better (EVALUATION.md).
	raw, err := ext.Extract(ctx, m.vocab.rewrite(text, what == "resume"))
	if err != nil {
		return a, fmt.Errorf("matcher: %s keywords: %w", what, err)
	}
	raw = slices.Clone(raw)
	slices.SortStableFunc(raw, func(a, b yake.Keyword) int { return cmp.Compare(a.Score, b.Score) })
	a.index = newTextIndex(text)
	a.years = yearsStatements(text)
	kws := make([]keyword, 0, min(n, len(raw)))
	seen := make(map[string]bool, cap(kws))
	for _, k := range raw {
		if len(kws) == n {
			break
		}
		if math.IsNaN(k.Score) || math.IsInf(k.Score, 0) || k.Score < 0 {
			return a, fmt.Errorf("matcher: %s keyword %q has score %g, want a finite score ≥ 0", what, k.Text, k.Score)
		}
		if len(k.Text) > MaxKeywordBytes {
			continue
		}
		kw, ok := m.keyword(k, text, a.index, lang, what == "job")
		if !ok || seen[kw.key] {
			continue
		}
		seen[kw.key] = true
		kws = append(kws, kw)
	}
	a.keywords = kws
	return a, nil
}

// language returns the language whose stopwords read a text detected as
// detected ("" when unsure).
func (m *Matcher) language(detected string) string {
	if detected != "" && m.byLanguage != nil {
		return detected
	}
	return m.cfg.Language
}

// keyword turns an extracted keyword of text into one ready to compare:
// skill names written back, canonical form, where it occurs; with split, a
// keyword that runs across line breaks is cut to one line (oneLine). It
// reports false for a keyword that names no skill.
func (m *Matcher) keyword(k yake.Keyword, text string, index *textIndex, lang string, split bool) (keyword, bool) {
	shown := m.vocab.restore(k.Text)
	spans := index.find(words(normalize(shown)), maxSpans)
	if line, ok := oneLine(text, spans); ok && split {
		shown = line
		spans = index.find(words(normalize(shown)), maxSpans)
	}
	return m.describe(shown, k.Score, spans, index, lang)
}

// describe completes a keyword as shown, found at spans of its text:
// canonical form and key, and where its other forms occur when it does
// not. It reports false for a keyword that names no skill.
func (m *Matcher) describe(shown string, score float64, spans []Span, index *textIndex, lang string) (keyword, bool) {
	canon := m.vocab.canonical(normalize(shown))
	key := m.vocab.key(canon)
	if key == "" || len(canon) > MaxKeywordBytes || m.vocab.notSkill(canon, lang) {
		return keyword{}, false
	}
	for _, form := range append([]string{canon}, m.vocab.forms[canon]...) {
		if len(spans) > 0 {
			break
		}
		spans = index.find(words(form), maxSpans)
	}
	return keyword{text: shown, norm: canon, key: key, score: score, spans: spans}, true
}

// oneLine returns, for a keyword that runs across a line break wherever it
// occurs ("Engineer\nSkills Python"), its longest part on one line
// ("Skills Python"; of equal parts, the last): YAKE reads a text as
// sentences, which line breaks do not end, so a heading joins the line after
// it. The matcher cuts a job's keywords so; ending every line with a period,
// dropping such keywords, or cutting a resume's too all rank resumes worse
// (EVALUATION.md), so a resume's counterpart may still run across lines.
func oneLine(text string, spans []Span) (string, bool) {
	for _, s := range spans {
		if !strings.Contains(text[s.Start:s.End], "\n") {
			return "", false
		}
	}
	if len(spans) == 0 {
		return "", false
	}
	best := ""
	for _, part := range strings.Split(text[spans[0].Start:spans[0].End], "\n") {
		if part = strings.Join(strings.Fields(part), " "); len(words(part)) >= len(words(best)) {
			best = part
		}
	}
	best = strings.TrimRightFunc(best, func(r rune) bool { return !wordChar(r) })
	return strings.TrimLeftFunc(best, func(r rune) bool { return !wordChar(r) && r != '.' }), true
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
	res := &Result{Matched: []Keyword{}, Missing: []Keyword{}, Warnings: []string{}, Settings: m.cfg,
		Language: Languages{Job: job.language, Resume: r.language}}
	res.Warnings = m.warnings(job, r)
	entries := make([]Keyword, len(job.keywords))
	var inexact []int // job keywords without an exact match
	for i, k := range job.keywords {
		e := Keyword{Keyword: k.text, Importance: job.weights[i], YAKEScore: k.score, Optional: job.optional[i], JobSpans: k.spans, ResumeSpans: []Span{}}
		switch ri, ok := r.byKey[k.key]; {
		case ok:
			e.Resume, e.Similarity, e.Via, e.ResumeSpans = r.keywords[ri].text, 1, ViaKeyword, r.keywords[ri].spans
		case m.cfg.MatchText && r.index.contains(words(k.norm)):
			e.Resume, e.Similarity, e.Via, e.ResumeSpans = k.norm, 1, ViaText, r.index.find(words(k.norm), maxSpans)
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
			rk := r.keywords[b.Index]
			entries[i].Resume, entries[i].Similarity, entries[i].Via, entries[i].ResumeSpans = rk.text, b.Similarity, ViaEmbedding, rk.spans
		}
	}
	for i, e := range entries {
		if req, ok := yearsFor(job.years, job.keywords[i].spans); ok {
			e.YearsRequired = &req
		}
		if e.Via != ViaNone && e.Similarity >= m.cfg.Threshold {
			e.Contribution = e.Importance * max(0, e.Similarity)
			if e.YearsRequired != nil {
				e.YearsStated = resumeYears(r.years, e.ResumeSpans)
				e.Contribution *= m.cfg.yearsFactor(*e.YearsRequired, e.YearsStated)
			}
			res.Matched = append(res.Matched, e)
			res.Score += e.Contribution
		} else {
			res.Missing = append(res.Missing, e)
		}
	}
	res.Score = min(1, res.Score)
	byImportance := func(a, b Keyword) int { return cmp.Compare(b.Importance, a.Importance) }
	slices.SortStableFunc(res.Matched, byImportance)
	slices.SortStableFunc(res.Missing, byImportance)
	res.Explanation = m.explain(res)
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
	out := make([]Ranked, n)
	err := forEach(ctx, m.cfg.Concurrency, n, func(ctx context.Context, i int) error {
		res, err := match(ctx, i)
		if err != nil {
			return fmt.Errorf("%s %d: %w", what, i, err)
		}
		out[i] = Ranked{Index: i, Result: res}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b Ranked) int { return cmp.Compare(b.Result.Score, a.Result.Score) })
	return out, nil
}
