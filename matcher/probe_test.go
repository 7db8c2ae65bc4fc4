package matcher_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/matchertest"
	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// The probes pin how the matcher judges a candidate where a recruiter
// would notice a mistake (issue 14): abbreviations, spellings of skill
// names, keywords that are not skills, other languages, empty input. Those
// that need similarities use the real model and skip without it; those
// that only need keywords use YAKE with a stand-in embedder.

// probeJob is a posting with locations, boilerplate and headings on their
// own lines.
const probeJob = `Machine Learning Engineer
We are hiring a Machine Learning Engineer to build our recommendation platform.
Our team in Berlin works with Hamburg and Munich, Germany.

Requirements
Experience with machine learning, deep learning and natural language processing.
Amazon Web Services, Docker and Kubernetes in production.
Strong Python and SQL.

Equal opportunity employer. Location: Berlin, Germany.`

// Two resumes with the same content, one in abbreviations.
const (
	probeSpelled = `Software engineer, five years.
Skills
Machine learning, deep learning, natural language processing, Amazon Web Services, Kubernetes, Docker, Python, SQL.
Built machine learning models and deep learning pipelines for natural language processing on Amazon Web Services.`
	probeAbbreviated = `Software engineer, five years.
Skills
ML, DL, NLP, AWS, k8s, Docker, Python, SQL.
Built ML models and DL pipelines for NLP on AWS.`
)

func probeMatcher(t *testing.T) *matcher.Matcher {
	t.Helper()
	m, err := matcher.NewFromModelDir(context.Background(), sberttest.ModelDir(t), matcher.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// keywordMatcher is YAKE with a stand-in embedder: keywords, languages,
// warnings and evidence are real, similarities are not.
func keywordMatcher(t *testing.T) *matcher.Matcher {
	t.Helper()
	m, err := matcher.NewWithEmbedder(matchertest.HashEmbedder{}, matcher.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustMatch(t *testing.T, m *matcher.Matcher, job, resume string) *matcher.Result {
	t.Helper()
	res, err := m.Match(context.Background(), job, resume)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestProbeAbbreviations(t *testing.T) {
	m := probeMatcher(t)
	spelled := mustMatch(t, m, probeJob, probeSpelled)
	abbreviated := mustMatch(t, m, probeJob, probeAbbreviated)
	t.Logf("spelled out %.3f, abbreviated %.3f", spelled.Score, abbreviated.Score)
	if d := math.Abs(spelled.Score - abbreviated.Score); d > 0.05 {
		t.Errorf("spelled out %.3f, abbreviated %.3f: %.0f points apart, want at most 5\nspelled: %s\nabbreviated: %s",
			spelled.Score, abbreviated.Score, 100*d, spelled.Explanation, abbreviated.Explanation)
	}
	for _, skill := range []string{"machine learning", "deep learning", "natural language processing", "Amazon Web Services", "Kubernetes"} {
		k, ok := find(abbreviated.Matched, skill)
		if !ok || k.Via != matcher.ViaKeyword {
			t.Errorf("%q: matched %v (%+v) by the abbreviated resume, want matched via keyword", skill, ok, k)
		}
	}
}

// find returns the entry whose keyword is skill, ignoring case.
func find(ks []matcher.Keyword, skill string) (matcher.Keyword, bool) {
	i := slices.IndexFunc(ks, func(k matcher.Keyword) bool { return strings.EqualFold(k.Keyword, skill) })
	if i < 0 {
		return matcher.Keyword{}, false
	}
	return ks[i], true
}

// TestProbeSkillSpellings: names with '#', '+', '.', '/', digits or two
// hyphens, which YAKE drops or breaks, reach the result and match their
// variants.
func TestProbeSkillSpellings(t *testing.T) {
	job := `Backend Developer
We build services in C#, C++ and .NET, and web front ends in React and Node.js.
You know natural language processing, CI/CD pipelines and Kubernetes.
C#, C++, .NET, React, Node.js, CI/CD, Kubernetes and natural language processing are the core of the job.`
	resume := `Developer
Seven years of C# and C++ on .NET; front ends in React.js with NodeJS.
Natural-language-processing projects; CI/CD with Jenkins; k8s clusters.
C#, C++, .NET, React.js, NodeJS, CI/CD, k8s, natural-language-processing.`
	res := mustMatch(t, keywordMatcher(t), job, resume)
	for _, skill := range []string{"C#", "C++", ".NET", "React", "Node.js", "CI/CD", "Kubernetes", "natural language processing"} {
		k, ok := find(res.Matched, skill)
		if !ok {
			t.Errorf("%q is not matched; matched %q, missing %q", skill, keywordsOf(res.Matched), keywordsOf(res.Missing))
			continue
		}
		if k.Via != matcher.ViaKeyword {
			t.Errorf("%q matched via %s (%q), want via keyword", skill, k.Via, k.Resume)
		}
		if len(k.JobSpans) == 0 || len(k.ResumeSpans) == 0 {
			t.Errorf("%q: job spans %v, resume spans %v, want both found", skill, k.JobSpans, k.ResumeSpans)
		}
	}
}

// TestProbeNonSkills: places, boilerplate and bare job titles are neither
// matched nor missing, and no job keyword runs across a line break (a
// resume's may: cutting them ranks worse, see EVALUATION.md).
func TestProbeNonSkills(t *testing.T) {
	resume := "Engineer in Berlin, Germany.\nSkills\nCooking, baking and team leadership in Berlin restaurants."
	res := mustMatch(t, keywordMatcher(t), probeJob, resume)
	all := append(slices.Clone(res.Matched), res.Missing...)
	for _, k := range all {
		for _, bad := range []string{"berlin", "hamburg", "munich", "germany", "hiring", "employer", "location"} {
			if slices.Contains(strings.Fields(strings.ToLower(k.Keyword)), bad) {
				t.Errorf("job keyword %q: %q is not a skill", k.Keyword, bad)
			}
		}
		for _, bare := range []string{"engineer", "requirements", "experience", "skills"} {
			if strings.EqualFold(k.Keyword, bare) || strings.EqualFold(k.Resume, bare) {
				t.Errorf("job keyword %q ~ %q: a bare %q is not a skill", k.Keyword, k.Resume, bare)
			}
		}
		for _, s := range k.JobSpans {
			if strings.Contains(probeJob[s.Start:s.End], "\n") {
				t.Errorf("job keyword %q runs across a line break: %q", k.Keyword, probeJob[s.Start:s.End])
			}
		}
	}
	if _, ok := find(all, "Machine Learning Engineer"); !ok {
		t.Errorf("the job's title is not a keyword: %q", keywordsOf(all))
	}
}

// TestProbeBareTitle: a resume's bare "engineer" does not match "Machine
// Learning Engineer".
func TestProbeBareTitle(t *testing.T) {
	res := mustMatch(t, probeMatcher(t), probeJob, "Engineer. I am an engineer who cooks, bakes and runs a kitchen as an engineer would.")
	if k, ok := find(res.Matched, "Machine Learning Engineer"); ok {
		t.Errorf("Machine Learning Engineer matched by %q (%.2f via %s)", k.Resume, k.Similarity, k.Via)
	}
}

// probePortuguese is a data-science resume in Portuguese.
const probePortuguese = `Cientista de Dados
Cientista de dados com cinco anos de experiência em aprendizado de máquina para o varejo.
Desenvolvi modelos de previsão de demanda e de churn para clientes, com Python, SQL e Spark.
Trabalhei com a equipe de produto para definir métricas e analisar testes A/B.
Formação: mestrado em estatística pela Universidade de São Paulo.`

// TestProbeOtherLanguage: a Portuguese resume is detected, its stopwords
// are not keywords, and the result warns that the English-only model does
// not cover it.
func TestProbeOtherLanguage(t *testing.T) {
	res := mustMatch(t, keywordMatcher(t), probeJob, probePortuguese)
	if res.Language.Job != "en" || res.Language.Resume != "pt" {
		t.Errorf("languages %+v, want job en, resume pt", res.Language)
	}
	for _, w := range []string{matcher.WarnResumeLanguage, matcher.WarnLanguagesDiffer} {
		if !slices.Contains(res.Warnings, w) {
			t.Errorf("warnings %q lack %q", res.Warnings, w)
		}
	}
	if slices.Contains(res.Warnings, matcher.WarnJobLanguage) {
		t.Errorf("warnings %q: the English job is covered", res.Warnings)
	}
	for _, k := range append(res.Matched, res.Missing...) {
		ws := strings.Fields(strings.ToLower(k.Resume))
		if len(ws) > 0 && (slices.Contains([]string{"para", "com", "de", "em", "pela", "o", "a"}, ws[0]) || slices.Contains([]string{"para", "com", "de", "em"}, ws[len(ws)-1])) {
			t.Errorf("resume keyword %q starts or ends with a Portuguese stopword", k.Resume)
		}
	}
	// A multilingual model covers it: no language warning.
	cfg := matcher.DefaultConfig()
	cfg.ModelLanguages = "en,pt"
	m, err := keywordMatcher(t).WithConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res = mustMatch(t, m, probeJob, probePortuguese)
	if slices.Contains(res.Warnings, matcher.WarnResumeLanguage) {
		t.Errorf("model languages en,pt: warnings %q", res.Warnings)
	}
}

// TestProbeEmptyResume: an empty resume scores 0 and says why.
func TestProbeEmptyResume(t *testing.T) {
	for _, resume := range []string{"", "   \n\t", "the and of"} {
		res := mustMatch(t, keywordMatcher(t), probeJob, resume)
		if res.Score != 0 || !slices.Contains(res.Warnings, matcher.WarnResumeEmpty) || len(res.Matched) != 0 {
			t.Errorf("resume %q: score %g, warnings %q, %d matched; want 0, WarnResumeEmpty, none", resume, res.Score, res.Warnings, len(res.Matched))
		}
		if !strings.Contains(res.Explanation, "0 of") {
			t.Errorf("resume %q: explanation %q does not say that nothing matched", resume, res.Explanation)
		}
	}
}

// TestEvidence checks the offsets of every keyword: the text at each span
// is the keyword's words, or an alias of it ("Excel" for Microsoft Excel),
// and the contributions add up to the score.
func TestEvidence(t *testing.T) {
	job, resume := readSample(t, "job.txt"), readSample(t, "resume.txt")
	res := mustMatch(t, keywordMatcher(t), job, resume)
	var sum float64
	for _, k := range append(slices.Clone(res.Matched), res.Missing...) {
		sum += k.Contribution
		if len(k.JobSpans) == 0 {
			t.Errorf("job keyword %q: no span in the job", k.Keyword)
		}
		for _, s := range k.JobSpans {
			if got := job[s.Start:s.End]; !sameWords(got, k.Keyword) && !matcher.SameSkill(got, k.Keyword) {
				t.Errorf("job keyword %q at %v is %q", k.Keyword, s, got)
			}
		}
		for _, s := range k.ResumeSpans {
			if got := resume[s.Start:s.End]; !sameWords(got, k.Resume) && !matcher.SameSkill(got, k.Resume) {
				t.Errorf("resume keyword %q at %v is %q", k.Resume, s, got)
			}
		}
	}
	if math.Abs(sum-res.Score) > 1e-9 {
		t.Errorf("contributions add up to %g, score %g", sum, res.Score)
	}
	if !strings.Contains(res.Explanation, "Most gained") || !strings.Contains(res.Explanation, "Most lost") {
		t.Errorf("explanation %q names no keywords", res.Explanation)
	}
}

// sameWords reports whether a and b have the same words, ignoring case
// and what separates them.
func sameWords(a, b string) bool {
	f := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !strings.ContainsRune("+#", r) && !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r > 127)
		})
	}
	return slices.Equal(f(a), f(b))
}
