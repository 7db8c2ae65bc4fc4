package matcher

import (
	"cmp"
	"slices"
	"unicode"
	"unicode/utf8"
)

// PhraseSpan is where one of several phrases occurs in a text: the bytes
// text[Start:End] hold the phrase of index Phrase in the list given to
// FindSpans.
type PhraseSpan struct {
	Span
	Phrase int `json:"phrase"`
}

// MaxSpans is the most spans FindSpans returns for one text, which bounds
// what a highlighted text costs to send whatever the text holds.
const MaxSpans = 500

// FindSpans returns where the phrases (keywords) occur in text, for
// highlighting: a phrase occurs where its words, as the matcher compares
// them (NFKC, lower case, letters, digits, marks, '+' and '#'), follow each
// other in text, whatever the case, spacing and punctuation between them.
// A span runs from the first byte of the phrase's first word to the last
// byte of its last word. Spans do not overlap: where occurrences overlap,
// the phrase earlier in phrases wins (give them most important first), and
// of two occurrences of one phrase the earlier in the text. The spans come
// sorted by Start, at most MaxSpans of them. Invalid UTF-8 separates words.
func FindSpans(text string, phrases []string) []PhraseSpan {
	toks := tokens(text)
	at := make(map[string][]int)
	for i, t := range toks {
		at[t.word] = append(at[t.word], i)
	}
	taken := make([]bool, len(toks))
	var spans []PhraseSpan
	for pi, p := range phrases {
		ws := words(normalize(p))
		if len(ws) == 0 {
			continue
		}
	next:
		for _, start := range at[ws[0]] {
			end := start + len(ws)
			if end > len(toks) {
				break
			}
			for k := range ws {
				if taken[start+k] || toks[start+k].word != ws[k] {
					continue next
				}
			}
			span := Span{Start: toks[start].start, End: toks[end-1].end}
			// The words of one run share its bytes ("⬁le⬁le" gives two):
			// taking some takes all, so that no two spans overlap.
			for k := start; k > 0 && toks[k-1].end > span.Start; k-- {
				taken[k-1] = true
			}
			for k := start; k < len(toks) && toks[k].start < span.End; k++ {
				taken[k] = true
			}
			spans = append(spans, PhraseSpan{Span: span, Phrase: pi})
			if len(spans) == MaxSpans {
				break
			}
		}
		if len(spans) == MaxSpans {
			break
		}
	}
	slices.SortFunc(spans, func(a, b PhraseSpan) int { return cmp.Compare(a.Start, b.Start) })
	return spans
}

// token is a word of a text in the form words gives it, with the bytes of
// the text it comes from.
type token struct {
	word       string
	start, end int
}

// tokens splits text into the words that words(normalize(text)) would give,
// each with its place in text. A run of word characters that normalises to
// several words (a ligature, "⑴") gives them all the run's bytes.
func tokens(text string) []token {
	var out []token
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		for _, w := range words(normalize(text[start:end])) {
			out = append(out, token{w, start, end})
		}
		start = -1
	}
	for i, r := range text {
		if r == utf8.RuneError || !isWordRune(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(text))
	return out
}

// isWordRune reports whether r can be part of a word before normalisation:
// what words keeps, and what NFKC may turn into it.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || unicode.IsNumber(r) ||
		r == '+' || r == '#' || unicode.Is(unicode.So, r)
}
