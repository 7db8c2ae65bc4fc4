package yake

import (
	"embed"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jobmatch/jobmatch/yake/internal/pyunicode"
)

// stopwordFiles are the lists shipped with yake 0.7.3, byte for byte.
//
//go:embed stopwords/*.txt
var stopwordFiles embed.FS

var stopwordCache sync.Map // file code → map[string]struct{}

// languageCode returns the stopword file yake uses for lang: the first two
// code points, lower-cased, or "noLang" (an empty list) when there is no
// such file.
func languageCode(lang string) string {
	n := 0
	for i := range lang {
		if n == 2 {
			lang = lang[:i]
			break
		}
		n++
	}
	if code, ok := languageCodes.Load(lang); ok {
		return code.(string)
	}
	code := pyunicode.Lower(lang)
	if _, err := stopwordFiles.Open("stopwords/stopwords_" + code + ".txt"); err != nil {
		return "noLang"
	}
	// Two code points that lower-case to one of 35 codes: a few spellings
	// of each, so the memory stays small whatever callers pass.
	languageCodes.Store(strings.Clone(lang), code)
	return code
}

// languageCodes remembers languageCode's answers that name a list, by the
// first two code points of the language.
var languageCodes sync.Map // two code points → code

// stopwordSet loads a list the way yake does: decode as UTF-8, or as
// ISO-8859-1 when that fails (the lt and sk files), lower-case the whole
// text and split on "\n" without trimming, so byte-order marks, trailing
// spaces and the empty string after a final newline stay in the set.
func stopwordSet(code string) map[string]struct{} {
	if s, ok := stopwordCache.Load(code); ok {
		return s.(map[string]struct{})
	}
	words := stopwordWords(code)
	set := make(map[string]struct{}, len(words))
	for _, w := range words {
		set[w] = struct{}{}
	}
	s, _ := stopwordCache.LoadOrStore(code, set)
	return s.(map[string]struct{})
}

// stopwordWords returns the words of a list as stopwordSet reads them,
// repeats included.
func stopwordWords(code string) []string {
	b, err := stopwordFiles.ReadFile("stopwords/stopwords_" + code + ".txt")
	if err != nil { // unreachable: code comes from languageCode
		b = nil
	}
	text := string(b)
	if !utf8.Valid(b) {
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		text = string(r)
	}
	return strings.Split(pyunicode.Lower(text), "\n")
}
