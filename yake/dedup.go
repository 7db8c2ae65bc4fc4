package yake

import (
	"strings"
	"unicode/utf8"

	"github.com/apparentlymart/go-textseg/v17/textseg"

	"github.com/jobmatch/jobmatch/yake/internal/pyunicode"
)

// similarity scores two lower-cased keywords in [0, 1]; a candidate is
// dropped when it scores above the threshold against one already picked.
type similarity func(a, b string) float64

// dedupFuncs maps the names yake 0.7.3 accepts, lower-cased, to functions.
var dedupFuncs = map[string]similarity{
	"seqm":            seqm,
	"sequencematcher": seqm,
	"levs":            levs,
	"leve":            levs,
	"levenshtein":     levs,
	"jaro":            jaro,
	"jaro_winkler":    jaro,
}

// seqm is yake 0.7's fast replacement for difflib's ratio: a few cheap
// rejections, then a blend of length ratio and character and trigram
// Jaccard indices.
func seqm(s1, s2 string) float64 {
	if !similarEnough(s1, s2) {
		return 0
	}
	// yake compares lower-cased forms here, after the pre-filter.
	s1, s2 = pyunicode.Lower(s1), pyunicode.Lower(s2)
	if s1 == s2 {
		return 1
	}
	a, b := []rune(s1), []rune(s2)
	l1, l2 := len(a), len(b)
	lenRatio := float64(min(l1, l2)) / float64(max(l1, l2))
	if lenRatio < 0.3 {
		return 0
	}
	charJ := jaccard(runeSet(a), runeSet(b))
	if charJ < 0.2 {
		return 0
	}
	if max(l1, l2) <= 4 {
		return float64(charJ * lenRatio)
	}
	w1, w2 := strings.Fields(s1), strings.Fields(s2)
	if len(w1) > 1 || len(w2) > 1 {
		if wordJ := jaccard(stringSet(w1), stringSet(w2)); wordJ > 0.4 {
			return wordJ
		}
	}
	triJ := jaccard(trigrams(a), trigrams(b))
	return min(float64(0.3*lenRatio)+float64(0.2*charJ)+float64(0.5*triJ), 1)
}

// similarEnough is seqm's pre-filter, on code points.
func similarEnough(a, b string) bool {
	return a == b || sketchOf(a).similarEnough(sketchOf(b))
}

// sketch is what seqm's pre-filter reads of a keyword, so that the
// deduplication loop computes it once per keyword rather than once per pair.
type sketch struct {
	runes, spaces       int
	first, second, last rune
}

func sketchOf(s string) sketch {
	k := sketch{runes: utf8.RuneCountInString(s), spaces: strings.Count(s, " ")}
	var n int
	k.first, n = utf8.DecodeRuneInString(s)
	k.second, _ = utf8.DecodeRuneInString(s[n:])
	k.last, _ = utf8.DecodeLastRuneInString(s)
	return k
}

// similarEnough reports whether seqm may score a and b above 0; equal
// strings always pass.
func (a sketch) similarEnough(b sketch) bool {
	longest, shortest := max(a.runes, b.runes), min(a.runes, b.runes)
	if float64(longest-shortest) > 0.6*float64(longest) {
		return false
	}
	if longest > 3 {
		if shortest == 0 || a.first != b.first || a.last != b.last {
			return false
		}
		if shortest >= 3 && a.second != b.second {
			return false
		}
	}
	return abs(a.spaces-b.spaces) <= 1
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func runeSet(s []rune) map[string]struct{} {
	m := make(map[string]struct{}, len(s))
	for _, r := range s {
		m[string(r)] = struct{}{}
	}
	return m
}

func stringSet(s []string) map[string]struct{} {
	m := make(map[string]struct{}, len(s))
	for _, w := range s {
		m[w] = struct{}{}
	}
	return m
}

func trigrams(s []rune) map[string]struct{} {
	m := make(map[string]struct{}, len(s))
	for i := 0; i+3 <= len(s); i++ {
		m[string(s[i:i+3])] = struct{}{}
	}
	return m
}

// jaccard returns |a∩b| / |a∪b|, 0 for two empty sets.
func jaccard(a, b map[string]struct{}) float64 {
	inter := 0
	for k := range a {
		if _, ok := b[k]; ok {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// levs is 1 - Levenshtein distance / longer length, where yake 0.7 takes
// the distance to be the longer length when the lengths differ by more
// than 70 %.
func levs(s1, s2 string) float64 {
	a, b := []rune(s1), []rune(s2)
	longest := max(len(a), len(b))
	if longest == 0 {
		return 1
	}
	var dist int
	if float64(abs(len(a)-len(b))) > 0.7*float64(longest) {
		dist = longest
	} else {
		dist = levenshtein(a, b)
	}
	return 1 - float64(dist)/float64(longest)
}

func levenshtein(a, b []rune) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag = row[j]
			row[j] = next
		}
	}
	return row[len(b)]
}

// jaro is jellyfish.jaro_similarity, which compares extended grapheme
// clusters rather than code points.
func jaro(s1, s2 string) float64 {
	if isASCII(s1) && isASCII(s2) { // one byte, one cluster (but "\r\n")
		return jaroOf([]byte(s1), []byte(s2))
	}
	return jaroOf(graphemes(s1), graphemes(s2))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || s[i] == '\r' {
			return false
		}
	}
	return true
}

func jaroOf[T comparable](a, b []T) float64 {
	l1, l2 := len(a), len(b)
	if l1 == 0 || l2 == 0 {
		return 0
	}
	window := max(max(l1, l2)/2-1, 0)
	var buf [128]bool
	var flags []bool
	if l1+l2 <= len(buf) {
		flags = buf[:l1+l2]
	} else {
		flags = make([]bool, l1+l2)
	}
	flags1, flags2 := flags[:l1], flags[l1:]
	common := 0
	for i, r := range a {
		lo, hi := max(0, i-window), min(i+window, l2-1)
		for j := lo; j <= hi; j++ {
			if !flags2[j] && b[j] == r {
				flags1[i], flags2[j] = true, true
				common++
				break
			}
		}
	}
	if common == 0 {
		return 0
	}
	trans, k := 0, 0
	for i, f := range flags1 {
		if !f {
			continue
		}
		j := k
		for ; j < l2; j++ {
			if flags2[j] {
				k = j + 1
				break
			}
		}
		if a[i] != b[j] {
			trans++
		}
	}
	trans /= 2
	m := float64(common)
	return (m/float64(l1) + m/float64(l2) + (m-float64(trans))/m) / 3
}

func graphemes(s string) []string {
	out := make([]string, 0, len(s))
	b := []byte(s)
	for len(b) > 0 {
		n, _, _ := textseg.ScanGraphemeClusters(b, true)
		if n <= 0 {
			n = len(b)
		}
		out = append(out, s[:n])
		s, b = s[n:], b[n:]
	}
	return out
}

// dedupName normalises a DedupFunc option.
func dedupName(s string) string { return pyunicode.Lower(s) }
