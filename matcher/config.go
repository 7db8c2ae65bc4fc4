package matcher

import (
	"fmt"
	"math"
	"runtime"

	"github.com/jobmatch/jobmatch/matcher/document"
)

// Weighting says how a job keyword's YAKE score becomes its share of the
// overall score.
type Weighting string

// The weightings. YAKE scores are lower for more important keywords and span
// orders of magnitude, so they are turned into weights that sum to 1.
const (
	// WeightRank weighs the keyword of rank r (0 for the most important) by
	// 1/log2(r+2), as discounted cumulative gain does: the first keyword
	// counts 1, the tenth 0.29, the fortieth 0.19.
	WeightRank Weighting = "rank"
	// WeightInverse weighs a keyword by 1/(score+0.01). YAKE scores of the
	// top keywords can be tiny, so a few keywords may dominate.
	WeightInverse Weighting = "inverse"
	// WeightUniform weighs every keyword the same.
	WeightUniform Weighting = "uniform"
)

// inverseEpsilon keeps WeightInverse finite for scores near zero.
const inverseEpsilon = 0.01

// Config holds the settings of a [Matcher]. Start from [DefaultConfig]; the
// JSON form of a Config is the "settings" of a [Result].
type Config struct {
	// JobKeywords is how many keywords are taken from the job, the most
	// important first.
	JobKeywords int `json:"job_keywords"`
	// ResumeKeywords is how many keywords are taken from the resume.
	ResumeKeywords int `json:"resume_keywords"`
	// MaxNGram is the longest keyword in words, and Language the language
	// of the texts (its stopword list); [NewFromModelDir] builds its YAKE
	// extractor with them. A Matcher made by [New] reports them as given.
	MaxNGram int    `json:"max_ngram"`
	Language string `json:"language"`
	// Threshold is the least cosine similarity, in [0, 1], at which a job
	// keyword counts as matched by its most similar resume keyword.
	Threshold float64 `json:"threshold"`
	// Weighting turns YAKE scores into keyword weights.
	Weighting Weighting `json:"weighting"`
	// MatchText makes a job keyword matched, with similarity 1, when its
	// words occur together anywhere in the resume text, not only among the
	// resume's keywords.
	MatchText bool `json:"match_text"`
	// OptionalDiscount lowers the importance of a job keyword that the
	// posting names only as optional (under "Preferred qualifications", or
	// in a sentence with "a plus", "preferred", "nice to have"): its weight
	// is multiplied by 1 − OptionalDiscount before the weights are scaled
	// to sum to 1. 0, the default, weighs required and optional keywords
	// alike: 0.5 changed no ranking measure by more than 0.001
	// (EVALUATION.md). Result keywords say which are optional either way.
	OptionalDiscount float64 `json:"optional_discount"`
	// YearsShortfall lowers the contribution of a matched job keyword for
	// which the posting asks more years of experience than the resume
	// states ("3+ years of experience with SQL" against "SQL (1 year)"):
	// it is multiplied by 1 − YearsShortfall × (1 − stated/required), so
	// that 1 scales it by the share of the years, and it never falls below
	// 0, what a missing keyword adds. 0, the default, changes nothing: 1
	// and 0.5 ranked worse on the evaluation (EVALUATION.md). Result
	// keywords carry the years either way (years_required, years_stated).
	YearsShortfall float64 `json:"years_shortfall"`
	// ModelLanguages are the languages the embedding model covers, as
	// comma-separated codes ("en" for all-MiniLM-L6-v2), or "*" for any; a
	// text detected in another language gets a warning in the Result.
	ModelLanguages string `json:"model_languages"`

	// Vocabulary holds the skill aliases, non-skill words and place names;
	// nil means DefaultVocabulary.
	Vocabulary *Vocabulary `json:"-"`

	// MaxTextBytes is the largest text accepted; larger ones give
	// ErrTooLarge.
	MaxTextBytes int `json:"-"`
	// Concurrency bounds the matches run at once by RankResumes and
	// RankJobs; 0 means runtime.GOMAXPROCS(0).
	Concurrency int `json:"-"`
	// CacheSize is how many keyword embeddings are kept; 0 means 10000,
	// a negative value disables the cache.
	CacheSize int `json:"-"`
	// Documents bounds the reading of documents (MatchDocuments and the
	// other *Document methods); zero fields take document.DefaultLimits.
	Documents document.Limits `json:"-"`
}

// DefaultConfig returns the settings chosen by the evaluation in
// EVALUATION.md.
func DefaultConfig() Config {
	return Config{
		JobKeywords:    30,
		ResumeKeywords: 60,
		MaxNGram:       3,
		Language:       "en",
		Threshold:      0.6,
		Weighting:      WeightRank,
		MatchText:      false,
		ModelLanguages: "en",
		MaxTextBytes:   1 << 20,
	}
}

const defaultCacheSize = 10000

// validate checks c and fills in the defaults of the operational fields.
func (c Config) validate() (Config, error) {
	switch {
	case c.JobKeywords <= 0:
		return c, fmt.Errorf("matcher: JobKeywords %d: must be positive", c.JobKeywords)
	case c.ResumeKeywords <= 0:
		return c, fmt.Errorf("matcher: ResumeKeywords %d: must be positive", c.ResumeKeywords)
	case c.MaxNGram <= 0:
		return c, fmt.Errorf("matcher: MaxNGram %d: must be positive", c.MaxNGram)
	case math.IsNaN(c.Threshold) || c.Threshold < 0 || c.Threshold > 1:
		return c, fmt.Errorf("matcher: Threshold %g: must be in [0, 1]", c.Threshold)
	case math.IsNaN(c.OptionalDiscount) || c.OptionalDiscount < 0 || c.OptionalDiscount >= 1:
		return c, fmt.Errorf("matcher: OptionalDiscount %g: must be in [0, 1)", c.OptionalDiscount)
	case math.IsNaN(c.YearsShortfall) || c.YearsShortfall < 0 || c.YearsShortfall > 1:
		return c, fmt.Errorf("matcher: YearsShortfall %g: must be in [0, 1]", c.YearsShortfall)
	case c.MaxTextBytes <= 0:
		return c, fmt.Errorf("matcher: MaxTextBytes %d: must be positive", c.MaxTextBytes)
	case c.Concurrency < 0:
		return c, fmt.Errorf("matcher: Concurrency %d: must not be negative", c.Concurrency)
	}
	switch c.Weighting {
	case WeightRank, WeightInverse, WeightUniform:
	default:
		return c, fmt.Errorf("matcher: unknown Weighting %q", c.Weighting)
	}
	if c.Concurrency == 0 {
		c.Concurrency = runtime.GOMAXPROCS(0)
	}
	if c.CacheSize == 0 {
		c.CacheSize = defaultCacheSize
	}
	return c, nil
}

// weights returns the normalised weights of keywords with the given YAKE
// scores, most important first.
func (w Weighting) weights(scores []float64) []float64 {
	ws := make([]float64, len(scores))
	var sum float64
	for r, s := range scores {
		switch w {
		case WeightRank:
			ws[r] = 1 / math.Log2(float64(r)+2)
		case WeightInverse:
			ws[r] = 1 / (s + inverseEpsilon)
		default:
			ws[r] = 1
		}
		sum += ws[r]
	}
	for i := range ws {
		ws[i] /= sum
	}
	return ws
}
