package matcher

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Postings and resumes state years of experience: "5+ years of experience
// with Python", "2-4 years of data science experience", "Python (5 years)",
// "Machine Learning- Exprience - 31 months", or only "8 years of relevant
// experience". yearsStatements finds such statements with the phrase each
// attaches to (its scope), so that a keyword whose spans lie in a scope
// carries the years (Keyword.YearsRequired, Keyword.YearsStated).

// yearsStatement is one statement of years in a text.
type yearsStatement struct {
	years float64 // the least stated: "2-4 years" 2, "less than 1 year" 0.5, "18 months" 1.5
	at    Span    // the number and its unit ("2-4 years")
	scope Span    // the phrase it attaches to; empty for a general statement
}

// Bounds of the extraction: statements after the first maxYearsStatements
// are ignored, a number above maxYears is not years of experience ("for 100
// years", "2019 years"), and a scope is at most maxScopeBytes, read within
// maxLookBytes of the unit.
const (
	maxYearsStatements = 64
	maxYears           = 50
	maxScopeBytes      = 120
	maxLookBytes       = 60
)

// yearsStatements returns the statements of years in text, in order, at
// most maxYearsStatements. It reads text once, and around each unit word
// ("years", "yrs", "months") at most a few hundred bytes.
func yearsStatements(text string) []yearsStatement {
	var out []yearsStatement
	floor := 0 // a backward scope starts after the previous statement
	for i := 0; i < len(text) && len(out) < maxYearsStatements; {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		j := letterRunEnd(text, i, len(text))
		if perYear, ok := unit(text[i:j]); ok {
			if s, ok := yearsStatementAt(text, i, j, perYear, floor); ok {
				out = append(out, s)
				floor = j
			}
		}
		i = j
	}
	// A forward scope ends where the next statement begins.
	for k := 0; k+1 < len(out); k++ {
		if s := &out[k]; s.scope.End > out[k+1].at.Start && s.scope.Start <= out[k+1].at.Start {
			s.scope.End = out[k+1].at.Start
			if !hasContent(text[s.scope.Start:s.scope.End]) {
				s.scope = Span{}
			}
		}
	}
	return out
}

// unit reports whether w names a unit of time and how many make a year.
func unit(w string) (perYear float64, ok bool) {
	for _, u := range [...]string{"years", "year", "yrs", "yr"} {
		if strings.EqualFold(w, u) {
			return 1, true
		}
	}
	if strings.EqualFold(w, "months") || strings.EqualFold(w, "month") {
		return 12, true
	}
	return 0, false
}

// yearsStatementAt reads the statement whose unit word is text[us:ue], if
// it is one: a number before it, and before or after it what the years are
// of.
func yearsStatementAt(text string, us, ue int, perYear float64, floor int) (yearsStatement, bool) {
	lo, hi := max(0, us-maxLookBytes), min(len(text), ue+maxLookBytes)
	tok, p := prevToken(text, us, lo)
	if tok == "-" { // "3-years"
		tok, p = prevToken(text, p, lo)
	}
	if tok == "+" || strings.EqualFold(tok, "plus") {
		tok, p = prevToken(text, p, lo)
	}
	years, ok := number(tok)
	if !ok {
		return yearsStatement{}, false
	}
	start := p
	if t, q := prevToken(text, p, lo); t == "." { // "1.5 years"
		if t2, q2 := prevToken(text, q, lo); isDigits(t2) {
			if v, err := strconv.ParseFloat(text[q2:p+len(tok)], 64); err == nil {
				years, start = v, q2
			}
		}
	}
	if t, q := prevToken(text, start, lo); t == "-" || t == "–" || strings.EqualFold(t, "to") { // "2-4 years"
		if t2, q2 := prevToken(text, q, lo); t2 != "" {
			if v, ok := number(t2); ok && v < years {
				years, start = v, q2
			}
		}
	}
	less := false
	p = start
	experience := false
back:
	for {
		t, q := prevToken(text, p, lo)
		switch w := strings.ToLower(t); {
		case w == "less" || w == "fewer" || w == "under":
			less = true
		case timeWords[w]:
			return yearsStatement{}, false // "for 35 years", "after one year"
		case prefixWords[w]:
		default:
			break back
		}
		p = q
	}
	if less {
		years -= 0.5
	}
	years /= perYear
	if years <= 0 && !less || years > maxYears {
		return yearsStatement{}, false
	}
	s := yearsStatement{years: max(0, years), at: Span{start, ue}}

	// After the unit: "of relevant experience in <scope>".
	q := ue
	var next string
	for {
		t, e := nextToken(text, q, hi)
		w := strings.ToLower(t)
		if strings.Contains(text[q:e-len(t)], "\n") {
			break // the clause ends with the line
		}
		if w == "" || !fillerWords[w] && w != "'" && w != "’" && w != "-" && w != "+" {
			next = w
			break
		}
		experience = experience || experienceWords[w]
		q = e
	}
	if notExperience[next] {
		return yearsStatement{}, false // "a four year degree", "20 years old"
	}
	var fwd Span
	if next != "" && isWordStart(next) {
		at := skipSpace(text, q)
		if end := clauseEnd(text, at, min(len(text), at+maxScopeBytes)); hasContent(text[at:end]) {
			fwd = Span{at, end}
		}
	}

	// Before the number: "Python (5 years)", "Python: 5 years",
	// "Python- Exprience - 31 months"; "Experience: 5 years" is general.
	t, q2 := prevToken(text, p, lo)
	end, preferred := -1, false
	switch t {
	case "(":
		end, preferred = q2, true
	case ":":
		end = q2
		for {
			w, q3 := prevToken(text, end, lo)
			lw := strings.ToLower(w)
			if !fillerWords[lw] && !unitWord(lw) {
				break
			}
			experience = experience || experienceWords[lw]
			end = q3
		}
		if experience {
			end = -1
		}
	case "-", "–", "—":
		if w, q3 := prevToken(text, q2, lo); experienceWords[strings.ToLower(w)] {
			experience, end, preferred = true, q3, true
			if d, q4 := prevToken(text, q3, lo); d == "-" || d == "–" || d == ":" {
				end = q4
			}
		} else {
			end = q2
		}
	}
	var bwd Span
	if end > floor {
		if start := clauseStart(text, max(floor, end-maxScopeBytes), end); hasContent(text[start:end]) {
			bwd = Span{start, end}
		}
	}
	switch {
	case bwd != (Span{}) && (preferred || fwd == (Span{})):
		s.scope = bwd
	case fwd != (Span{}):
		s.scope = fwd
	case !experience:
		return yearsStatement{}, false
	}
	return s, true
}

// The words around a statement of years, lower case.
var (
	// prefixWords may come before the number: "at least 3 years".
	prefixWords = setOf("at", "least", "minimum", "min", "of", "over", "more", "than", "about", "around", "approximately", "nearly", "almost", "solid", "with")
	// timeWords before the number make it a time, not experience.
	timeWords = setOf("for", "after", "past", "last", "next", "within", "every", "per", "each", "since", "ago", "in", "by")
	// experienceWords make a statement about experience.
	experienceWords = setOf("experience", "experiences", "experienced", "exp", "exprience", "expérience")
	// fillerWords may follow the unit before what the years are of.
	fillerWords = setOf("s", "of", "plus", "experience", "experiences", "experienced", "exp", "exprience", "relevant", "professional",
		"work", "working", "related", "directly", "industry", "total", "overall", "proven", "practical", "solid", "hands", "on",
		"demonstrated", "progressive", "real", "world", "full", "time", "required", "preferred", "minimum", "or", "more", "months", "month")
	// notExperience after the unit makes the number something else.
	notExperience = setOf("old", "degree", "university", "college", "program", "programme", "ago", "warranty", "contract", "anniversary")
)

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// numberWords are the numbers of years written out.
var numberWords = map[string]float64{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}

// number returns the value of a token of at most two digits or a number
// word.
func number(tok string) (float64, bool) {
	if isDigits(tok) && len(tok) <= 2 {
		v, err := strconv.Atoi(tok)
		return float64(v), err == nil
	}
	v, ok := numberWords[strings.ToLower(tok)]
	return v, ok
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isWordStart reports whether a token (lower case) is a word or a number.
func isWordStart(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// prevToken returns the token that ends before i, not reaching before lo,
// with its start: a run of letters, a run of digits, or one other
// character; "" at lo.
func prevToken(text string, i, lo int) (string, int) {
	for i > lo {
		r, n := utf8.DecodeLastRuneInString(text[:i])
		if !unicode.IsSpace(r) {
			break
		}
		i -= n
	}
	if i <= lo {
		return "", lo
	}
	r, n := utf8.DecodeLastRuneInString(text[:i])
	j := i - n
	same := func(c rune) bool {
		return unicode.IsLetter(c) == unicode.IsLetter(r) && unicode.IsDigit(c) == unicode.IsDigit(r)
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		for j > lo {
			c, m := utf8.DecodeLastRuneInString(text[:j])
			if !same(c) {
				break
			}
			j -= m
		}
	}
	return text[j:i], j
}

// nextToken returns the token that starts at or after i, not reaching past
// hi, with its end; "" at hi.
func nextToken(text string, i, hi int) (string, int) {
	i = skipSpace(text, i)
	if i >= hi {
		return "", hi
	}
	r, n := utf8.DecodeRuneInString(text[i:])
	if unicode.IsLetter(r) {
		j := letterRunEnd(text, i, hi)
		return text[i:j], j
	}
	j := i + n
	if unicode.IsDigit(r) {
		for j < hi && text[j] >= '0' && text[j] <= '9' {
			j++
		}
	}
	return text[i:j], j
}

func letterRunEnd(text string, i, hi int) int {
	for i < hi {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += n
	}
	return i
}

func skipSpace(text string, i int) int {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

// clauseEnd returns where the clause that starts at i ends, at most hi: a
// line break, ';', a bullet, or a '.' that ends a sentence.
func clauseEnd(text string, i, hi int) int {
	for j, r := range text[i:hi] {
		switch j += i; r {
		case '\n', ';', '•', '·', '●', '|', '*':
			return j
		case '.':
			if j+1 >= len(text) || text[j+1] == ' ' {
				return j
			}
		}
	}
	return hi
}

// clauseStart returns where the clause that ends at end begins, not before
// lo: after a line break, ';', ',', ':', '(', a bullet or a sentence's '.'.
func clauseStart(text string, lo, end int) int {
	for j := end; j > lo; {
		r, n := utf8.DecodeLastRuneInString(text[:j])
		switch r {
		case '\n', ';', ',', ':', '(', ')', '•', '·', '●', '|', '*':
			return j
		case '.':
			if j < len(text) && text[j] == ' ' {
				return j
			}
		}
		j -= n
	}
	return lo
}

// hasContent reports whether s has a word that is not filler.
func hasContent(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		j := letterRunEnd(s, i, len(s))
		if w := strings.ToLower(s[i:j]); !fillerWords[w] && !prefixWords[w] && !smallWords[w] && !unitWord(w) {
			return true
		}
		i = j
	}
	return false
}

func unitWord(w string) bool { _, ok := unit(w); return ok }

// yearsFor returns the most years that a statement with a scope attaches to
// one of spans.
func yearsFor(stmts []yearsStatement, spans []Span) (float64, bool) {
	best, found := 0.0, false
	for _, s := range stmts {
		if s.scope == (Span{}) {
			continue
		}
		for _, sp := range spans {
			if s.scope.Start <= sp.Start && sp.End <= s.scope.End && (!found || s.years > best) {
				best, found = s.years, true
			}
		}
	}
	return best, found
}

// generalYears returns the most years of the statements without a scope
// ("8 years of experience").
func generalYears(stmts []yearsStatement) (float64, bool) {
	best, found := 0.0, false
	for _, s := range stmts {
		if s.scope == (Span{}) && (!found || s.years > best) {
			best, found = s.years, true
		}
	}
	return best, found
}

// resumeYears returns the years a resume states for a keyword found at
// spans: those of a statement about it, or else the resume's general
// statement, which bounds every skill's; nil when it states none.
func resumeYears(stmts []yearsStatement, spans []Span) *float64 {
	y, ok := yearsFor(stmts, spans)
	if !ok {
		y, ok = generalYears(stmts)
	}
	if !ok {
		return nil
	}
	return &y
}

// yearsFactor is what a matched keyword's contribution is multiplied by
// when the posting asks required years and the resume states stated (nil:
// none).
func (c Config) yearsFactor(required float64, stated *float64) float64 {
	if stated == nil || required <= 0 || *stated >= required {
		return 1
	}
	return 1 - c.YearsShortfall*(1-*stated/required)
}
