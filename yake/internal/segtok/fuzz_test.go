package segtok

import (
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"Dr. Smith can't join. Mail j.doe@example.org &amp; visit https://x.com/a?b=1 today.",
	"OʼHaraʼs case (see A. B. Smith, J. Biol. 12:3) results.\n\nNext ¶ H₂O km² x-\ny.",
	"http://u@v@w.com/x?#  [[[http://a.b {{{x@y.z &#99999999999; &notit; caf&eacute;",
	"قال المدير. 机器学习。 내가 원하는. Ανώτατος ΤΗΣ.\r\n\r\n\x00\x1c\u2028\xff\xfe",
}

// FuzzSegtok checks what holds for any input: no panic, sentences are
// stripped pieces of the text in order, tokens are non-empty and, when no
// HTML entity can be involved, are the sentence without its whitespace.
func FuzzSegtok(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sentences := SplitMulti(text)
		rest := text
		for _, s := range sentences {
			i := strings.Index(rest, s)
			if i < 0 {
				t.Fatalf("sentence %q not found in order in %q", s, text)
			}
			rest = rest[i+len(s):]
		}
		if got, want := dropSpaceAll(sentences, isPySpace), dropSpace(text, isPySpace); got != want {
			t.Fatalf("sentences lose text: %q vs %q", got, want)
		}
		for _, s := range append(sentences, text) {
			tokens := WebTokenizer(s)
			for _, tok := range tokens {
				if tok == "" {
					t.Fatalf("empty token in %q of %q", tokens, s)
				}
			}
			if !strings.Contains(s, "&") {
				if got, want := dropSpaceAll(tokens, isSpace), dropSpace(s, isSpace); got != want {
					t.Fatalf("tokens %q are not the sentence %q", tokens, s)
				}
			}
			split := SplitContractions(append([]string(nil), tokens...))
			if len(split) < len(tokens) {
				t.Fatalf("SplitContractions(%q) = %q lost tokens", tokens, split)
			}
			for _, p := range split {
				if !containsPiece(tokens, p) {
					t.Fatalf("piece %q of %q not in any token of %q", p, split, tokens)
				}
			}
		}
	})
}

func containsPiece(tokens []string, p string) bool {
	for _, tok := range tokens {
		if strings.Contains(tok, p) {
			return true
		}
	}
	return false
}

// dropSpaceAll joins the pieces after dropping their spaces one by one, so
// that invalid bytes cut apart by the split are not decoded anew.
func dropSpaceAll(pieces []string, space func(rune) bool) string {
	var b strings.Builder
	for _, p := range pieces {
		b.WriteString(dropSpace(p, space))
	}
	return b.String()
}

// dropSpace removes the runes for which space is true, keeping invalid bytes as they are.
func dropSpace(s string, space func(rune) bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := runeAt(s, i)
		if !space(r) {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
