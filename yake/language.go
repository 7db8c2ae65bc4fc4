package yake

import (
	"io/fs"
	"math/bits"
	"strings"
	"sync"
	"unicode"
)

// Language detection from the stopword lists: a text's stopwords say its
// language well once it has a few dozen words, and the lists are already
// here, so detection costs no extra data. It serves callers that pick
// Options.Language per text; Extract itself never detects.

// MinDetectWords is the fewest words a text needs for DetectLanguage to
// name a language.
const MinDetectWords = 12

// minDetectShare is the least share of a text's words that must be
// stopwords of the detected language: an English text has about 40%, a list
// of skill names a few percent.
const minDetectShare = 0.08

// Languages returns the codes of the stopword lists (the languages with a
// list), sorted; "noLang", the empty list, is not one.
func Languages() []string {
	entries, err := fs.ReadDir(stopwordFiles, "stopwords")
	if err != nil { // unreachable: the lists are embedded
		return nil
	}
	var out []string
	for _, e := range entries {
		code := strings.TrimSuffix(strings.TrimPrefix(e.Name(), "stopwords_"), ".txt")
		if code != "noLang" {
			out = append(out, code)
		}
	}
	return out
}

// stopwordLists is the index of stopwordIndex.
type stopwordLists struct {
	codes []string
	lists map[string]uint64
}

// count adds word to the counts of the languages whose lists hold it; it
// returns 1, the word counted.
func (idx stopwordLists) count(counts []int, word string) int {
	for m := idx.lists[word]; m != 0; m &= m - 1 {
		counts[bits.TrailingZeros64(m)]++
	}
	return 1
}

// stopwordIndex returns, for DetectLanguage, the codes of the languages it
// tells apart (yake's "br" list counts for "pt") and, for every stopword,
// the set of those languages whose lists hold it as bits: one lookup a word
// instead of one a word and a language.
//
// It is built on the first detection, from the lists' words rather than
// from their sets (which only the languages extracted in are made into),
// in a map sized once: it is on the path of a process's first request.
var stopwordIndex = sync.OnceValue(func() (idx stopwordLists) {
	var lists [][]string // the words of each language, in the order of codes
	total := 0
	for _, code := range Languages() {
		if code == "br" { // yake's "br" list is Portuguese too (Brazilian), not Breton
			continue
		}
		if len(idx.codes) == 64 { // unreachable: yake has 35 lists; a test checks that every one counts
			panic("yake: more than 64 stopword lists")
		}
		idx.codes = append(idx.codes, code)
		words := stopwordWords(code)
		if code == "pt" {
			words = append(words, stopwordWords("br")...)
		}
		lists = append(lists, words)
		total += len(words)
	}
	idx.lists = make(map[string]uint64, total)
	for i, words := range lists {
		for _, w := range words {
			idx.lists[w] |= 1 << i
		}
	}
	return idx
})

// IsStopword reports whether word, lower-cased, is in the stopword list
// of lang (chosen as Options.Language chooses it).
func IsStopword(lang, word string) bool {
	_, ok := stopwordSet(languageCode(lang))[strings.ToLower(word)]
	return ok && word != ""
}

// DetectLanguage returns the language whose stopword list holds the most
// of the text's words, and the share of the words it holds. It returns ""
// when the text has fewer than MinDetectWords words or when no list holds
// at least 8% of them (a list of names, a text in a language without a
// list). Of equal counts, English wins, then the first code. yake's "br"
// list is Brazilian Portuguese, not Breton: it counts for "pt".
func DetectLanguage(text string) (lang string, share float64) {
	idx := stopwordIndex()
	counts := make([]int, len(idx.codes))
	words := 0
	// The words of strings.FieldsFunc, counted as they are found.
	lower, start := strings.ToLower(text), -1
	for i, r := range lower {
		switch inWord := unicode.IsLetter(r) || unicode.IsMark(r) || r == '\''; {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			words += idx.count(counts, lower[start:i])
			start = -1
		}
	}
	if start >= 0 {
		words += idx.count(counts, lower[start:])
	}
	if words < MinDetectWords {
		return "", 0
	}
	best := 0
	for i, code := range idx.codes {
		if n := counts[i]; n > best || (n == best && code == "en") {
			lang, best = code, n
		}
	}
	share = float64(best) / float64(words)
	if share < minDetectShare {
		return "", share
	}
	return lang, share
}
