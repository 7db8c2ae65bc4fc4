package segtok

import "strings"

// shortSentenceLength is segtok's SHORT_SENTENCE_LENGTH: bracketed
// fragments shorter than this (in code points) are not split off.
const shortSentenceLength = 55

// SplitMulti splits text into sentences like segtok.segmenter.split_multi:
// after a sentence terminal (with optional closing quote and brackets)
// followed by whitespace, and at two or more consecutive newlines; single
// newlines stay inside sentences. Splits after abbreviations, initials and
// before lower-case continuations are undone as segtok does.
//
// Sentences are substrings of text, stripped of surrounding whitespace as
// Python's str.strip does; like segtok, a sentence may be empty.
func SplitMulti(text string) []string {
	bounds := splitBounds(text)
	var sent sentencer
	sent.text = text
	// _abbreviation_joiner: spans alternate segment, marker, segment, ...
	total := len(bounds) - 1
	span := func(k int) string { return text[bounds[k]:bounds[k+1]] }
	segment := -1
	for pos := 0; pos < total; pos++ {
		if pos%2 == 0 {
			if segment < 0 {
				segment = pos
			}
			continue
		}
		if !joinsAcross(span(pos-1), span(pos), span(pos+1)) {
			sent.add(bounds[segment], bounds[pos+1])
			segment = -1
		}
	}
	if segment >= 0 {
		sent.add(bounds[segment], len(text))
	}
	return sent.finish()
}

// splitBounds returns the boundaries of regex.split(MAY_CROSS_ONE_LINE, text):
// span k is text[b[k]:b[k+1]], even spans are segments, odd ones markers
// `[terminals]['’"”]?[\])]*\s+` or `\n{2,}`.
func splitBounds(text string) []int {
	bounds := []int{0}
	for p := 0; p < len(text); {
		r, n := runeAt(text, p)
		if e := markerEnd(text, p, r, n); e > p {
			bounds = append(bounds, p, e)
			p = e
			continue
		}
		p += n
	}
	return append(bounds, len(text))
}

func markerEnd(s string, p int, r rune, n int) int {
	if isTerminal(r) {
		q := p + n
		if c, cn := runeAt(s, q); c == '\'' || c == '\u2019' || c == '"' || c == '\u201D' {
			q += cn
		}
		for q < len(s) && (s[q] == ']' || s[q] == ')') {
			q++
		}
		e := q
		for {
			c, cn := runeAt(s, e)
			if !isSpace(c) {
				break
			}
			e += cn
		}
		if e > q {
			return e
		}
	}
	if r == '\n' && p+1 < len(s) && s[p+1] == '\n' {
		e := p + 2
		for e < len(s) && s[e] == '\n' {
			e++
		}
		return e
	}
	return -1
}

// joinsAcross reports whether _abbreviation_joiner keeps the segment prev,
// the marker and the segment next in one sentence.
func joinsAcross(prev, marker, next string) bool {
	if r, _ := runeBefore(prev, len(prev)); isPySpace(r) {
		return true
	}
	if marker[0] != '.' {
		return false
	}
	if abbreviationEnd(prev) {
		return true
	}
	return next != "" && (loneWord(next) ||
		endsInDateDigits(prev) && monthStart(next) ||
		middleInitialEnd(prev) && upperWordStart(next))
}

// abbreviations are the expansions of segtok's ABBREVIATIONS alternatives.
var abbreviations = func() map[string]bool {
	m := make(map[string]bool)
	for _, a := range strings.Fields(`
		Abr Approx Apr Aug Capt Cf Col Dec Dez Dic Dr Eg E.g E.U Ene Fe F.e Feb Fig Figs Gen
		Ie I.e Iv I.v Jan Jul Jun Jän Mag Mar May Med Mr Mrs Mt Mär Nat No Nov Nr Oct Okt P.e
		Phil Prof Rer Sci Sep Sept Sgt Sr Sra Srta St U.K U.S Univ Vol Vs Z.b
		approx cf eg e.g fe f.e fig figs ie i.e iv i.v med nat nr p.e phil prof rer sci univ
		vol vs z.B`) {
		m[a] = true
	}
	return m
}()

// abbreviationEnd is segtok's ABBREVIATIONS.search: prev ends with a known
// abbreviation, is a single non-space character or only digits, or ends
// with initials after a title, an author-list comma or "and", or a bracket.
func abbreviationEnd(s string) bool {
	for n := 2; n <= 6 && n <= len(s); n++ {
		if abbreviations[s[len(s)-n:]] && wordBoundary(s, len(s)-n) {
			return true
		}
	}
	if r, n := runeAt(s, 0); n == len(s) && n > 0 && !isSpace(r) {
		return true
	}
	if s != "" && allRunes(s, func(r rune) bool { return is(r, pDigit) }) {
		return true
	}
	return initialsEnd(s)
}

func allRunes(s string, f func(rune) bool) bool {
	for _, r := range s {
		if !f(r) {
			return false
		}
	}
	return true
}

// initialsEnd matches `PREFIX (?:[LuLt]Lm?\.HYPHEN?)?[LuLt]Lm?$`.
func initialsEnd(s string) bool {
	x, ok := capitalBefore(s, len(s))
	if !ok {
		return false
	}
	if initialPrefixEnd(s, x) {
		return true
	}
	k := x
	if r, n := runeBefore(s, k); isHyphen(r) {
		k -= n
	}
	if k == 0 || s[k-1] != '.' {
		return false
	}
	y, ok := capitalBefore(s, k-1)
	return ok && initialPrefixEnd(s, y)
}

// capitalBefore matches [\p{Lu}\p{Lt}]\p{Lm}? ending at e and returns its start.
func capitalBefore(s string, e int) (int, bool) {
	r, n := runeBefore(s, e)
	if r >= 0 && is(r, pLm) {
		e -= n
		r, n = runeBefore(s, e)
	}
	if r < 0 || !is(r, pLu|pLt) {
		return 0, false
	}
	return e - n, true
}

// titles are the words of alternative 4.a, before initials.
var titles = strings.Fields(`By by Captain captain Commander commander Doctor doctor Doktor doktor
	General general Mister mister Miss miss Magister magister Magiss magiss Professor professor
	Señor señor Señora señora Señorit señorit Señorita señorita`)

// initialPrefixEnd reports whether one of the prefixes of segtok's
// initials alternative ends at e: a title and a space, ", ", ", and ",
// " and " (not after a lone capital) or an opening bracket.
func initialPrefixEnd(s string, e int) bool {
	r, n := runeBefore(s, e)
	if r == '[' || r == '(' {
		return true
	}
	if !isSpace(r) {
		return false
	}
	c := e - n
	head := s[:c]
	for _, t := range titles {
		if strings.HasSuffix(head, t) && wordBoundary(s, c-len(t)) {
			return true
		}
	}
	// (?<!\b\p{Lu}\p{Lm}?) , \s
	if c > 0 && s[c-1] == ',' && !capitalLookbehind(s, c-1, false) {
		return true
	}
	if !strings.HasSuffix(head, "and") {
		return false
	}
	r, n = runeBefore(s, c-3)
	if !isSpace(r) {
		return false
	}
	f := c - 3 - n
	// (?<!\b\p{Lu}\p{Lm}?) , \s and \s
	if f > 0 && s[f-1] == ',' && !capitalLookbehind(s, f-1, false) {
		return true
	}
	// (?<!\b[\p{Lu},]\p{Lm}?) \s and \s
	return !capitalLookbehind(s, f, true)
}

// capitalLookbehind reports whether `\b\p{Lu}\p{Lm}?` (with comma: `\b[\p{Lu},]\p{Lm}?`)
// matches text ending at i.
func capitalLookbehind(s string, i int, comma bool) bool {
	test := func(e int) bool {
		r, n := runeBefore(s, e)
		return (r >= 0 && is(r, pLu) || comma && r == ',') && wordBoundary(s, e-n)
	}
	if test(i) {
		return true
	}
	r, n := runeBefore(s, i)
	return r >= 0 && is(r, pLm) && test(i-n)
}

// loneWord is segtok's LONE_WORD.match: `^\p{Ll}+[\p{Ll}\p{Nd}HYPHENS]*$`.
func loneWord(s string) bool {
	s = strings.TrimSuffix(s, "\n")
	r, n := runeAt(s, 0)
	if r < 0 || !is(r, pLl) {
		return false
	}
	return allRunes(s[n:], func(r rune) bool { return is(r, pLl|pNd) || isHyphen(r) })
}

// endsInDateDigits is segtok's ENDS_IN_DATE_DIGITS.search: `\b[0123]?[0-9]$`.
func endsInDateDigits(s string) bool {
	n := len(s)
	if n == 0 || s[n-1] < '0' || s[n-1] > '9' {
		return false
	}
	if n >= 2 && '0' <= s[n-2] && s[n-2] <= '3' && wordBoundary(s, n-2) {
		return true
	}
	return wordBoundary(s, n-1)
}

var monthPrefixes = strings.Fields("Jän Jan Ene Feb Mär Mar Apr Abr May Jun Jul Aug Sep Oct Okt Nov Dec Dez Dic Diz")

// monthStart is segtok's MONTH.match: a month abbreviation or a number 1..12.
func monthStart(s string) bool {
	if s == "" {
		return false
	}
	if '1' <= s[0] && s[0] <= '9' || len(s) > 1 && s[0] == '0' && '1' <= s[1] && s[1] <= '9' {
		return true
	}
	for _, m := range monthPrefixes {
		if strings.HasPrefix(s, m) {
			return true
		}
	}
	return false
}

// middleInitialEnd is segtok's MIDDLE_INITIAL_END.search: `\b\p{Lu}\p{Ll}+\W+\p{Lu}$`.
func middleInitialEnd(s string) bool {
	r, n := runeBefore(s, len(s))
	if r < 0 || !is(r, pLu) {
		return false
	}
	w := len(s) - n
	k := w
	for {
		r, n := runeBefore(s, k)
		if r < 0 || isWord(r) {
			break
		}
		k -= n
	}
	if k == w {
		return false
	}
	l := k
	for {
		r, n := runeBefore(s, l)
		if r < 0 || !is(r, pLl) {
			break
		}
		l -= n
	}
	if l == k {
		return false
	}
	r, n = runeBefore(s, l)
	return r >= 0 && is(r, pLu) && wordBoundary(s, l-n)
}

// upperWordStart is segtok's UPPER_WORD_START.match: `^\p{Lu}\p{Ll}+\b`.
func upperWordStart(s string) bool {
	r, n := runeAt(s, 0)
	if r < 0 || !is(r, pLu) {
		return false
	}
	e := n
	for {
		r, n := runeAt(s, e)
		if r < 0 || !is(r, pLl) {
			break
		}
		e += n
	}
	return e > n && !isWordAt(s, e)
}

// sentencer is segtok's _sentences: it joins the joiner's pieces, which
// are consecutive ranges of text, and emits stripped sentences.
type sentencer struct {
	text     string
	out      []string
	have     bool
	lo, hi   int // the pending sentence text[lo:hi]
	runes    int // its length in code points
	par, brk brackets
}

// brackets tracks segtok's _is_open for one bracket pair over a growing text.
type brackets struct {
	seen          bool // an opening bracket occurred
	opens, closes int  // openings in total, closings after the first opening
}

// pieceStats summarises one piece for a bracket pair.
type pieceStats struct {
	opens, closes      int
	seen               bool
	closesAfterOpen    int
	opensBeforeLastEnd int // openings before the last closing
}

func stats(s string, open, close byte) pieceStats {
	var st pieceStats
	opensSoFar := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case open:
			st.opens++
			st.seen = true
			opensSoFar++
		case close:
			st.closes++
			if st.seen {
				st.closesAfterOpen++
			}
			st.opensBeforeLastEnd = opensSoFar
		}
	}
	return st
}

func (b *brackets) add(st pieceStats) {
	switch {
	case b.seen:
		b.opens += st.opens
		b.closes += st.closes
	case st.seen:
		*b = brackets{seen: true, opens: st.opens, closes: st.closesAfterOpen}
	}
}

// open is _is_open: the text ends inside an unclosed bracket.
func (b *brackets) open() bool { return b.seen && b.opens > b.closes }

// notOpened is _is_not_opened: the piece closes a bracket it did not open.
func (st pieceStats) notOpened() bool { return st.closes > st.opensBeforeLastEnd }

func (t *sentencer) add(lo, hi int) {
	cur := t.text[lo:hi]
	par, brk := stats(cur, '(', ')'), stats(cur, '[', ']')
	runes := runeCount(cur)
	if !t.have {
		t.reset(lo, hi, runes, par, brk)
		return
	}
	last := t.text[t.lo:t.hi]
	short := runes < shortSentenceLength || t.runes < shortSentenceLength
	join := false
	switch {
	case beforeLower(last) && lowerWord(cur):
		join = true
	case short && t.par.open() && (par.notOpened() || strings.HasSuffix(last, " et al. ") ||
		upperCaseEnd(last) && upperCaseStart(cur)):
		join = true
	case short && t.brk.open() && (brk.notOpened() || strings.HasSuffix(last, " et al. ") ||
		upperCaseEnd(last) && upperCaseStart(cur)):
		join = true
	case continuation(cur):
		join = true
	}
	if join {
		t.hi = hi
		t.runes += runes
		t.par.add(par)
		t.brk.add(brk)
		return
	}
	t.out = append(t.out, pyStrip(last))
	t.reset(lo, hi, runes, par, brk)
}

func (t *sentencer) reset(lo, hi, runes int, par, brk pieceStats) {
	t.have, t.lo, t.hi, t.runes = true, lo, hi, runes
	t.par, t.brk = brackets{}, brackets{}
	t.par.add(par)
	t.brk.add(brk)
}

func (t *sentencer) finish() []string {
	if t.have {
		t.out = append(t.out, pyStrip(t.text[t.lo:t.hi]))
	}
	return t.out
}

func runeCount(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

// trailingSpace returns the start of the regex \s run that ends s.
func trailingSpace(s string) int {
	e := len(s)
	for {
		r, n := runeBefore(s, e)
		if !isSpace(r) {
			return e
		}
		e -= n
	}
}

// beforeLower is segtok's BEFORE_LOWER.match: s ends, before whitespace,
// with a terminal and a quote or brackets, "spp." or a one- or two-letter
// abbreviation.
func beforeLower(s string) bool {
	e := trailingSpace(s)
	if e == len(s) {
		return false
	}
	k := e
	for k > 0 && (s[k-1] == ')' || s[k-1] == ']') {
		k--
	}
	if r, _ := runeBefore(s, k); k < e && isTerminal(r) {
		return true // [T] [\)\]]+
	}
	if k > 0 && s[k-1] == '"' {
		if r, _ := runeBefore(s, k-1); isTerminal(r) {
			return true // [T] " [\)\]]*
		}
	}
	if strings.HasSuffix(s[:e], "spp.") && wordBoundary(s, e-4) {
		return true
	}
	if e == 0 || s[e-1] != '.' {
		return false
	}
	// \b \p{L} \p{Ll}? \.
	r1, n1 := runeBefore(s, e-1)
	if r1 < 0 || !is(r1, pL) {
		return false
	}
	if wordBoundary(s, e-1-n1) {
		return true
	}
	if !is(r1, pLl) {
		return false
	}
	r2, n2 := runeBefore(s, e-1-n1)
	return r2 >= 0 && is(r2, pL) && wordBoundary(s, e-1-n1-n2)
}

// lowerWord is segtok's LOWER_WORD.match: `^\p{Ll}+[HYPHENS]?\p{Ll}*\b`.
// No hyphen is a \w character, so \b already holds after the first run
// whenever a hyphen could follow it: the pattern reduces to a lower-case
// run followed by a non-word character or the end.
func lowerWord(s string) bool {
	p1 := llRun(s, 0)
	return p1 > 0 && !isWordAt(s, p1)
}

// llRun returns the end of the \p{Ll} run at i.
func llRun(s string, i int) int {
	for {
		r, n := runeAt(s, i)
		if r < 0 || !is(r, pLl) {
			return i
		}
		i += n
	}
}

// upperCaseEnd is segtok's UPPER_CASE_END.search: `\b[\p{Lu}\p{Lt}]\p{L}*\.\s+$`.
func upperCaseEnd(s string) bool {
	e := trailingSpace(s)
	if e == len(s) || e == 0 || s[e-1] != '.' {
		return false
	}
	k := e - 1
	for {
		r, n := runeBefore(s, k)
		if r < 0 || !is(r, pL) {
			break
		}
		k -= n
	}
	r, _ := runeAt(s, k)
	return is(r, pLu|pLt) && wordBoundary(s, k) // at k == e-1 r is the dot
}

// upperCaseStart is segtok's UPPER_CASE_START.match:
// `^(?:(?:\(\d{4}\)\s)?[\p{Lu}\p{Lt}]\p{L}*|\d+)[\.,:]\s+`.
func upperCaseStart(s string) bool {
	i := 0
	if strings.HasPrefix(s, "(") {
		j := 1
		for d := 0; d < 4; d++ {
			r, n := runeAt(s, j)
			if r < 0 || !is(r, pDigit) {
				return false
			}
			j += n
		}
		if j >= len(s) || s[j] != ')' {
			return false
		}
		r, n := runeAt(s, j+1)
		if !isSpace(r) {
			return false
		}
		i = j + 1 + n
	}
	r, n := runeAt(s, i)
	switch {
	case r >= 0 && is(r, pLu|pLt):
		i += n
		for {
			r, n := runeAt(s, i)
			if r < 0 || !is(r, pL) {
				break
			}
			i += n
		}
	case i == 0 && r >= 0 && is(r, pDigit):
		for {
			r, n := runeAt(s, i)
			if r < 0 || !is(r, pDigit) {
				break
			}
			i += n
		}
	default:
		return false
	}
	if i >= len(s) || (s[i] != '.' && s[i] != ',' && s[i] != ':') {
		return false
	}
	r, _ = runeAt(s, i+1)
	return isSpace(r)
}

var continuations = strings.Fields("and are between by from has into is of or than that through via was were whether with")

// continuation is segtok's CONTINUATIONS.match: a lower-case word that rarely starts a sentence.
func continuation(s string) bool {
	for _, w := range continuations {
		if strings.HasPrefix(s, w) && !isWordAt(s, len(w)) {
			return true
		}
	}
	return false
}
