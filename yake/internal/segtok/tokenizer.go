package segtok

import (
	"strings"
)

// WebTokenizer tokenizes one sentence like segtok.tokenizer.web_tokenizer:
// URLs and e-mail addresses (segtok's greedy patterns) are kept whole and
// verbatim; the text between them is HTML-unescaped and split like
// segtok.tokenizer.word_tokenizer.
//
// Tokens are substrings of sentence, or of its parts after unescaping and
// after joining words hyphenated across a line break ("Hel-\nlo" → "Hel-lo").
func WebTokenizer(sentence string) []string {
	// Most sentences can hold neither a URL nor an e-mail address.
	hasURL, hasMail := strings.Contains(sentence, "://"), strings.IndexByte(sentence, '@') >= 0
	if !hasURL && !hasMail {
		return wordTokens(nil, unescape(sentence))
	}
	var tokens []string
	w := webMatcher{s: sentence, noURL: !hasURL}
	done := 0
	for p := 0; p < len(sentence); {
		if w.borderBefore(p) {
			if e := w.match(p); e > p {
				tokens = wordTokens(tokens, unescape(sentence[done:p]))
				tokens = append(tokens, sentence[p:e])
				done, p = e, e
				continue
			}
		}
		_, n := runeAt(sentence, p)
		p += n
	}
	return wordTokens(tokens, unescape(sentence[done:]))
}

// wordTokens appends the tokens of segtok's word_tokenizer(span) to dst.
func wordTokens(dst []string, span string) []string {
	start := len(dst)
	span = joinHyphenatedLinebreaks(span)
	for i := 0; i < len(span); {
		r, n := runeAt(span, i)
		if isSpace(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(span) {
			r, n := runeAt(span, j)
			if isSpace(r) {
				break
			}
			j += n
		}
		dst = splitWords(dst, span[i:j])
		i = j
	}
	dst = spliceTerminal(dst, start)
	return spliceDangling(dst, start)
}

// splitWords appends the pieces of regex.split(WORD, field): word matches
// and the non-empty text between them.
func splitWords(dst []string, field string) []string {
	m := wordMatcher{s: field}
	done := 0
	for p := 0; p < len(field); {
		if e := m.match(p); e > p {
			if done < p {
				dst = append(dst, field[done:p])
			}
			dst = append(dst, field[p:e])
			done, p = e, e
			continue
		}
		_, n := runeAt(field, p)
		p += n
	}
	if done < len(field) {
		dst = append(dst, field[done:])
	}
	return dst
}

// spliceTerminal splits the sentence terminal off the first of the last
// three tokens (from the end) that looks like a word or holds a terminal.
func spliceTerminal(tokens []string, start int) []string {
	for k := len(tokens) - 1; k >= start && k >= len(tokens)-3; k-- {
		word := tokens[k]
		first, fn := runeAt(word, 0)
		m := wordMatcher{s: word}
		if !(m.match(0) > 0 && !isApo(first)) && !hasTerminal(word) {
			continue
		}
		last, ln := runeBefore(word, len(word))
		switch {
		case fn == len(word) || word == "...":
			// a single character or an ellipsis stays as it is
		case isTerminal(last):
			tokens = insertAt(tokens, k, word[:len(word)-ln], word[len(word)-ln:])
		case isTerminal(first):
			tokens = insertAt(tokens, k, word[:fn], word[fn:])
		}
		break
	}
	return tokens
}

func hasTerminal(s string) bool {
	for _, r := range s {
		if isTerminal(r) {
			return true
		}
	}
	return false
}

// insertAt replaces tokens[k] by a and b.
func insertAt(tokens []string, k int, a, b string) []string {
	tokens = append(tokens, "")
	copy(tokens[k+2:], tokens[k+1:])
	tokens[k], tokens[k+1] = a, b
	return tokens
}

// spliceDangling splits trailing ',', ';' and ':' off tokens[start:], one
// token per character, leaving at least one character in place.
func spliceDangling(tokens []string, start int) []string {
	k := start
	for k < len(tokens) && !dangles(tokens[k]) {
		k++
	}
	if k == len(tokens) {
		return tokens
	}
	rest := append([]string(nil), tokens[k:]...)
	tokens = tokens[:k]
	for _, t := range rest {
		if !dangles(t) {
			tokens = append(tokens, t)
			continue
		}
		e := len(t)
		for e > 1 && strings.IndexByte(",;:", t[e-1]) >= 0 {
			e--
		}
		tokens = append(tokens, t[:e])
		for ; e < len(t); e++ {
			tokens = append(tokens, t[e:e+1])
		}
	}
	return tokens
}

// dangles reports whether t has more than one character and ends in ',', ';' or ':'.
func dangles(t string) bool {
	if len(t) < 2 || strings.IndexByte(",;:", t[len(t)-1]) < 0 {
		return false
	}
	_, n := runeAt(t, 0)
	return n < len(t)
}

// joinHyphenatedLinebreaks applies segtok's HYPHENATED_LINEBREAK.sub(r'\1\2'):
// "Hel- \r\n lo" becomes "Hel-lo".
func joinHyphenatedLinebreaks(s string) string {
	if strings.IndexByte(s, '\n') < 0 && strings.IndexByte(s, '\r') < 0 && !strings.Contains(s, "\u2028") {
		return s
	}
	var b []byte
	done := 0
	for i := 0; i < len(s); {
		r, n := runeAt(s, i)
		if is(r, pAlnum) {
			if h, hn := runeAt(s, i+n); isHyphen(h) {
				j := skipSpaceTab(s, i+n+hn)
				if lb := linebreakLen(s, j); lb > 0 {
					k := skipSpaceTab(s, j+lb)
					if r2, n2 := runeAt(s, k); r2 >= 0 && is(r2, pAlnum) {
						b = append(b, s[done:i+n+hn]...)
						b = append(b, s[k:k+n2]...)
						done, i = k+n2, k+n2
						continue
					}
				}
			}
		}
		i += n
	}
	if b == nil {
		return s
	}
	return string(append(b, s[done:]...))
}

// skipSpaceTab skips segtok's SPACE, [\p{Zs}\t].
func skipSpaceTab(s string, i int) int {
	for {
		r, n := runeAt(s, i)
		if r != '\t' && (r < 0 || !is(r, pZs)) {
			return i
		}
		i += n
	}
}

// linebreakLen returns the length of segtok's LINEBREAK at i, or 0.
func linebreakLen(s string, i int) int {
	switch {
	case strings.HasPrefix(s[i:], "\r\n"):
		return 2
	case strings.HasPrefix(s[i:], "\n"), strings.HasPrefix(s[i:], "\r"):
		return 1
	case strings.HasPrefix(s[i:], "\u2028"):
		return 3
	}
	return 0
}

// wordMatcher matches segtok's word_tokenizer pattern, a greedy loop over
// ten alternatives, at positions of s.
type wordMatcher struct {
	s string
	// Whether s can hold a dimension (it ends with ¹, ² or ³) or a formula
	// (it holds a subscript digit): 0 unknown, 1 yes, 2 no.
	dim, sub int8
	// The last chemical-formula chain [chainLo, chainHi): every element
	// start inside it reaches the same end, which keeps scans linear.
	chainLo, chainHi int
}

// match returns the end of the word match at p, or -1.
func (m *wordMatcher) match(p int) int {
	e := -1
	for {
		q := m.step(p)
		if q < 0 {
			return e
		}
		e, p = q, q
	}
}

// step returns the end of the first alternative that matches at q, or -1.
func (m *wordMatcher) step(q int) int {
	s := m.s
	r0, n0 := runeAt(s, q)
	if r0 < 0 {
		return -1
	}
	p0 := props(r0)
	q1 := q + n0
	r1, n1 := runeAt(s, q1)
	alnum := p0&pAlnum != 0
	if alnum {
		// {alnum} \. (?!\.\.)
		if r1 == '.' && !strings.HasPrefix(s[q1+1:], "..") {
			return q1 + 1
		}
		// {alnum} , (?={alnum})
		if r1 == ',' && isAlnumAt(s, q1+1) {
			return q1 + 1
		}
	}
	// {number} : (?={number})
	if p0&pNumber != 0 && r1 == ':' {
		if r, _ := runeAt(s, q1+1); r >= 0 && is(r, pNumber) {
			return q1 + 1
		}
	}
	if alnum {
		// {alnum} {apo}? {hyphen} (?={alnum})
		if isApo(r1) {
			if h, hn := runeAt(s, q1+n1); isHyphen(h) && isAlnumAt(s, q1+n1+hn) {
				return q1 + n1 + hn
			}
		}
		if isHyphen(r1) && isAlnumAt(s, q1+n1) {
			return q1 + n1
		}
	}
	// {apo} (?!{apo})
	if isApo(r0) && !isApo(r1) {
		return q1
	}
	// {alnum} ' (?={alnum})
	if alnum && r1 == '\'' && isAlnumAt(s, q1+1) {
		return q1 + 1
	}
	// s ' $
	if r0 == 's' && r1 == '\'' && atEnd(s, q1+1) {
		return q1 + 1
	}
	// \b [yzafpnµmcdhkMGTPEZY]? {letter}{1,3} {power} $
	if p0&pLetter != 0 && m.mayHold(&m.dim, endsWithPower) && wordBoundary(s, q) {
		if e := dimensionEnd(s, q); e >= 0 {
			return e
		}
	}
	// \b (?:[A-Z][a-z]?|[\)\]])+ {subdigit}+ (?:[²³]?[⁺⁻])?
	if ('A' <= r0 && r0 <= 'Z' || r0 == ')' || r0 == ']') && m.mayHold(&m.sub, hasSubscript) && wordBoundary(s, q) {
		if e := m.formulaEnd(q); e >= 0 {
			return e
		}
	}
	if alnum {
		return q1
	}
	return -1
}

// mayHold caches the answer of test(m.s) in *flag.
func (m *wordMatcher) mayHold(flag *int8, test func(string) bool) bool {
	if *flag == 0 {
		*flag = 2
		if test(m.s) {
			*flag = 1
		}
	}
	return *flag == 1
}

func endsWithPower(s string) bool {
	s = strings.TrimSuffix(s, "\n")
	return strings.HasSuffix(s, "\u00B9") || strings.HasSuffix(s, "\u00B2") || strings.HasSuffix(s, "\u00B3")
}

// hasSubscript reports whether s holds one of U+2080..U+2089 (UTF-8 E2 82 80..89).
func hasSubscript(s string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], "\xe2\x82")
		if j < 0 || i+j+2 >= len(s) {
			return false
		}
		i += j + 2
		if c := s[i]; 0x80 <= c && c <= 0x89 {
			return true
		}
	}
}

// dimensionEnd matches a unit with a power ("km²", "s⁻¹") that ends the string.
func dimensionEnd(s string, q int) int {
	first, _ := runeAt(s, q)
	i, letters := q, 0
	for letters < 5 {
		r, n := runeAt(s, i)
		if r < 0 || !is(r, pLetter) {
			break
		}
		i += n
		letters++
	}
	if letters > 4 || letters == 4 && !strings.ContainsRune("yzafpn\u00B5mcdhkMGTPEZY", first) {
		return -1
	}
	if strings.HasPrefix(s[i:], "\u207B") {
		i += len("\u207B")
	}
	if r, n := runeAt(s, i); r == '\u00B9' || r == '\u00B2' || r == '\u00B3' {
		if atEnd(s, i+n) {
			return i + n
		}
	}
	return -1
}

// formulaEnd matches a chemical formula fragment with subscript digits ("H₂O", "(SO₄)²⁻").
func (m *wordMatcher) formulaEnd(q int) int {
	s := m.s
	e := m.chainHi
	if q < m.chainLo || q >= m.chainHi {
		e = q
		for e < len(s) {
			c := s[e]
			if 'A' <= c && c <= 'Z' {
				e++
				if e < len(s) && 'a' <= s[e] && s[e] <= 'z' {
					e++
				}
			} else if c == ')' || c == ']' {
				e++
			} else {
				break
			}
		}
		m.chainLo, m.chainHi = q, e
	}
	i := e
	for {
		r, n := runeAt(s, i)
		if r < '\u2080' || r > '\u2089' {
			break
		}
		i += n
	}
	if i == e {
		return -1
	}
	r, n := runeAt(s, i)
	if r == '\u00B2' || r == '\u00B3' {
		if r2, n2 := runeAt(s, i+n); r2 == '\u207A' || r2 == '\u207B' {
			return i + n + n2
		}
	} else if r == '\u207A' || r == '\u207B' {
		return i + n
	}
	return i
}

// SplitContractions splits contractions like segtok.tokenizer.split_contractions:
// a token matching `{alnum}+(?:{hyphen}{alnum}+)*{apo}(?:d|ll|m|re|s|t|ve)$`
// is cut before each apostrophe, from the last to the first, and "n't" stays
// whole ("can't" → "ca", "n't"). Like segtok (fnl/segtok#26), a token with
// several apostrophes yields overlapping pieces: "OʼHaraʼs" → "OʼHara", "O",
// "ʼHaraʼs"; pieces may be empty.
//
// tokens itself is returned when nothing was split.
func SplitContractions(tokens []string) []string {
	var out []string
	for i, t := range tokens {
		if !isContraction(t) {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = make([]string, i, len(tokens)+4)
			copy(out, tokens[:i])
		}
		cur := t
		for pos := len(t); pos > 0; {
			r, n := runeBefore(t, pos)
			pos -= n
			if !isApostrophe(r) {
				continue
			}
			cut := pos
			// "n't" stays together when the apostrophe is second to last.
			if strings.HasSuffix(t, "t") && pos+n == len(t)-1 && pos > 0 && t[pos-1] == 'n' {
				cut--
			}
			out = append(out, t[:cut])
			cur = t[cut:]
		}
		out = append(out, cur)
	}
	if out == nil {
		return tokens
	}
	return out
}

// isContraction reports whether segtok's IS_CONTRACTION matches t.
func isContraction(t string) bool {
	body := strings.TrimSuffix(t, "\n") // regex $ also matches before a final newline
	var suffix int
	switch {
	case strings.HasSuffix(body, "ll"), strings.HasSuffix(body, "re"), strings.HasSuffix(body, "ve"):
		suffix = 2
	case strings.HasSuffix(body, "d"), strings.HasSuffix(body, "m"), strings.HasSuffix(body, "s"), strings.HasSuffix(body, "t"):
		suffix = 1
	default:
		return false
	}
	end := len(body) - suffix
	apo, n := runeBefore(body, end)
	if !isApostrophe(apo) {
		return false
	}
	// {alnum}+ (?:{hyphen}{alnum}+)*
	stem := body[:end-n]
	if stem == "" {
		return false
	}
	prevHyphen := true
	for _, r := range stem {
		switch {
		case is(r, pAlnum):
			prevHyphen = false
		case isHyphen(r) && !prevHyphen:
			prevHyphen = true
		default:
			return false
		}
	}
	return !prevHyphen
}
