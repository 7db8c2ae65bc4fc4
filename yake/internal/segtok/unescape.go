package segtok

import (
	"strings"
	"unicode/utf8"
)

// unescape replaces HTML character references like Python's html.unescape:
// the HTML5 named references (the longest known prefix of a name given
// without ";"), decimal and hexadecimal references with the HTML5 fix-ups.
// Text without '&' is returned as is.
func unescape(s string) string {
	i := strings.IndexByte(s, '&')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	done := 0
	for i >= 0 {
		if end, repl, ok := charref(s, i); ok {
			b.WriteString(s[done:i])
			b.WriteString(repl)
			done, i = end, end
		} else {
			i++
		}
		j := strings.IndexByte(s[i:], '&')
		if j < 0 {
			break
		}
		i += j
	}
	b.WriteString(s[done:])
	return b.String()
}

// charref matches Python's `&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)`
// at s[i] == '&' and returns the end of the match and its replacement.
func charref(s string, i int) (end int, repl string, ok bool) {
	j := i + 1
	if j < len(s) && s[j] == '#' {
		j++
		if k := scanDigits(s, j, 10); k > j {
			return numericRef(s, j, k, 10)
		}
		if j < len(s) && (s[j] == 'x' || s[j] == 'X') {
			if k := scanDigits(s, j+1, 16); k > j+1 {
				return numericRef(s, j+1, k, 16)
			}
		}
		return 0, "", false // '#' cannot start a name
	}
	// A name of 1 to 32 code points, then an optional ';'.
	k, n := j, 0
	for k < len(s) && n < 32 {
		c := s[k]
		if c == '\t' || c == '\n' || c == '\f' || c == ' ' || c == '<' || c == '&' || c == '#' || c == ';' {
			break
		}
		_, w := utf8.DecodeRuneInString(s[k:])
		k += w
		n++
	}
	if n == 0 {
		return 0, "", false
	}
	if k < len(s) && s[k] == ';' {
		k++
	}
	name := s[j:k]
	if v, found := html5Entities[name]; found {
		return k, v, true
	}
	// The longest prefix of at least two code points that is a known name;
	// all names are ASCII, so byte prefixes stopping at rune starts suffice.
	for x := len(name) - 1; x >= 2; x-- {
		if !utf8.RuneStart(name[x]) {
			continue
		}
		if v, found := html5Entities[name[:x]]; found {
			return k, v + name[x:], true
		}
	}
	return k, s[i:k], true
}

func scanDigits(s string, i, base int) int {
	for i < len(s) {
		c := s[i]
		if '0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			i++
			continue
		}
		break
	}
	return i
}

// numericRef converts the digits s[i:k] and consumes an optional ';'.
func numericRef(s string, i, k, base int) (int, string, bool) {
	const tooBig = 0x110000
	num := 0
	for _, c := range []byte(s[i:k]) {
		d := int(c - '0')
		switch {
		case 'a' <= c && c <= 'f':
			d = int(c-'a') + 10
		case 'A' <= c && c <= 'F':
			d = int(c-'A') + 10
		}
		if num = num*base + d; num > tooBig {
			num = tooBig // Python ints do not overflow; anything this large maps to U+FFFD
		}
	}
	end := k
	if end < len(s) && s[end] == ';' {
		end++
	}
	if v, found := invalidCharrefs[num]; found {
		return end, v, true
	}
	if 0xD800 <= num && num <= 0xDFFF || num > 0x10FFFF {
		return end, "\uFFFD", true
	}
	if invalidCodepoints[num] {
		return end, "", true
	}
	return end, string(rune(num)), true
}
