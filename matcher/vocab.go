package matcher

import (
	"bufio"
	"cmp"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/jobmatch/jobmatch/yake"
)

//go:embed vocab/aliases.txt vocab/nonskills.txt vocab/locations.txt
var vocabFiles embed.FS

// maxVocabBytes bounds what ParseVocabulary and Vocabulary.Extend read.
const maxVocabBytes = 4 << 20

// Vocabulary is what the matcher knows about skill names: the canonical
// form of each skill and its aliases (abbreviations, spellings), the words
// that are not skills (posting boilerplate, bare job titles), and place
// names. A Vocabulary is immutable and safe for concurrent use; start from
// [DefaultVocabulary] and add to it with [Vocabulary.Extend].
type Vocabulary struct {
	canon    map[string]string // normal form of a name or alias → canonical normal form
	maxWords int               // the longest name, in words
	// Surface forms that YAKE would drop or break (C#, C++, .NET, CI/CD,
	// k8s): rewritten in the text before extraction.
	unsafe    *formIndex
	rewriteTo map[string]string   // normal form of an unsafe form → its placeholder word ("" keeps it)
	expandTo  map[string]string   // normal form of a form → the canonical name or its placeholder
	display   map[string]string   // lower-cased placeholder word → the form as written
	forms     map[string][]string // canonical normal form → its forms, for evidence
	nonSkill  map[string]bool     // words
	posting   map[string]bool     // words that make any keyword boilerplate ("hiring")
	places    map[string]bool     // place names, normal form
	maxPlace  int                 // the longest place name, in words
}

var (
	defaultVocabOnce sync.Once
	defaultVocab     *Vocabulary
	defaultVocabErr  error
)

// DefaultVocabulary returns the vocabulary that ships with the package
// (vocab/ and its README): about a hundred skills with their aliases, the
// non-skill words, and the place names of GeoNames (countries, US states,
// cities of 300,000 people or more).
func DefaultVocabulary() *Vocabulary {
	defaultVocabOnce.Do(func() {
		v := &Vocabulary{canon: map[string]string{}, rewriteTo: map[string]string{}, expandTo: map[string]string{}, display: map[string]string{}, forms: map[string][]string{},
			nonSkill: map[string]bool{}, posting: map[string]bool{}, places: map[string]bool{}}
		for _, f := range []struct {
			name string
			add  func(string) error
		}{{"aliases.txt", v.addAliasLine}, {"nonskills.txt", v.addNonSkillLine}, {"locations.txt", v.addPlaceLine}} {
			b, err := vocabFiles.ReadFile("vocab/" + f.name)
			if err == nil {
				err = eachLine(strings.NewReader(string(b)), f.add)
			}
			if err != nil {
				defaultVocabErr = fmt.Errorf("matcher: vocab/%s: %w", f.name, err)
				return
			}
		}
		v.compile()
		defaultVocab = v
	})
	if defaultVocabErr != nil { // unreachable: the files are embedded and tested
		panic(defaultVocabErr)
	}
	return defaultVocab
}

// ParseVocabulary reads a vocabulary in the format of [Vocabulary.Extend]
// that starts empty: no aliases, no non-skill words, no places.
func ParseVocabulary(r io.Reader) (*Vocabulary, error) {
	return (&Vocabulary{}).Extend(r)
}

// Extend returns a copy of v with the lines of r added. A line is one of
//
//	canonical name | alias | alias ...    (a skill and its aliases)
//	-word word ...                        (words that are not skills)
//	!word word ...                        (words that make any keyword boilerplate)
//	@place name                           (a place)
//
// Case does not matter; empty lines and lines starting with # are skipped.
// An alias that v already knows is moved to the new canonical name. r is
// read up to 4 MiB.
func (v *Vocabulary) Extend(r io.Reader) (*Vocabulary, error) {
	n := &Vocabulary{canon: cloneMap(v.canon), maxWords: v.maxWords, rewriteTo: cloneMap(v.rewriteTo), expandTo: cloneMap(v.expandTo),
		display: cloneMap(v.display), forms: cloneMap(v.forms), nonSkill: cloneMap(v.nonSkill), posting: cloneMap(v.posting),
		places: cloneMap(v.places), maxPlace: v.maxPlace}
	lr := &io.LimitedReader{R: r, N: maxVocabBytes + 1}
	err := eachLine(lr, func(line string) error {
		switch {
		case strings.HasPrefix(line, "-"), strings.HasPrefix(line, "!"):
			return n.addNonSkillLine(line)
		case strings.HasPrefix(line, "@"):
			return n.addPlaceLine(line[1:])
		}
		return n.addAliasLine(line)
	})
	if err != nil {
		return nil, fmt.Errorf("matcher: vocabulary: %w", err)
	}
	if lr.N <= 0 {
		return nil, fmt.Errorf("matcher: vocabulary: longer than %d bytes", maxVocabBytes)
	}
	n.compile()
	return n, nil
}

func cloneMap[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, x := range m {
		out[k] = x
	}
	return out
}

// eachLine calls add with every line of r that is neither empty nor a
// comment, trimmed.
func eachLine(r io.Reader, add func(string) error) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !utf8.ValidString(line) {
			return fmt.Errorf("line %d: invalid UTF-8", n)
		}
		if err := add(line); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}

func (v *Vocabulary) addAliasLine(line string) error {
	names := strings.Split(line, "|")
	written := strings.TrimSpace(names[0])
	canonical := normalize(written)
	if canonical == "" {
		return fmt.Errorf("%q: no canonical name", line)
	}
	to := "" // the canonical name as it stays in the text
	if !yakeSafe(canonical) || utf8.RuneCountInString(canonical) < minYAKEWord {
		to = v.placeholder(written, canonical)
	}
	if to == "" && (!yakeSafe(canonical) || utf8.RuneCountInString(canonical) < minYAKEWord) {
		return fmt.Errorf("%q: %q needs a letter or a digit", line, written)
	}
	for _, name := range names {
		w := strings.TrimSpace(name)
		form := normalize(w)
		if form == "" || len(form) > MaxKeywordBytes {
			return fmt.Errorf("%q: empty or over-long name", line)
		}
		v.canon[form] = canonical
		v.maxWords = max(v.maxWords, len(strings.Fields(form)))
		switch {
		case form == canonical:
			v.rewriteTo[form], v.expandTo[form] = to, to
		case !yakeSafe(form) || utf8.RuneCountInString(form) < minYAKEWord:
			if v.rewriteTo[form] = v.placeholder(w, canonical); v.rewriteTo[form] == "" {
				return fmt.Errorf("%q: %q needs a letter or a digit", line, w)
			}
		}
		if form != canonical {
			v.expandTo[form] = cmp.Or(to, written)
		}
		if !slices.Contains(v.forms[canonical], form) {
			v.forms[canonical] = append(slices.Clip(v.forms[canonical]), form) // Extend's copy shares the slices
		}
	}
	return nil
}

// placeholder returns the word that stands in the text for written, a form
// of canonical that YAKE would drop or break: its letters, with '#', '+',
// '.' and digits spelled out (C# → Csharp, k8s → Keights), capitalised.
// A placeholder shorter than minYAKEWord is repeated (ML → MLML); it is
// "" when written has neither a letter nor a digit. The
// placeholder maps back to written for display and to canonical for
// matching.
func (v *Vocabulary) placeholder(written, canonical string) string {
	var b strings.Builder
	for _, r := range written {
		switch {
		case unicode.IsLetter(r):
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteString(digitNames[r-'0'])
		case r == '#':
			b.WriteString("sharp")
		case r == '+':
			b.WriteString("plus")
		case r == '.':
			b.WriteString("dot")
		}
	}
	w := []rune(b.String())
	if len(w) == 0 || !strings.ContainsFunc(written, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return ""
	}
	w[0] = unicode.ToUpper(w[0])
	p := string(w)
	for len(p) < minYAKEWord { // ML → MLML: an acronym still, long enough
		p += string(w)
	}
	v.canon[strings.ToLower(p)] = canonical
	v.display[strings.ToLower(p)] = written
	return p
}

var digitNames = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

// addNonSkillLine adds the words of a line of non-skill words; a line that
// starts with '!' holds posting words, which make any keyword boilerplate.
func (v *Vocabulary) addNonSkillLine(line string) error {
	set := v.nonSkill
	if strings.HasPrefix(line, "!") {
		set = v.posting
	}
	for _, w := range strings.Fields(normalize(strings.TrimLeft(line, "-!"))) {
		set[w] = true
	}
	return nil
}

func (v *Vocabulary) addPlaceLine(line string) error {
	p := normalize(line)
	v.places[p] = true
	v.maxPlace = max(v.maxPlace, len(strings.Fields(p)))
	return nil
}

// compile builds the index that finds the forms in a text.
func (v *Vocabulary) compile() { v.unsafe = newFormIndex(v.sortedForms()) }

// sortedForms returns the forms of skill names in the order they are tried
// at a position of a text: longest first, so that ".NET Core" wins over
// ".NET".
func (v *Vocabulary) sortedForms() []string {
	forms := make([]string, 0, len(v.expandTo))
	for f := range v.expandTo { // every form of rewriteTo too
		forms = append(forms, f)
	}
	slices.SortFunc(forms, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return forms
}

// formIndex finds forms in a text as the expression (?i)(?:f1|f2|…) would,
// each space of a form standing for a run of spaces and tabs: at the leftmost
// position where some form matches, the first form in the index's order that
// does. Go's regexp runs an alternation of a few hundred literals at about
// 8 µs a byte (a megabyte resume took 9 s); the index tries only the forms
// that start with the letter at hand. The tests hold it to the expression.
type formIndex struct {
	ascii [utf8.RuneSelf][]indexedForm // forms whose first rune folds to an ASCII rune, by foldKey
	other map[rune][]indexedForm       // the others, by foldKey
}

// indexedForm is a form and the key of what follows its first rune: the
// foldKey of its second rune, ' ' for a space (which stands for spaces and
// tabs), or -1 when there is none.
type indexedForm struct {
	form   string
	second rune
}

func newFormIndex(forms []string) *formIndex {
	x := &formIndex{other: map[rune][]indexedForm{}}
	for _, f := range forms {
		r, size := utf8.DecodeRuneInString(f)
		if f == "" || r == ' ' {
			continue // normalised forms start with neither
		}
		e := indexedForm{f, -1}
		if size < len(f) {
			r2, _ := utf8.DecodeRuneInString(f[size:])
			e.second = foldKey(r2)
		}
		if k := foldKey(r); k < utf8.RuneSelf {
			x.ascii[k] = append(x.ascii[k], e)
		} else {
			x.other[k] = append(x.other[k], e)
		}
	}
	return x
}

// next returns where the first form at or after text[i:] is, or -1, -1.
func (x *formIndex) next(text string, i int) (start, end int) {
	for x != nil && i < len(text) {
		r, size := decodeAt(text, i)
		var forms []indexedForm
		if k := foldKey(r); k < utf8.RuneSelf {
			forms = x.ascii[k]
		} else {
			forms = x.other[k]
		}
		if len(forms) > 0 {
			second := rune(-1)
			if i+size < len(text) {
				r2, _ := decodeAt(text, i+size)
				if second = foldKey(r2); r2 == '\t' {
					second = ' '
				}
			}
			for _, f := range forms {
				if f.second >= 0 && f.second != second {
					continue
				}
				if end := matchFold(text, i, f.form); end >= 0 {
					return i, end
				}
			}
		}
		i += size
	}
	return -1, -1
}

// decodeAt decodes the rune at text[i:], as utf8.DecodeRuneInString.
func decodeAt(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}

// matchFold returns where form ends when it matches text at i, letters
// compared under simple case folding (as regexp's (?i)) and each space of
// form matching one or more spaces and tabs; -1 when it does not match.
func matchFold(text string, i int, form string) int {
	for _, fr := range form {
		if i >= len(text) {
			return -1
		}
		if fr == ' ' {
			if text[i] != ' ' && text[i] != '\t' {
				return -1
			}
			for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
				i++
			}
			continue
		}
		r, size := decodeAt(text, i)
		if r != fr && foldKey(r) != foldKey(fr) {
			return -1
		}
		i += size
	}
	return i
}

// foldKey returns the smallest rune that r equals under simple case folding
// (unicode.SimpleFold's orbit): two runes match case-insensitively when
// their keys are equal. The key of an ASCII letter is its capital, also for
// the runes that fold to one (the Kelvin sign, the long s).
func foldKey(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		return r
	}
	k := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		k = min(k, f)
	}
	return k
}

// minYAKEWord is the shortest word YAKE takes as a keyword's first or last
// word: shorter ones (ML, AI, JS) count as stopwords.
const minYAKEWord = 3

// yakeSafe reports whether YAKE keeps every word of form as it is: words of
// letters with at most one inner hyphen and inner periods (Node.js,
// machine-learning); YAKE drops words with digits, '#', '+', '/', a leading
// period or two hyphens.
func yakeSafe(form string) bool {
	for _, w := range strings.Fields(form) {
		hyphens, prev := 0, ' '
		for i, r := range w {
			switch {
			case unicode.IsLetter(r):
			case (r == '.' || r == '-') && i > 0 && unicode.IsLetter(prev) && i+1 < len(w):
				if r == '-' {
					hyphens++
				}
			default:
				return false
			}
			prev = r
		}
		if hyphens > 1 || !unicode.IsLetter(prev) {
			return false
		}
	}
	return true
}

// splitHyphens returns text with the hyphens of words of three or more
// parts (natural-language-processing), which YAKE drops, made spaces: the
// words the expression \pL[\pL\pN]*(?:-[\pL\pN]+){2,} finds, found in one
// pass (the tests hold it to the expression).
func splitHyphens(text string) string {
	var b []byte // a copy of text once a hyphen is replaced
	for i := 0; i < len(text); {
		r, size := decodeAt(text, i)
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		end, hyphens := i, 0 // where the word ends, and how many hyphens join its parts
		for j := i; ; hyphens++ {
			for j < len(text) {
				r, size := decodeAt(text, j)
				if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
					break
				}
				j += size
			}
			end = j
			if j+1 >= len(text) || text[j] != '-' {
				break
			}
			if r, _ := decodeAt(text, j+1); !unicode.IsLetter(r) && !unicode.IsNumber(r) {
				break
			}
			j++
		}
		if hyphens >= 2 {
			if b == nil {
				b = []byte(text)
			}
			for k := i; k < end; k++ {
				if b[k] == '-' {
					b[k] = ' '
				}
			}
		}
		// No word starting inside text[i:end] has more parts than this one.
		i = end
	}
	if b == nil {
		return text
	}
	return string(b)
}

// rewrite returns text as the keyword extractor should see it: the unsafe
// forms of skill names replaced by words YAKE keeps, and the hyphens of
// words with two or more of them replaced by spaces. The matcher finds
// evidence in the original text, so offsets need not be kept.
func (v *Vocabulary) rewrite(text string, expand bool) string {
	return v.rewriteWith(text, expand, v.unsafe.next)
}

// rewriteWith is rewrite with the forms found by next, which returns where
// the first form at or after text[i:] is, or -1, -1.
func (v *Vocabulary) rewriteWith(text string, expand bool, next func(text string, i int) (start, end int)) string {
	to := v.rewriteTo
	if expand {
		to = v.expandTo
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(text); {
		start, end := next(text, i)
		if start < 0 {
			break
		}
		i = end
		if !boundary(text, start, end) {
			continue
		}
		b.WriteString(text[last:start])
		if r := to[normalize(text[start:end])]; r != "" {
			b.WriteString(r)
		} else {
			b.WriteString(text[start:end])
		}
		last = end
	}
	if last > 0 {
		b.WriteString(text[last:])
		text = b.String()
	}
	return splitHyphens(text)
}

// boundary reports whether text[i:j] stands alone: no letter, digit, '.',
// '#' or '+' touches it (".NET" is not found in "ASP.NET", "C#" not in
// "C##").
func boundary(text string, i, j int) bool {
	glued := func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '#' || r == '+' || r == '_'
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:i]); i > 0 && (glued(r) || r == '.') {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(text[j:]); j < len(text) && glued(r) {
		return false
	}
	return true
}

// restore returns a keyword extracted from rewritten text with its
// placeholder words written back as the skill names they stand for.
func (v *Vocabulary) restore(kw string) string {
	if len(v.display) == 0 {
		return kw
	}
	ws := strings.Fields(kw)
	changed := false
	for i, w := range ws {
		if d, ok := v.display[strings.ToLower(w)]; ok {
			ws[i], changed = d, true
		}
	}
	if !changed {
		return kw
	}
	return strings.Join(ws, " ")
}

// canonical returns the normal form of a keyword with each alias, the
// longest first, replaced by its canonical name: "ml engineer" → "machine
// learning engineer".
func (v *Vocabulary) canonical(norm string) string {
	ws := strings.Fields(norm)
	out := make([]string, 0, len(ws))
	changed := false
	for i := 0; i < len(ws); {
		n := min(v.maxWords, len(ws)-i)
		for ; n > 0; n-- {
			if c, ok := v.canon[strings.Join(ws[i:i+n], " ")]; ok {
				out = append(out, c)
				changed = changed || c != strings.Join(ws[i:i+n], " ")
				break
			}
		}
		if n == 0 {
			out, n = append(out, ws[i]), 1
		}
		i += n
	}
	if !changed {
		return norm
	}
	return strings.Join(out, " ")
}

// key returns the form in which two canonical keywords are the same skill:
// hyphens as spaces, the last word singular.
func (v *Vocabulary) key(canonical string) string {
	ws := strings.Fields(strings.ReplaceAll(canonical, "-", " "))
	if len(ws) == 0 {
		return ""
	}
	last := ws[len(ws)-1]
	if _, known := v.canon[last]; !known {
		ws[len(ws)-1] = singular(last)
	}
	return strings.Join(ws, " ")
}

// singular strips an English plural ending: models → model, technologies →
// technology; words in -ss, -us, -is and -ics are left alone.
func singular(w string) string {
	switch {
	case len(w) < 4 || !strings.HasSuffix(w, "s"):
		return w
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"), strings.HasSuffix(w, "ics"):
		return w
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	}
	return w[:len(w)-1]
}

// notSkill reports whether a canonical keyword names no skill: it has a
// place name or a non-skill word, and every other word is a stopword of
// lang, a number or punctuation ("team in Berlin", "Engineer to build",
// "5 years"), or it has a posting word ("hiring a Machine"). Keywords of
// stopwords alone are the extractor's business.
func (v *Vocabulary) notSkill(canonical, lang string) bool {
	ws := strings.Fields(canonical)
	found := false
	for i := 0; i < len(ws); {
		n := min(v.maxPlace, len(ws)-i)
		for ; n > 0 && !v.places[strings.Join(ws[i:i+n], " ")]; n-- {
		}
		if n > 0 {
			i, found = i+n, true
			continue
		}
		w := ws[i]
		if v.posting[w] {
			return true
		}
		if _, skill := v.canon[w]; skill {
			return false
		}
		switch {
		case v.nonSkill[w]:
			found = true
		case isStopword(lang, w) || !strings.ContainsFunc(w, unicode.IsLetter):
		default:
			return false
		}
		i++
	}
	return found
}

// isStopword reports whether w is a stopword of lang's YAKE list.
func isStopword(lang, w string) bool { return yake.IsStopword(lang, w) }
