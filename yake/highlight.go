package yake

import (
	"strings"

	"github.com/jobmatch/jobmatch/yake/internal/pyunicode"
)

// Default highlight markers, as in yake.
const (
	DefaultHighlightPre  = "<kw>"
	DefaultHighlightPost = "</kw>"
)

// Highlighter marks keywords in a text like yake's TextHighlighter.
type Highlighter struct {
	MaxNGram  int    // longest keyword looked for, in words; at most MaxNGramLimit counts
	Pre, Post string // markers put around each keyword
}

// Highlight marks keywords of e's MaxNGram in text with <kw>…</kw>.
func (e *Extractor) Highlight(text string, keywords []Keyword) string {
	h := Highlighter{MaxNGram: e.opts.MaxNGram, Pre: DefaultHighlightPre, Post: DefaultHighlightPost}
	return h.Highlight(text, keywords)
}

// Highlight returns text with the keywords marked. As in yake, newlines
// become spaces, the text is trimmed and split on single spaces (runs of
// spaces are kept), punctuation at the edges of a phrase is left outside
// the markers, and where candidate phrases overlap the one earlier in
// keywords wins. With no keywords it returns "", as yake does. Invalid
// UTF-8 is read as Extract reads it.
//
// The overlap rules were inferred by running yake as a black box; they
// agree with it on every recorded case (testdata/oracle/highlight.json.gz,
// testdata/generated), but overlaps of a kind not seen there could still be
// marked differently.
func (h Highlighter) Highlight(text string, keywords []Keyword) string {
	if len(keywords) == 0 {
		return ""
	}
	rank := make(map[string]int, len(keywords))
	for i, k := range keywords {
		lk := pyunicode.Lower(k.Text)
		if _, ok := rank[lk]; !ok {
			rank[lk] = i
		}
	}
	toks := strings.Split(pyunicode.Strip(strings.ReplaceAll(validUTF8(text), "\n", " ")), " ")
	hl := highlighting{h: h, rank: rank, toks: toks}
	return hl.run()
}

// match is a keyword found at some token.
type match struct {
	rank  int
	words int    // length of text in words
	text  string // the tokens, joined and cleaned
}

type highlighting struct {
	h    Highlighter
	rank map[string]int
	toks []string
}

// at returns the best-ranked keyword among the n-grams starting at token i.
func (hl *highlighting) at(i int) (match, bool) {
	var best match
	found := false
	for k := 1; k <= min(hl.h.MaxNGram, MaxNGramLimit) && i+k <= len(hl.toks); k++ {
		c := cleanEdges(strings.Join(hl.toks[i:i+k], " "))
		if r, ok := hl.rank[pyunicode.Lower(c)]; ok && (!found || r < best.rank) {
			best = match{rank: r, words: strings.Count(c, " ") + 1, text: c}
			found = true
		}
	}
	return best, found
}

// single returns the keyword made of token i alone.
func (hl *highlighting) single(i int) (match, bool) {
	c := cleanEdges(hl.toks[i])
	r, ok := hl.rank[pyunicode.Lower(c)]
	return match{rank: r, words: 1, text: c}, ok
}

func (hl *highlighting) known(c string) bool {
	_, ok := hl.rank[pyunicode.Lower(c)]
	return ok
}

func (hl *highlighting) mark(raw, kw string) string {
	return strings.ReplaceAll(raw, cleanEdges(raw), hl.h.Pre+kw+hl.h.Post)
}

func (hl *highlighting) run() string {
	toks := hl.toks
	out := make([]string, 0, len(toks))
	for y := 0; y < len(toks); {
		k, ok := hl.at(y)
		if !ok {
			out = append(out, toks[y])
			y++
			continue
		}
		// A better-ranked keyword starting inside this one takes over. The
		// tokens before it are marked as one keyword if they are one;
		// otherwise the current token gets the last single-word keyword
		// seen before the better one (yake's behaviour, quirks included).
		best, bestPos := k, y
		seen, hasSeen := hl.single(y)
		var before match
		hasBefore := false
		for p := y + 1; p < y+k.words && p < len(toks); p++ {
			if k2, ok := hl.at(p); ok && k2.rank < best.rank {
				best, bestPos = k2, p
				before, hasBefore = seen, hasSeen
			}
			if s, ok := hl.single(p); ok {
				seen, hasSeen = s, true
			}
		}
		if bestPos != y {
			prefix := strings.Join(toks[y:bestPos], " ")
			if c := cleanEdges(prefix); hl.known(c) {
				out = append(out, hl.mark(prefix, c))
				y = bestPos
				continue
			}
			if hasBefore {
				out = append(out, hl.mark(toks[y], before.text))
			} else {
				out = append(out, toks[y])
			}
			y++
			continue
		}
		n := min(best.words, len(toks)-y)
		out = append(out, hl.mark(strings.Join(toks[y:y+n], " "), best.text))
		y += n
	}
	return strings.Join(out, " ")
}

// isEdgePunct reports whether r is one of the marks the highlighter
// strips: !",:.;?()
func isEdgePunct(r rune) bool { return strings.ContainsRune(`!",:.;?()`, r) }

// cleanEdges is Python's re.sub(r'[!",:.;?()]$|^[!",:.;?()]|\W[!",:.;?()]', "", s).
func cleanEdges(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isEdgePunct(r) && (i == len(rs)-1 || i == len(rs)-2 && rs[i+1] == '\n'):
			i++
		case isEdgePunct(r) && i == 0:
			i++
		case !pyunicode.IsWord(r) && i+1 < len(rs) && isEdgePunct(rs[i+1]):
			i += 2
		default:
			b.WriteRune(r)
			i++
		}
	}
	return b.String()
}
