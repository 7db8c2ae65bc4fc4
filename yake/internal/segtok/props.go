package segtok

import (
	"sort"
	"unicode/utf8"
)

//go:generate python3 gen_tables.py
//go:generate gofmt -w tables.go entities.go

// propRange gives the property mask of the code points lo..hi.
type propRange struct {
	lo, hi uint32
	mask   uint16
}

// latin1Props caches the masks of U+0000..U+00FF, the runes of most input.
var latin1Props = func() (t [256]uint16) {
	for r := range t {
		t[r] = lookupProps(rune(r))
	}
	return t
}()

func lookupProps(r rune) uint16 {
	i := sort.Search(len(propRanges), func(i int) bool { return propRanges[i].hi >= uint32(r) })
	if i < len(propRanges) && propRanges[i].lo <= uint32(r) {
		return propRanges[i].mask
	}
	return 0
}

// props returns the property mask of r; invalid runes (utf8.RuneError for
// undecodable bytes) get the mask of U+FFFD, which is zero.
func props(r rune) uint16 {
	if uint32(r) < 256 {
		return latin1Props[r]
	}
	return lookupProps(r)
}

const (
	pAlnum  = pLl | pLm | pLt | pLu | pNd | pNl // segtok ALNUM (no Lo)
	pLetter = pLl | pLm | pLt | pLu             // segtok LETTER
	pNumber = pNd | pNl                         // segtok NUMBER
)

func is(r rune, mask uint16) bool { return props(r)&mask != 0 }

// runeAt decodes the rune at byte offset i of s; it returns (-1, 0) at or
// past the end so that callers can treat the end as "no such character".
func runeAt(s string, i int) (rune, int) {
	if i >= len(s) {
		return -1, 0
	}
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// runeBefore decodes the rune that ends at byte offset i of s, or (-1, 0) at the start.
func runeBefore(s string, i int) (rune, int) {
	if i <= 0 {
		return -1, 0
	}
	if c := s[i-1]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeLastRuneInString(s[:i])
}

// isWordAt reports whether the rune at i is a regex \w character (false at the ends).
func isWordAt(s string, i int) bool {
	r, _ := runeAt(s, i)
	return r >= 0 && is(r, pWord)
}

func isWordBefore(s string, i int) bool {
	r, _ := runeBefore(s, i)
	return r >= 0 && is(r, pWord)
}

// wordBoundary reports whether regex \b holds at byte offset i of s.
func wordBoundary(s string, i int) bool {
	return isWordBefore(s, i) != isWordAt(s, i)
}

// atEnd reports whether regex $ (without MULTILINE) holds at i: the end of s
// or just before a final "\n".
func atEnd(s string, i int) bool {
	return i == len(s) || (i == len(s)-1 && s[i] == '\n')
}

// isPySpace reports whether Python's str.isspace holds for r.
func isPySpace(r rune) bool { return r >= 0 && is(r, pPySpace) }

// pyStrip removes leading and trailing Python whitespace like str.strip().
func pyStrip(s string) string {
	for len(s) > 0 {
		r, n := runeAt(s, 0)
		if !isPySpace(r) {
			break
		}
		s = s[n:]
	}
	for len(s) > 0 {
		r, n := runeBefore(s, len(s))
		if !isPySpace(r) {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}
