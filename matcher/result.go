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
	// mean what it seems to (WarnResumeEmpty); empty when there is nothing
	// to say.
	Warnings []string `json:"warnings"`
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

// Warnings of a [Result].
const (
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
	// Resume is the resume keyword (or, via text, the phrase) most similar
	// to Keyword, empty when the resume has no keywords.
	Resume string `json:"resume_keyword"`
	// Similarity is the cosine similarity of Keyword and Resume, 1 for an
	// exact match, 0 when Resume is empty.
	Similarity float64 `json:"similarity"`
	// Via says how Resume was found.
	Via Via `json:"via"`
}
