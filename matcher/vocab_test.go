package matcher

import (
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
		for _, expand := range []bool{false, true} {
			got := v.rewrite(text, expand)
			if strings.Count(got, "\n") != strings.Count(text, "\n") {
				t.Fatalf("rewrite(%q, %v) = %q: line breaks changed", text, expand, got)
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
