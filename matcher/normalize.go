package matcher

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalize returns the form in which keywords are compared and embedded:
// NFKC, lower case, runs of white space collapsed to one space and trimmed.
func normalize(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFKC.String(s))), " ")
}

// words splits normalised text into words: runs of letters, digits, marks and
// the '+' and '#' of names like C++ and C#.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !wordChar(r) })
}

// wordChar reports whether r belongs to a word: letters, digits, marks and
// the '+' and '#' of names like C++ and C#.
func wordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '+' || r == '#'
}

// Span is where a keyword occurs in a text: the bytes text[Start:End].
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// maxSpans is the most occurrences of a keyword a Result locates in one text.
const maxSpans = 5

// textIndex finds phrases in a text by their words, whatever separates
// them (spaces, line breaks, hyphens), and says where they are.
type textIndex struct {
	words []string         // normalised
	spans []Span           // where each word is in the text
	at    map[string][]int // word → its positions
}

func newTextIndex(text string) *textIndex {
	n := len(text)/6 + 1 // about one word in six bytes of English
	x := &textIndex{at: make(map[string][]int, n/4), words: make([]string, 0, n), spans: make([]Span, 0, n)}
	start, ascii := -1, true
	for i, r := range text + " " {
		switch {
		case wordChar(r) && start < 0:
			start, ascii = i, r < utf8.RuneSelf
		case wordChar(r):
			ascii = ascii && r < utf8.RuneSelf
		case start >= 0:
			if ascii {
				// NFKC keeps ASCII as it is, and lower case keeps
				// ASCII letters, digits, '+' and '#' one word.
				x.add(strings.ToLower(text[start:i]), Span{start, i})
			} else {
				for _, w := range words(normalize(text[start:i])) {
					x.add(w, Span{start, i})
				}
			}
			start = -1
		}
	}
	return x
}

// add appends word w, found at span, to the index.
func (x *textIndex) add(w string, span Span) {
	x.at[w] = append(x.at[w], len(x.words))
	x.words = append(x.words, w)
	x.spans = append(x.spans, span)
}

// find returns where the words of phrase occur consecutively, at most
// limit times.
func (x *textIndex) find(phrase []string, limit int) []Span {
	out := []Span{}
	if len(phrase) == 0 {
		return out
	}
next:
	for _, p := range x.at[phrase[0]] {
		if p+len(phrase) > len(x.words) || len(out) == limit {
			break
		}
		for k, w := range phrase[1:] {
			if x.words[p+1+k] != w {
				continue next
			}
		}
		out = append(out, Span{x.spans[p].Start, x.spans[p+len(phrase)-1].End})
	}
	return out
}

// contains reports whether the words of phrase occur consecutively.
func (x *textIndex) contains(phrase []string) bool { return len(x.find(phrase, 1)) > 0 }
