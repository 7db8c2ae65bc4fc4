package segtok

import "strings"

// webMatcher finds segtok's URL and e-mail tokens:
//
//	(?<=^|[\s<"'(\[{])
//	( [A-z]+://(?:[^@]+@)?(?:[\w-]+\.)+\w+(?::\d+)?(?:/[^?#\s'">)\]}]*)?(?:\?[^#\s'">)\]}]+)?(?:#[^\s'">)\]}]+)?
//	| [\w.#$%&'*+/=!?^`{|}~-]+@(?:[\w-]+\.)+\w+
//	)(?=[\s>"')\]}]|$)
//
// Every quantifier in it can only succeed at its greedy extent (each run is
// followed by a character that the run excludes), so the match is found
// without backtracking. The caches make repeated attempts that share a run
// cost nothing, keeping the scan linear in the sentence length.
type webMatcher struct {
	s                      string
	noURL                  bool // s has no "://"
	scheme, local          runCache
	path, query, frag      runCache
	atValid                bool
	atFrom, atPos          int // the first '@' at or after atFrom is at atPos (-1: none)
	userHost, host, domain memo
}

// memo remembers the result end for the start key, when ok.
type memo struct {
	ok       bool
	key, end int
}

func (m *memo) get(key int, f func(int) int) int {
	if !m.ok || m.key != key {
		m.ok, m.key, m.end = true, key, f(key)
	}
	return m.end
}

// runCache remembers the last maximal run [lo, hi) of some character class:
// a run scanned from any position inside it ends at hi.
type runCache struct{ lo, hi int }

func (c *runCache) end(s string, i int, in func(rune) bool) int {
	if c.lo <= i && i < c.hi {
		return c.hi
	}
	j := i
	for j < len(s) {
		r, n := runeAt(s, j)
		if !in(r) {
			break
		}
		j += n
	}
	if j > i {
		c.lo, c.hi = i, j
	}
	return j
}

// borderBefore is the lookbehind (?<=^|[\s<"'(\[{]).
func (w *webMatcher) borderBefore(p int) bool {
	r, _ := runeBefore(w.s, p)
	switch r {
	case -1, '<', '"', '\'', '(', '[', '{':
		return true
	}
	return isSpace(r)
}

// borderAt is the lookahead (?=[\s>"')\]}]|$).
func (w *webMatcher) borderAt(p int) bool {
	r, _ := runeAt(w.s, p)
	switch r {
	case -1, '>', '"', '\'', ')', ']', '}':
		return true
	}
	return isSpace(r)
}

// match returns the end of a URL or e-mail address starting at p, or -1.
func (w *webMatcher) match(p int) int {
	if !w.noURL {
		if e := w.url(p); e > 0 {
			return e
		}
	}
	return w.mail(p)
}

func (w *webMatcher) url(p int) int {
	s := w.s
	j := w.scheme.end(s, p, func(r rune) bool { return 'A' <= r && r <= 'z' })
	if j == p || !strings.HasPrefix(s[j:], "://") {
		return -1
	}
	h := j + 3
	if at := w.nextAt(h); at > h { // user part [^@]+@
		if e := w.userHost.get(at+1, w.hostTail); e > 0 {
			return e
		}
	}
	return w.host.get(h, w.hostTail)
}

func (w *webMatcher) nextAt(i int) int {
	if w.atValid && w.atFrom <= i && (w.atPos < 0 || i <= w.atPos) {
		return w.atPos
	}
	w.atValid, w.atFrom, w.atPos = true, i, strings.IndexByte(w.s[i:], '@')
	if w.atPos >= 0 {
		w.atPos += i
	}
	return w.atPos
}

// hostTail matches host, port, path, query, fragment and the lookahead from h.
func (w *webMatcher) hostTail(h int) int {
	s := w.s
	y := hostEnd(s, h)
	if y < 0 {
		return -1
	}
	if y < len(s) && s[y] == ':' {
		d := y + 1
		for {
			r, n := runeAt(s, d)
			if r < 0 || !is(r, pDigit) {
				break
			}
			d += n
		}
		if d == y+1 {
			return -1
		}
		y = d
	}
	if y < len(s) && s[y] == '/' {
		y = w.path.end(s, y+1, func(r rune) bool { return r != '?' && r != '#' && !isURLStop(r) })
	}
	if y < len(s) && s[y] == '?' {
		q := w.query.end(s, y+1, func(r rune) bool { return r != '#' && !isURLStop(r) })
		if q == y+1 {
			return -1
		}
		y = q
	}
	if y < len(s) && s[y] == '#' {
		f := w.frag.end(s, y+1, func(r rune) bool { return !isURLStop(r) })
		if f == y+1 {
			return -1
		}
		y = f
	}
	if !w.borderAt(y) {
		return -1
	}
	return y
}

// isURLStop reports membership in [\s'">)\]}], the characters that end URL parts.
func isURLStop(r rune) bool {
	return r < 0 || strings.ContainsRune("'\">)]}", r) || isSpace(r)
}

// hostEnd matches (?:[\w-]+\.)+\w+ at h; only the longest label sequence and
// the longest final \w run can be followed by what the patterns require.
func hostEnd(s string, h int) int {
	pos, labels := h, 0
	for {
		e := pos
		for e < len(s) {
			r, n := runeAt(s, e)
			if r != '-' && !isWord(r) {
				break
			}
			e += n
		}
		if e == pos || e >= len(s) || s[e] != '.' {
			break
		}
		labels++
		pos = e + 1
	}
	if labels == 0 {
		return -1
	}
	x := pos
	for x < len(s) {
		r, n := runeAt(s, x)
		if !isWord(r) {
			break
		}
		x += n
	}
	if x == pos {
		return -1
	}
	return x
}

func (w *webMatcher) mail(p int) int {
	s := w.s
	le := w.local.end(s, p, func(r rune) bool {
		return r >= 0 && (isWord(r) || strings.ContainsRune(".#$%&'*+/=!?^`{|}~-", r))
	})
	if le == p || le >= len(s) || s[le] != '@' {
		return -1
	}
	return w.domain.get(le+1, func(d int) int {
		if e := hostEnd(s, d); e >= 0 && w.borderAt(e) {
			return e
		}
		return -1
	})
}
