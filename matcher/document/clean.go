package document

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// paragraphs assembles clean text: lines grouped into paragraphs, which are
// separated by one blank line.
type paragraphs struct {
	b       strings.Builder
	lines   int // lines in the current paragraph
	pending bool
}

// line adds a line to the current paragraph, cleaned; blank lines are
// dropped.
func (p *paragraphs) line(s string) { p.cleanLine(cleanLine(s)) }

// cleanLine adds a line cleaned already.
func (p *paragraphs) cleanLine(s string) {
	if s == "" {
		return
	}
	switch {
	case p.pending && p.b.Len() > 0:
		p.b.WriteString("\n\n")
	case p.lines > 0:
		p.b.WriteByte('\n')
	}
	p.pending = false
	p.b.WriteString(s)
	p.lines++
}

// paragraph ends the current paragraph.
func (p *paragraphs) paragraph() {
	if p.lines > 0 {
		p.pending = true
	}
	p.lines = 0
}

// addText adds plain text: a blank line ends a paragraph, a line holding
// only a bullet glyph or dashes as well.
func (p *paragraphs) addText(s string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	for _, l := range strings.Split(s, "\n") {
		c := cleanLine(l)
		if c == "" || strings.Trim(l, " \t-=_*") == "" {
			p.paragraph()
			continue
		}
		p.cleanLine(c)
	}
	p.paragraph()
}

func (p *paragraphs) String() string { return p.b.String() }

func (p *paragraphs) Len() int { return p.b.Len() }

func splitParagraphs(text string) []string {
	return strings.Split(text, "\n\n")
}

// ligatures are the Latin presentation forms, which PDF fonts map to one
// glyph and word processors sometimes keep.
var ligatures = map[rune]string{
	'ﬀ': "ff", 'ﬁ': "fi", 'ﬂ': "fl", 'ﬃ': "ffi", 'ﬄ': "ffl", 'ﬅ': "st", 'ﬆ': "st",
	'Ĳ': "IJ", 'ĳ': "ij",
}

// mayStartWithBullet reports whether typedBullet may match s: only when its
// first rune after spaces is one of the bullet characters (a quick test
// that spares most lines the regexp engine).
func mayStartWithBullet(s string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(s, "\t\n\f\r \u00a0"))
	return strings.ContainsRune("-–*+", r)
}

// ligature returns the letters of a ligature glyph, or "" for other runes.
func ligature(r rune) string {
	if r < 'Ĳ' { // the first of them: most text is spared the lookup
		return ""
	}
	return ligatures[r]
}

// isBullet reports the glyphs used to mark list items and to separate
// items on one line.
func isBullet(r rune) bool {
	switch r {
	case '•', '◦', '▪', '▫', '●', '○', '■', '□', '►', '▶', '▸', '▹', '➢', '➤', '➔', '→', '✓', '✔', '✗',
		'❖', '◆', '◇', '∙', '⁃', '‣', '⦁', '⦾', '⦿', '·', '\uf0b7', '\uf0a7', '\uf0d8':
		return true
	}
	return false
}

// typedBullet is a list marker typed as text at the start of a line: a
// hyphen, dash, asterisk or plus and a space.
var typedBullet = regexp.MustCompile(`^[\s\x{a0}]*[-–*+][\s\x{a0}]+`)

// cleanLine normalises one line: typed list markers dropped; ligatures expanded; soft hyphens,
// zero-width characters, private-use icon glyphs and control characters
// removed; every kind of space made one space; bullets dropped at the start
// of the line and turned into commas between items; runs of spaces
// collapsed and the ends trimmed.
func cleanLine(s string) string {
	if mayStartWithBullet(s) {
		s = typedBullet.ReplaceAllString(s, "")
	}
	if cleanASCII(s) {
		return s
	}
	return cleanRunes(s)
}

// cleanRunes is cleanLine after the typed list marker.
func cleanRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	const (
		none = iota
		space
		comma
	)
	sep := none // what goes before the next word character
	for _, r := range s {
		switch {
		case r == '\u00ad', r == '\u200b', r == '\u200c', r == '\u200d', r == '\u2060', r == '\ufeff', r == '\ufffd':
			continue
		case isBullet(r):
			if b.Len() > 0 {
				sep = comma
			}
			continue
		case r >= 0xE000 && r <= 0xF8FF, r >= 0xF0000: // icon fonts
			continue
		case unicode.IsSpace(r), unicode.IsControl(r), r == '\u2028', r == '\u2029':
			if b.Len() > 0 && sep == none {
				sep = space
			}
			continue
		}
		switch sep {
		case space:
			b.WriteByte(' ')
		case comma:
			b.WriteString(", ")
		}
		sep = none
		if l := ligature(r); l != "" {
			b.WriteString(l)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanASCII reports whether s is a line that cleanLine keeps as it is:
// printable ASCII, one space between words and none at the ends (the
// glyphs it drops or changes are all beyond ASCII).
func cleanASCII(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}
