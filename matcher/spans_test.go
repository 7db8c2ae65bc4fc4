package matcher

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestFindSpans(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		phrases []string
		want    []string // "phrase index:text covered", in text order
	}{
		{"case and punctuation", "Built Machine-Learning models in PYTHON; python again.",
			[]string{"machine learning", "Python"}, []string{"0:Machine-Learning", "1:PYTHON", "1:python"}},
		{"whole words only", "pythonic scripts in python3 and Python", []string{"python"}, []string{"0:Python"}},
		{"earlier phrase wins an overlap", "deep learning models", []string{"learning models", "deep learning"},
			[]string{"0:learning models"}},
		{"c++ and c#", "C++, C# and C", []string{"c++", "c#"}, []string{"0:C++", "1:C#"}},
		{"spacing between words", "machine \n\t learning", []string{"machine learning"}, []string{"0:machine \n\t learning"}},
		{"full-width and ligatures", "ＰＹＴＨＯＮ and ﬁle", []string{"python", "file"}, []string{"0:ＰＹＴＨＯＮ", "1:ﬁle"}},
		{"accents", "Cafe\u0301 au lait", []string{"café"}, []string{"0:Cafe\u0301"}},
		{"invalid UTF-8 separates words", "py\xffthon python", []string{"python"}, []string{"0:python"}},
		{"nothing found", "Java and Go", []string{"rust", ""}, nil},
		{"phrase past the end", "machine", []string{"machine learning"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range FindSpans(tt.text, tt.phrases) {
				got = append(got, fmt.Sprintf("%d:%s", s.Phrase, tt.text[s.Start:s.End]))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("FindSpans(%q, %q) = %q, want %q", tt.text, tt.phrases, got, tt.want)
			}
		})
	}
}

func TestFindSpansBounded(t *testing.T) {
	text := strings.Repeat("python sql ", 2*MaxSpans)
	spans := FindSpans(text, []string{"python", "sql"})
	if len(spans) != MaxSpans {
		t.Fatalf("%d spans, want MaxSpans = %d", len(spans), MaxSpans)
	}
	for i := 1; i < len(spans); i++ {
		if spans[i].Start < spans[i-1].End {
			t.Fatalf("spans %d and %d overlap or are out of order: %+v %+v", i-1, i, spans[i-1], spans[i])
		}
	}
}

// TestFindSpansAgreesWithWords checks on the sample texts that every span
// covers exactly the words of its phrase, and that every phrase the text
// index finds gets a span.
func TestFindSpansAgreesWithWords(t *testing.T) {
	for _, f := range []string{"../examples/testdata/job.txt", "../examples/testdata/resume.txt"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		idx := newTextIndex(normalize(text))
		var phrases []string
		for i := 0; i+2 <= len(idx.words); i += 3 {
			phrases = append(phrases, strings.Join(idx.words[i:i+2], " "), idx.words[i])
		}
		phrases = append(phrases, "kubernetes operator", "not in the text at all")
		spans := FindSpans(text, phrases)
		found := make(map[int]bool)
		for _, s := range spans {
			found[s.Phrase] = true
			if got, want := words(normalize(text[s.Start:s.End])), words(normalize(phrases[s.Phrase])); !slices.Equal(got, want) {
				t.Errorf("%s: span %q has words %q, want %q", f, text[s.Start:s.End], got, want)
			}
		}
		for i, p := range phrases {
			if idx.contains(words(normalize(p))) && !found[i] && !overlapped(text, spans, p) {
				t.Errorf("%s: %q is in the text but has no span", f, p)
			}
		}
		if len(found) < len(phrases)/4 {
			t.Errorf("%s: only %d of %d phrases found", f, len(found), len(phrases))
		}
	}
}

// overlapped reports whether every occurrence of p overlaps a span: then
// an earlier phrase won it.
func overlapped(text string, spans []PhraseSpan, p string) bool {
	for _, s := range FindSpans(text, []string{p}) {
		free := true
		for _, o := range spans {
			if s.Start < o.End && o.Start < s.End {
				free = false
			}
		}
		if free {
			return false
		}
	}
	return true
}

func FuzzFindSpans(f *testing.F) {
	f.Add("Machine-learning in Python", "machine learning")
	f.Add("ﬁle ⑴ C++", "file")
	f.Fuzz(func(t *testing.T, text, phrase string) {
		spans := FindSpans(text, []string{phrase, "a"})
		end := 0
		for _, s := range spans {
			if s.Start < end || s.End <= s.Start || s.End > len(text) {
				t.Fatalf("bad span %+v after %d in %q", s, end, text)
			}
			end = s.End
		}
	})
}
