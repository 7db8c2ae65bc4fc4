package segtok

// isTerminal reports membership in segtok's SENTENCE_TERMINALS.
func isTerminal(r rune) bool {
	switch r {
	case '.', '!', '?', '\u203C', '\u203D', '\u2047', '\u2048', '\u2049', '\u3002',
		'\uFE52', '\uFE57', '\uFF01', '\uFF0E', '\uFF1F', '\uFF61':
		return true
	}
	return false
}

// isHyphen reports membership in segtok's HYPHENS.
func isHyphen(r rune) bool {
	switch r {
	case '\u00AD', '\u058A', '\u05BE', '\u0F0C', '\u1400', '\u1806', '\u2010', '\u2011', '\u2012',
		'\u2E17', '\u30A0', '-':
		return true
	}
	return false
}

// isApo reports membership in segtok's APOSTROPHE class (no ASCII quote).
func isApo(r rune) bool {
	switch r {
	case '\u00B4', '\u02B9', '\u02BC', '\u2019', '\u2032':
		return true
	}
	return false
}

// isApostrophe reports membership in segtok's APOSTROPHES (ASCII quote included).
func isApostrophe(r rune) bool { return r == '\'' || isApo(r) }

func isSpace(r rune) bool { return r >= 0 && is(r, pSpace) }

func isWord(r rune) bool { return r >= 0 && is(r, pWord) }

func isAlnumAt(s string, i int) bool {
	r, _ := runeAt(s, i)
	return r >= 0 && is(r, pAlnum)
}
