package matcher

import (
	"strings"
	"unicode"

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
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '+' || r == '#')
	})
}

// textIndex finds phrases in a text by their words.
type textIndex struct {
	words []string
	at    map[string][]int // word → its positions
}

func newTextIndex(normalized string) *textIndex {
	ws := words(normalized)
	at := make(map[string][]int)
	for i, w := range ws {
		at[w] = append(at[w], i)
	}
	return &textIndex{words: ws, at: at}
}

// contains reports whether the words of phrase occur consecutively.
func (x *textIndex) contains(phrase []string) bool {
	if len(phrase) == 0 {
		return false
	}
next:
	for _, p := range x.at[phrase[0]] {
		if p+len(phrase) > len(x.words) {
			return false
		}
		for k, w := range phrase[1:] {
			if x.words[p+1+k] != w {
				continue next
			}
		}
		return true
	}
	return false
}
