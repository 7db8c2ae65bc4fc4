package wordpiece

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Classes of ASCII bytes, for the fast path of normalization and splitting.
const (
	asciiKeep  = iota // letters other than A-Z, digits
	asciiUpper        // A-Z
	asciiDrop         // control characters that clean_text removes
	asciiSpace        // white space
	asciiPunct        // ASCII punctuation: 33-47, 58-64, 91-96, 123-126
)

var asciiClass = func() (c [utf8.RuneSelf]uint8) {
	for b := range c {
		switch {
		case b == '\t' || b == '\n' || b == '\r' || b == ' ':
			c[b] = asciiSpace
		case b < 0x20 || b == 0x7f:
			// Includes \v and \f: they are Cc, and BertNormalizer removes
			// control characters before it maps white space.
			c[b] = asciiDrop
		case b >= 'A' && b <= 'Z':
			c[b] = asciiUpper
		case b >= 33 && b <= 47, b >= 58 && b <= 64, b >= 91 && b <= 96, b >= 123 && b <= 126:
			c[b] = asciiPunct
		}
	}
	return c
}()

// isControl reports whether clean_text removes r (besides U+0000 and
// U+FFFD): unicode_categories' is_other, that is Cc, Cf and Co of Unicode 8.0,
// except \t, \n and \r.
func isControl(r rune) bool {
	if r == '\t' || r == '\n' || r == '\r' {
		return false
	}
	switch {
	case r >= 0xE000 && r <= 0xF8FF, r >= 0xF0000 && r <= 0xFFFFD, r >= 0x100000 && r <= 0x10FFFD:
		return true
	}
	return unicode.Is(crateOther, r)
}

// isWhitespace is Rust's char::is_whitespace (the White_Space property),
// which both BertNormalizer and BertPreTokenizer use.
func isWhitespace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// isPunct is BertPreTokenizer's is_bert_punc: ASCII punctuation or a
// Unicode 8.0 P* character.
func isPunct(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r] == asciiPunct
	}
	return unicode.Is(cratePunct, r)
}

// isCJK reports whether r is in the ranges that BertNormalizer surrounds
// with spaces. tokenizers starts one range at U+2B920 where transformers'
// slow BertTokenizer starts it at U+2B820; we follow tokenizers.
func isCJK(r rune) bool {
	switch {
	case r < 0x3400:
		return false
	case r <= 0x4DBF:
		return true
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0xF900 && r <= 0xFAFF,
		r >= 0x20000 && r <= 0x2A6DF, r >= 0x2A700 && r <= 0x2B81F,
		r >= 0x2B920 && r <= 0x2CEAF, r >= 0x2F800 && r <= 0x2FA1F:
		return true
	}
	return false
}

// appendLower appends Rust's char::to_lowercase of r: the full Unicode
// lower-case mapping, which differs from the simple one only for U+0130.
// Final sigma is not special: Rust lowers each char on its own.
func appendLower(dst []byte, r rune) []byte {
	if r == 0x130 {
		return append(dst, "i\u0307"...)
	}
	return utf8.AppendRune(dst, toLower(r))
}

// toLower is unicode.ToLower plus the case pairs of Unicode 16.0 and 17.0,
// which Rust's standard library (as built into the tokenizers 0.22.2 wheels)
// knows and Go's Unicode 15.0 tables do not.
func toLower(r rune) rune {
	if l := unicode.ToLower(r); l != r {
		return l
	}
	switch {
	case r >= 0x10D50 && r <= 0x10D65: // Garay
		return r + 0x20
	case r >= 0x16EA0 && r <= 0x16EB8: // Beria Erfe
		return r + 0x1B
	}
	switch r {
	case 0x1C89, 0xA7CC, 0xA7CE, 0xA7D2, 0xA7D4, 0xA7DA:
		return r + 1
	case 0xA7CB:
		return 0x0264
	case 0xA7DC:
		return 0x019B
	}
	return r
}

// appendNFD appends the NFD of src to dst as unicode-normalization-alignments
// 0.1.12 (Unicode 9.0), tokenizers' NFD, computes it: full canonical
// decomposition, then combining marks in canonical order. It takes the
// decompositions and combining classes from x/text, whose NFD itself would
// differ: it also decomposes and reorders the code points of nfdStarters,
// which are new since 9.0 and plain starters to the crate, and it inserts
// U+034F after 30 combining marks (Stream-Safe Text Format), which the
// crate does not. Looking up properties also allocates nothing, unlike
// x/text's Append.
func appendNFD(dst, src []byte, sc *scratch) []byte {
	start := len(dst)
	for i := 0; i < len(src); {
		if src[i] < utf8.RuneSelf {
			dst = append(dst, src[i])
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		c := src[i : i+n]
		i += n
		switch {
		case r >= hangulBase && r < hangulBase+hangulCount:
			dst = appendHangul(dst, r)
		case r >= 0x7FD && unicode.Is(nfdStarters, r): // U+07FD: first of nfdStarters
			dst = append(dst, c...)
		default:
			if d := norm.NFD.Properties(c).Decomposition(); d != nil {
				dst = append(dst, d...)
			} else {
				dst = append(dst, c...)
			}
		}
	}
	orderMarks(dst[start:], sc)
	return dst
}

// Hangul syllables decompose by arithmetic (Unicode 3.12).
const (
	hangulBase  = 0xAC00
	hangulCount = 11172
	jamoL       = 0x1100
	jamoV       = 0x1161
	jamoT       = 0x11A7
	jamoTCount  = 28
	jamoNCount  = 588
)

func appendHangul(dst []byte, r rune) []byte {
	s := r - hangulBase
	dst = utf8.AppendRune(dst, jamoL+s/jamoNCount)
	dst = utf8.AppendRune(dst, jamoV+(s%jamoNCount)/jamoTCount)
	if t := s % jamoTCount; t != 0 {
		dst = utf8.AppendRune(dst, jamoT+t)
	}
	return dst
}

// ccc returns the canonical combining class of r as the crate has it.
func ccc(r rune, b []byte) uint8 {
	if r < 0x300 || (r >= 0x7FD && unicode.Is(nfdStarters, r)) {
		return 0
	}
	return norm.NFD.Properties(b).CCC()
}

// mark is a combining mark and its combining class.
type mark struct {
	r   rune
	ccc uint8
}

// orderMarks puts every run of combining marks of s in canonical order, a
// stable sort by combining class, in place.
func orderMarks(s []byte, sc *scratch) {
	for i := 0; i < len(s); {
		// Find the next run of two or more non-starters.
		if s[i] < 0xCC { // ASCII and U+0000-U+02FF: starters
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if ccc(r, s[i:i+n]) == 0 {
			i += n
			continue
		}
		marks := sc.marks[:0]
		j := i
		sorted := true
		for j < len(s) {
			r, n := utf8.DecodeRune(s[j:])
			c := ccc(r, s[j:j+n])
			if c == 0 {
				break
			}
			if len(marks) > 0 && c < marks[len(marks)-1].ccc {
				sorted = false
			}
			marks = append(marks, mark{r, c})
			j += n
		}
		if !sorted {
			slices.SortStableFunc(marks, func(a, b mark) int { return int(a.ccc) - int(b.ccc) })
			k := i
			for _, m := range marks {
				k += utf8.EncodeRune(s[k:], m.r)
			}
		}
		sc.marks = marks
		i = j
	}
}

// scratch is per-call working memory, recycled through Tokenizer.pool.
type scratch struct {
	norm  []byte // the normalized segment
	tmp   []byte // NFD output before marks are dropped
	marks []mark // a run of combining marks, see orderMarks
	ids   []int32
	offs  []int
}

// normalize appends the BertNormalizer form of s to dst. The steps run in
// tokenizers' order: clean text, pad CJK ideographs, NFD and drop Mn, lower
// case. ASCII text takes a single pass.
func (t *Tokenizer) normalize(dst []byte, s string, sc *scratch) []byte {
	start := len(dst)
	wide := false // whether a non-ASCII rune was kept
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch asciiClass[c] {
			case asciiDrop:
				if t.clean {
					continue
				}
			case asciiSpace:
				if t.clean {
					c = ' '
				}
			case asciiUpper:
				if t.lower {
					c += 'a' - 'A'
				}
			}
			dst = append(dst, c)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case t.clean && (r == utf8.RuneError || isControl(r)):
			continue
		case t.clean && isWhitespace(r):
			dst = append(dst, ' ')
		case t.cjk && isCJK(r):
			dst = append(dst, ' ')
			dst = utf8.AppendRune(dst, r)
			dst = append(dst, ' ')
			wide = true
		default:
			dst = utf8.AppendRune(dst, r)
			wide = true
		}
	}
	if !wide || (!t.strip && !t.lower) {
		return dst
	}
	src := dst[start:]
	if t.strip {
		sc.tmp = appendNFD(sc.tmp[:0], src, sc)
		src = sc.tmp
	} else {
		sc.tmp = append(sc.tmp[:0], src...)
		src = sc.tmp
	}
	dst = dst[:start]
	for i := 0; i < len(src); {
		if c := src[i]; c < utf8.RuneSelf {
			if t.lower && c >= 'A' && c <= 'Z' {
				c += 'a' - 'A' // NFD may have split an upper-case letter off its accent
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		i += n
		switch {
		case t.strip && unicode.Is(crateMn, r):
		case t.lower:
			dst = appendLower(dst, r)
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}
