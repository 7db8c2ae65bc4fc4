package matcher

// Result is how well a resume fits a job. Its JSON form is documented in the
// package documentation.
type Result struct {
	// Score is the importance-weighted share of the job's keywords that the
	// resume matches, each counted with its similarity, in [0, 1].
	Score float64 `json:"score"`
	// Matched holds the job keywords the resume matches and Missing those it
	// does not, each most important first.
	Matched []Keyword `json:"matched"`
	Missing []Keyword `json:"missing"`
	// Warnings say, in words a person can act on, why the result may not
	// mean what it seems to (the Warn constants); empty when there is
	// nothing to say.
	Warnings []string `json:"warnings"`
	// Language is the language detected in each text.
	Language Languages `json:"language"`
	// Explanation says in one or two sentences how the score came about:
	// the weighting and the keywords that moved it most.
	Explanation string `json:"explanation"`
	// Settings are the settings the result was computed with.
	Settings Config `json:"settings"`
}

// Via says how a job keyword found its resume counterpart.
type Via string

// The ways a job keyword is matched.
const (
	// ViaKeyword: a resume keyword is the same after normalisation.
	ViaKeyword Via = "keyword"
	// ViaText: the keyword's words occur together in the resume text
	// (Config.MatchText).
	ViaText Via = "text"
	// ViaEmbedding: the most similar resume keyword by cosine similarity of
	// the embeddings.
	ViaEmbedding Via = "embedding"
	// ViaNone: the resume has no keywords, so there is nothing to compare
	// with; the keyword is missing.
	ViaNone Via = "none"
)

// Languages are the languages detected in a job and a resume, as ISO 639-1
// codes of yake's stopword lists ("en", "pt", ...; yake.Languages), "" when
// a text is too short or in no language with a list.
type Languages struct {
	Job    string `json:"job"`
	Resume string `json:"resume"`
}

// Warnings of a [Result].
const (
	// WarnJobLanguage and WarnResumeLanguage: the text is in a language
	// that the embedding model does not cover (Config.ModelLanguages), so
	// similarities, and the score, may be low because of the language
	// rather than a lack of fit.
	WarnJobLanguage    = "the job is not in a language the embedding model covers (see language and settings.model_languages): similarities and the score are unreliable; use a multilingual model"
	WarnResumeLanguage = "the resume is not in a language the embedding model covers (see language and settings.model_languages): similarities and the score are unreliable; use a multilingual model"
	// WarnLanguagesDiffer: job and resume are in different languages; an
	// English-only model cannot match their keywords.
	WarnLanguagesDiffer = "the job and the resume are in different languages, so keywords match only through a model that covers both"
	// WarnResumeEmpty: no keywords were found in the resume (it is empty,
	// blank, or only stopwords and punctuation), so every job keyword is
	// missing and the score is 0.
	WarnResumeEmpty = "the resume has no keywords (it is empty or has only stopwords, numbers or punctuation), so nothing could be matched"
)

// Keyword is one job keyword of a [Result] with its best resume counterpart.
type Keyword struct {
	// Keyword is the job keyword as extracted.
	Keyword string `json:"keyword"`
	// Importance is the keyword's weight; the weights of all job keywords
	// sum to 1.
	Importance float64 `json:"importance"`
	// YAKEScore is the keyword's YAKE score (lower is more important).
	YAKEScore float64 `json:"yake_score"`
	// Optional says that the posting names the keyword only as optional
	// ("preferred", "a plus", under "Nice to have"); its importance is
	// lowered by Config.OptionalDiscount.
	Optional bool `json:"optional"`
	// Resume is the resume keyword (or, via text, the phrase) most similar
	// to Keyword, empty when the resume has no keywords.
	Resume string `json:"resume_keyword"`
	// Similarity is the cosine similarity of Keyword and Resume, 1 for an
	// exact match, 0 when Resume is empty.
	Similarity float64 `json:"similarity"`
	// Via says how Resume was found.
	Via Via `json:"via"`
	// Contribution is what the keyword adds to the score: Importance ×
	// Similarity when matched (less with Config.YearsShortfall when the
	// resume states fewer years than the posting asks), 0 when missing.
	Contribution float64 `json:"contribution"`
	// YearsRequired is the years of experience the posting asks for the
	// keyword ("3+ years of experience with SQL": 3), and YearsStated, for
	// a matched keyword, those the resume states for its counterpart
	// ("SQL (1 year)"), or else in general ("2 years of experience"); nil,
	// and absent from JSON, when the text states none.
	YearsRequired *float64 `json:"years_required,omitempty"`
	YearsStated   *float64 `json:"years_stated,omitempty"`
	// JobSpans are where Keyword occurs in the job text and ResumeSpans
	// where Resume occurs in the resume text (byte offsets, at most 5 each,
	// for highlighting); empty when the words are not found as they are
	// (a skill written as an alias the text does not contain).
	JobSpans    []Span `json:"job_spans"`
	ResumeSpans []Span `json:"resume_spans"`
}
