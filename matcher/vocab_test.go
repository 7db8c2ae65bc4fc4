package matcher

import (
	"compress/gzip"
	"encoding/csv"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestVocabularyCanonical(t *testing.T) {
	v := DefaultVocabulary()
	tests := []struct{ in, canon, key string }{
		{"ML", "machine learning", "machine learning"},
		{"ml engineer", "machine learning engineer", "machine learning engineer"},
		{"AWS", "amazon web services", "amazon web service"},
		{"k8s", "kubernetes", "kubernetes"},
		{"React.js", "react", "react"},
		{"ReactJS", "react", "react"},
		{"NodeJS", "node.js", "node.js"},
		{"machine-learning models", "machine-learning models", "machine learning model"},
		{"technologies", "technologies", "technology"},
		{"pandas", "pandas", "panda"}, // only keys are singular, and both sides alike
		{"analytics", "analytics", "analytics"},
		{"Csharp", "c#", "c#"}, // the placeholder of C#
		{"Keights", "kubernetes", "kubernetes"},
	}
	for _, tt := range tests {
		c := v.canonical(normalize(tt.in))
		if c != tt.canon || v.key(c) != tt.key {
			t.Errorf("canonical(%q) = %q, key %q; want %q, %q", tt.in, c, v.key(c), tt.canon, tt.key)
		}
	}
}

func TestVocabularyRewrite(t *testing.T) {
	v := DefaultVocabulary()
	tests := []struct{ in, want string }{
		{"C#, C++ and .NET", "Csharp, Cplusplus and DotNET"},
		{"ASP.NET and .NET Core", "ASP.NET and DotNETCore"},
		{"k8s/CI/CD", "Keights/CICD"},
		{"C## and xk8s", "C## and xk8s"}, // not alone
		{"natural-language-processing", "natural language processing"},
		{"ML, DL and AI; html", "MLML, DLDL and AIAI; html"},
		{"machine-learning", "machine-learning"},
	}
	for _, tt := range tests {
		if got := v.rewrite(tt.in, false); got != tt.want {
			t.Errorf("rewrite(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{{"Csharp developer", "C# developer"}, {"DotNETCore", ".NET Core"}, {"Keights", "k8s"}, {"MLML models", "ML models"}, {"Python", "Python"}} {
		if got := v.restore(tt.in); got != tt.want {
			t.Errorf("restore(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVocabularyNotSkill(t *testing.T) {
	v := DefaultVocabulary()
	tests := []struct {
		kw   string
		want bool
	}{
		{"berlin", true}, {"team in berlin", true}, {"new york", true}, {"germany", true},
		{"engineer", true}, {"engineer to build", true}, {"5 years", true}, {"hiring a machine", true},
		{"equal opportunity employer", true}, {"job description", true},
		{"machine learning engineer", false}, {"data scientist", false}, {"python", false},
		{"ai", false}, {"the", false}, {"aurora", false}, {"phoenix", false},
	}
	for _, tt := range tests {
		if got := v.notSkill(v.canonical(tt.kw), "en"); got != tt.want {
			t.Errorf("notSkill(%q) = %v, want %v", tt.kw, got, tt.want)
		}
	}
}

func TestVocabularyExtend(t *testing.T) {
	v, err := DefaultVocabulary().Extend(strings.NewReader("# mine\nGolang | go lang | gopher\n-synergy\n!recruiter\n@Springfield\nF# | fsharp\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.canonical("gopher"); got != "golang" {
		t.Errorf("canonical(gopher) = %q, want golang", got)
	}
	if got := v.canonical("ml"); got != "machine learning" {
		t.Errorf("the extended vocabulary lost the defaults: canonical(ml) = %q", got)
	}
	for _, kw := range []string{"synergy", "springfield", "recruiter python"} {
		if !v.notSkill(kw, "en") || DefaultVocabulary().notSkill(kw, "en") {
			t.Errorf("notSkill(%q): extended %v, default %v; want true, false", kw, v.notSkill(kw, "en"), DefaultVocabulary().notSkill(kw, "en"))
		}
	}
	if got := v.rewrite("F#", false); got != "Fsharp" {
		t.Errorf("rewrite(F#) = %q", got)
	}
	if _, err := DefaultVocabulary().Extend(strings.NewReader(" | ml\n")); err == nil {
		t.Error("a line without a canonical name was accepted")
	}
	if _, err := DefaultVocabulary().Extend(strings.NewReader("x | " + strings.Repeat("y", MaxKeywordBytes+1))); err == nil {
		t.Error("an alias over MaxKeywordBytes was accepted")
	}
	if _, err := ParseVocabulary(strings.NewReader(strings.Repeat("# long comment\n", maxVocabBytes/15+1))); err == nil {
		t.Errorf("a vocabulary over %d bytes was accepted", maxVocabBytes)
	}
	if empty, err := ParseVocabulary(strings.NewReader("")); err != nil || empty.canonical("ml") != "ml" || empty.rewrite("C#", false) != "C#" {
		t.Errorf("empty vocabulary: %v, canonical(ml) = %q", err, empty.canonical("ml"))
	}
}

// FuzzVocabulary feeds Extend any vocabulary and rewrites any text with the
// result: no panic, and a rewritten text keeps every line break (offsets of
// evidence are taken from the original, but the lines must survive).
func FuzzVocabulary(f *testing.F) {
	f.Add("Golang | Go lang\n-synergy\n!recruiter\n@Springfield", "Go lang, C#, k8s and ML\nin Springfield")
	f.Add("C++ | cpp | c plus plus\nx | #", "C++ and #")
	f.Add("// | ..\n", "//")
	f.Add("ab | a\n. | b", "a b .")
	f.Add("baz | foo bar", "foo\nbar and foo  bar")
	f.Fuzz(func(t *testing.T, vocab, text string) {
		v, err := DefaultVocabulary().Extend(strings.NewReader(vocab))
		if err != nil {
			return
		}
		next := regexpForms(t, v)
		for _, expand := range []bool{false, true} {
			got := v.rewrite(text, expand)
			if strings.Count(got, "\n") != strings.Count(text, "\n") {
				t.Fatalf("rewrite(%q, %v) = %q: line breaks changed", text, expand, got)
			}
			if want := v.rewriteWith(text, expand, next); got != want {
				t.Fatalf("rewrite(%q, %v) = %q; the expression gives %q", text, expand, got, want)
			}
		}
		for _, kw := range strings.Split(text, ",") {
			c := v.canonical(normalize(kw))
			_ = v.key(c)
			_ = v.notSkill(c, "en")
			_ = v.restore(kw)
		}
	})
}

// regexpForms returns the reference of formIndex.next: the alternation of
// v's forms in their order as one case-insensitive expression, each space a
// run of spaces and tabs.
func regexpForms(t testing.TB, v *Vocabulary) func(string, int) (int, int) {
	forms := v.sortedForms()
	for i, f := range forms {
		forms[i] = strings.ReplaceAll(regexp.QuoteMeta(f), " ", `[ \t]+`)
	}
	re, err := regexp.Compile(`(?i)(?:` + strings.Join(forms, "|") + `)`)
	if err != nil {
		t.Skipf("the reference expression: %v", err) // too large for regexp
	}
	return func(text string, i int) (int, int) {
		loc := re.FindStringIndex(text[i:])
		if loc == nil {
			return -1, -1
		}
		return i + loc[0], i + loc[1]
	}
}

// TestRewriteAsExpression holds the form index to the expression it
// replaces, on the evaluation's resumes and postings and on texts made to
// catch the corners: case folding beyond ASCII, tabs and line breaks inside
// a name, names glued to others, invalid UTF-8.
func TestRewriteAsExpression(t *testing.T) {
	v := DefaultVocabulary()
	texts := []string{
		"C#, c# and C\u266F; \u212A8s, K8S and k8s; ſql and SQL",
		"CI/CD\tand CI /CD, .NET\t\tCore and .NET\nCore, ASP.NET, C##, xk8s, C++11",
		"Machine  learning, machine\tlearning, MACHINE LEARNING; ML/DL/NLP, AI.",
		"\xff\xfeC#\xc3 k8s\xe2\x82 \u00e9C++ ﬁ node.JS React.js reactjs",
		"natural-language-processing, end-to-end, state-of-the-art, a-b-, 9a-b-c, x--y-z, é-1-ü-, co-op",
	}
	step := 20
	if testing.Short() {
		step = 100
	}
	for _, f := range []struct{ name, column string }{{"eval/testdata/resumes_dev.csv.gz", "Resume_str"}, {"eval/testdata/jobs_dev.csv.gz", "Job Description"}} {
		for i, text := range readTexts(t, f.name, f.column) {
			if i%step == 0 {
				texts = append(texts, text)
			}
		}
	}
	next := regexpForms(t, v)
	for _, text := range texts {
		for _, expand := range []bool{false, true} {
			if got, want := v.rewrite(text, expand), v.rewriteWith(text, expand, next); got != want {
				t.Errorf("rewrite(%.80q…, %v) differs from the expression's:\n got %.300q\nwant %.300q", text, expand, got, want)
			}
		}
		if got, want := splitHyphens(text), multiHyphen(text); got != want {
			t.Errorf("splitHyphens(%.80q…) differs from the expression's:\n got %.300q\nwant %.300q", text, got, want)
		}
	}
}

// multiHyphen is the reference of splitHyphens.
func multiHyphen(text string) string {
	return multiHyphenRE.ReplaceAllStringFunc(text, func(w string) string { return strings.ReplaceAll(w, "-", " ") })
}

var multiHyphenRE = regexp.MustCompile(`\pL[\pL\pN]*(?:-[\pL\pN]+){2,}`)

// FuzzSplitHyphens holds splitHyphens to its expression on any text.
func FuzzSplitHyphens(f *testing.F) {
	for _, s := range []string{"natural-language-processing", "a-b-", "9a-b-c", "x--y-z", "é-1-ü-", "a-b-c-d e-f", "\xffa-b-c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := splitHyphens(text), multiHyphen(text); got != want {
			t.Fatalf("splitHyphens(%q) = %q; the expression gives %q", text, got, want)
		}
	})
}

// readTexts returns a column of every row of a gzipped CSV file.
func readTexts(t *testing.T, name, column string) []string {
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(z).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], column)
	if col < 0 {
		t.Fatalf("%s has no column %q", name, column)
	}
	texts := make([]string, 0, len(rows))
	for _, r := range rows[1:] {
		texts = append(texts, r[col])
	}
	return texts
}

// BenchmarkRewrite measures the rewrite of a resume for the keyword
// extractor: the form index and, as "expression", the regexp it replaced.
func BenchmarkRewrite(b *testing.B) {
	text, err := os.ReadFile("../examples/testdata/resume.txt")
	if err != nil {
		b.Fatal(err)
	}
	v := DefaultVocabulary()
	b.Run("index", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			v.rewrite(string(text), true)
		}
	})
	next := regexpForms(b, v)
	b.Run("expression", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			v.rewriteWith(string(text), true, next)
		}
	})
}
