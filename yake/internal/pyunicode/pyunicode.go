// Package pyunicode reproduces the parts of CPython 3.11's str semantics
// (Unicode 14.0) that yake depends on: str.lower with its Final_Sigma rule,
// str.isupper, str.islower, str.isdigit, str.isalpha and str.isspace.
//
// Go's unicode package differs from CPython in the places that matter here
// (Other_Uppercase/Other_Lowercase, No-category digits, Unicode 15 versus 14,
// context-dependent lowering), so the tables in tables.go are generated
// from the Python interpreter itself by gen_tables.py.
package pyunicode

import (
	"strings"
	"unicode/utf8"
)

//go:generate sh -c "python3 gen_tables.py > tables.go"

type runeRange struct{ lo, hi rune }

type lowerEntry struct {
	r     rune
	lower string
}

func in(table []runeRange, r rune) bool {
	lo, hi := 0, len(table)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case r < table[m].lo:
			hi = m
		case r > table[m].hi:
			lo = m + 1
		default:
			return true
		}
	}
	return false
}

// IsUpper reports whether str.isupper() is true for the one-rune string r.
func IsUpper(r rune) bool {
	if r < utf8.RuneSelf {
		return 'A' <= r && r <= 'Z'
	}
	return in(upperRanges, r)
}

// IsLower reports whether str.islower() is true for the one-rune string r.
func IsLower(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z'
	}
	return in(lowerRanges, r)
}

func isTitle(r rune) bool { return r >= 0x1C5 && in(titleRanges, r) }

// IsDigit reports whether str.isdigit() is true for the one-rune string r;
// unlike unicode.IsDigit it accepts digits of category No such as '²'.
func IsDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return in(digitRanges, r)
}

// IsAlpha reports whether str.isalpha() is true for the one-rune string r.
func IsAlpha(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return in(alphaRanges, r)
}

// IsSpace reports whether str.isspace() is true for the one-rune string r;
// it is also what Python's re module matches with \s.
func IsSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r' || 0x1C <= r && r <= 0x1F
	}
	return in(spaceRanges, r)
}

// StrIsUpper reports whether s.isupper() is true: s has at least one
// uppercase character and no lowercase or titlecase one.
func StrIsUpper(s string) bool {
	upper := false
	for _, r := range s {
		if IsLower(r) || isTitle(r) {
			return false
		}
		if IsUpper(r) {
			upper = true
		}
	}
	return upper
}

// StrIsDigit reports whether s.isdigit() is true: s is not empty and every
// character is a digit.
func StrIsDigit(s string) bool {
	for _, r := range s {
		if !IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// Strip returns s without leading and trailing whitespace, like s.strip().
func Strip(s string) string {
	return strings.TrimFunc(s, IsSpace)
}

// Len returns the length of s in code points, like len(s).
func Len(s string) int { return utf8.RuneCountInString(s) }

// Lower returns s.lower(): full lowercase mappings (U+0130 becomes "i̇")
// and a final sigma where U+03A3 ends a word.
func Lower(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for j, r := range s[i:] {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case r == 0x3A3:
			if finalSigma(s, i+j) {
				b.WriteRune(0x3C2)
			} else {
				b.WriteRune(0x3C3)
			}
		default:
			if l, ok := lowerOf(r); ok {
				b.WriteString(l)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func lowerOf(r rune) (string, bool) {
	lo, hi := 0, len(lowerMap)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case r < lowerMap[m].r:
			hi = m
		case r > lowerMap[m].r:
			lo = m + 1
		default:
			return lowerMap[m].lower, true
		}
	}
	return "", false
}

// finalSigma reports whether the capital sigma at byte offset i of s is in
// the Final_Sigma context: \p{cased}\p{case-ignorable}* before it and not
// \p{case-ignorable}*\p{cased} after it.
func finalSigma(s string, i int) bool {
	before := false
	for j := i; j > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		j -= size
		if !in(ignorableRanges, r) {
			before = in(casedRanges, r)
			break
		}
	}
	if !before {
		return false
	}
	for _, r := range s[i+2:] { // U+03A3 is two bytes long
		if !in(ignorableRanges, r) {
			return !in(casedRanges, r)
		}
	}
	return true
}

// IsWord reports whether Python's re module counts r as a word character
// (\w): str.isalnum() or '_'.
func IsWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return in(wordRanges, r)
}
