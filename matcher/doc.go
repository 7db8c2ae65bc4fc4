// Package matcher tells how well a resume fits a job description: it extracts
// keywords from both texts, embeds them, and reports which of the job's
// keywords the resume matches, which it misses, and an overall score.
//
// # How a match works
//
// The job's most important keywords (Config.JobKeywords, by YAKE score) and
// the resume's (Config.ResumeKeywords) are normalised: NFKC, lower case,
// white space collapsed. A job keyword is matched exactly, with similarity 1
// and no model call, when a resume keyword has the same normal form or, with
// Config.MatchText, when its words occur together anywhere in the resume
// text. Every other job keyword is compared by the cosine similarity of the
// embeddings with every resume keyword; the most similar is its counterpart,
// and it is matched when the similarity is at least Config.Threshold.
//
// The score is Σ wᵢ·sᵢ over the matched job keywords, where sᵢ is the
// similarity and wᵢ the keyword's importance, the weights of all job keywords
// summing to 1 (Config.Weighting; by default wᵢ ∝ 1/log2(rᵢ+2) for the
// keyword of rank rᵢ, 0 for the most important). A score of 1 means every job
// keyword is in the resume as it is; 0 means none is matched.
//
// The defaults (30 job keywords, 60 resume keywords, threshold 0.6, rank
// weighting, text matching off) were chosen by the evaluation in
// EVALUATION.md, which ranks real resumes for real data-science job postings.
// Text matching never calls a keyword missing that the resume text contains,
// which suits a report read by a person, but it credits common words found
// anywhere in a resume, and ranks resumes less well.
//
// # Embeddings
//
// Keywords are embedded in their normal form, one batched call per text, and
// kept in a bounded least-recently-used cache shared by all calls
// (Config.CacheSize), so that ranking many resumes against one job embeds
// each distinct keyword once; concurrent calls that need the same new keyword
// wait for one embedding of it.
//
// # Inputs
//
// Texts longer than Config.MaxTextBytes (1 MiB by default) give ErrTooLarge;
// keywords longer than MaxKeywordBytes (100) are dropped.
// Invalid UTF-8 is replaced by spaces. A job without keywords (empty or blank
// text, only stopwords) gives ErrEmptyJob, since there is nothing to match;
// a resume without keywords gives a Result with score 0 and every job keyword
// missing.
//
// # Reuse and concurrency
//
// A Matcher is safe for concurrent use. [Matcher.PrepareJob] extracts and
// embeds a job once for [Matcher.MatchPrepared] and [Matcher.RankResumes];
// [Matcher.PrepareResume] does the same for a resume and
// [Matcher.RankJobs]. A prepared Job or Resume carries the settings of the
// Matcher that prepared it (keyword counts, weights, text index). Everything that may take time takes a context and stops when
// it is cancelled.
//
// [Matcher.MatchEach] streams a batch of any size: it hands each resume's
// result (or error, which stops nothing else) to the caller as soon as it is
// ready. [Resume.Prepared] and [Matcher.RestoreResume] let a cache outside
// the process keep prepared resumes, so that ranking them against another job
// costs only the comparison. [FindSpans] says where keywords occur in a text,
// for highlighting.
//
// # JSON
//
// A [Result] marshals with stable snake_case names:
//
//	{
//	  "score": 0.71,
//	  "matched": [
//	    {"keyword": "machine learning", "importance": 0.09, "yake_score": 0.004,
//	     "resume_keyword": "machine learning", "similarity": 1, "via": "keyword"},
//	    {"keyword": "Kubernetes", "importance": 0.05, "yake_score": 0.02,
//	     "resume_keyword": "Docker", "similarity": 0.64, "via": "embedding"}
//	  ],
//	  "missing": [
//	    {"keyword": "Spark", "importance": 0.06, "yake_score": 0.01,
//	     "resume_keyword": "pandas", "similarity": 0.41, "via": "embedding"}
//	  ],
//	  "warnings": [],
//	  "settings": {"job_keywords": 30, "resume_keywords": 60, "max_ngram": 3,
//	    "language": "en", "threshold": 0.6, "weighting": "rank", "match_text": false}
//	}
//
// matched, missing and warnings are ordered by importance, most important
// first, and are empty arrays rather than null. A missing keyword still names
// its closest resume keyword. via is "keyword" (same normal form), "text"
// (found in the resume text), "embedding", or "none" when the resume has no
// keywords: then resume_keyword is "", similarity 0, and warnings says why
// (WarnResumeEmpty). Keywords longer than MaxKeywordBytes are dropped, so a
// Result stays small whatever the texts hold.
package matcher
