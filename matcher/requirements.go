package matcher

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A posting often says which of its requirements are optional: under a
// heading ("Preferred Qualifications", "Nice to have", "Bonus points") or in
// the sentence itself ("Spark is a plus", "Agile experience preferred").
// A job keyword found only in such parts weighs less (Config.OptionalDiscount).

// optionalWords mark an optional heading or sentence.
var optionalWords = regexp.MustCompile(`(?i)\b(preferred|nice[- ]to[- ]haves?|a plus|pluses|bonus(?: points)?|desired|desirable|optional)\b`)

// sectionWords name the other sections of a posting: inside an optional
// section, a short title-case line ("Kubernetes") is an item, and only a
// heading that ends in ':' or names a section ends it.
var sectionWords = regexp.MustCompile(`(?i)\b(requirements?|required|responsibilities|qualifications|benefits|offer|perks|about|who you are|what you|skills|experience|education|compensation|salary|location|role|duties|apply)\b`)

// maxHeadingBytes and maxHeadingWords bound what counts as a heading: a
// short line that does not end a sentence.
const (
	maxHeadingBytes = 60
	maxHeadingWords = 7
)

// isHeading reports whether line is a heading: short, without a comma or a
// final period, and either ending in ':' or in title case ("Nice to Haves",
// "PREFERRED QUALIFICATIONS"), so that "Agile experience preferred" is a
// sentence.
func isHeading(line string) bool {
	line = strings.Trim(strings.TrimSpace(line), "*#-•")
	ws := strings.Fields(line)
	if line == "" || len(line) > maxHeadingBytes || len(ws) > maxHeadingWords || strings.ContainsAny(line, ",.") {
		return false
	}
	if strings.HasSuffix(line, ":") {
		return true
	}
	for _, w := range ws {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLower(r) && !smallWords[w] {
			return false
		}
	}
	return true
}

var smallWords = map[string]bool{"a": true, "an": true, "and": true, "for": true, "of": true, "or": true, "the": true, "to": true, "we": true, "you": true}

// optionalParts returns the parts of a job text that state optional
// requirements: the lines under an optional heading, up to the next
// heading, and the sentences with an optional word.
func optionalParts(text string) []Span {
	var out []Span
	inSection := false
	start := 0
	for start < len(text) {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := text[start:end]
		switch {
		case isHeading(line) && (!inSection || strings.HasSuffix(strings.TrimSpace(line), ":") || sectionWords.MatchString(line)):
			inSection = optionalWords.MatchString(line)
		case inSection:
			out = append(out, Span{start, end})
		default:
			out = append(out, optionalSentences(line, start)...)
		}
		start = end + 1
	}
	return out
}

// optionalSentences returns the sentences of line (at offset at) that have
// an optional word.
func optionalSentences(line string, at int) []Span {
	var out []Span
	for s := 0; s < len(line); {
		e := strings.IndexAny(line[s:], ".;")
		if e < 0 {
			e = len(line)
		} else {
			e += s + 1
		}
		if optionalWords.MatchString(line[s:e]) {
			out = append(out, Span{at + s, at + e})
		}
		s = e
	}
	return out
}

// optional reports whether every span lies in one of parts; a keyword
// without spans is not optional.
func optional(spans, parts []Span) bool {
	if len(spans) == 0 {
		return false
	}
next:
	for _, s := range spans {
		for _, p := range parts {
			if p.Start <= s.Start && s.End <= p.End {
				continue next
			}
		}
		return false
	}
	return true
}
