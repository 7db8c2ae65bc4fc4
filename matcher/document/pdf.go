package document

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jobmatch/jobmatch/matcher/document/internal/pdf"
)

func readPDF(ctx context.Context, data []byte, lim Limits) (doc *Doc, err error) {
	budget := &pdf.Budget{Ctx: ctx, Decompressed: lim.MaxDecompressed, Objects: int64(lim.MaxChars)}
	defer func() {
		if err == nil {
			return
		}
		switch {
		case errors.Is(err, pdf.ErrDecompressed):
			err = fmt.Errorf("%w: PDF streams decompress to more than %d bytes (Limits.MaxDecompressed)", ErrTooLarge, lim.MaxDecompressed)
		case errors.Is(err, pdf.ErrChars):
			err = fmt.Errorf("%w: more than %d characters drawn (Limits.MaxChars)", ErrTooLarge, lim.MaxChars)
		case errors.Is(err, pdf.ErrObjects):
			err = fmt.Errorf("%w: PDF with more than %d object look-ups (Limits.MaxChars)", ErrTooLarge, lim.MaxChars)
		case errors.Is(err, pdf.ErrEncrypted):
			err = fmt.Errorf("%w: %v", ErrEncrypted, err)
		case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		case errors.Is(err, ErrTooLarge), errors.Is(err, ErrNoTextLayer), errors.Is(err, ErrNoUnicode):
		default:
			err = fmt.Errorf("%w: PDF: %v", ErrCorrupt, err)
		}
	}()
	defer pdf.Recover(&err)

	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)), budget)
	if err != nil {
		return nil, err
	}
	pages, n := r.Pages(lim.MaxPages)
	if n > lim.MaxPages {
		return nil, fmt.Errorf("%w: %d pages, limit %d (Limits.MaxPages)", ErrTooLarge, n, lim.MaxPages)
	}
	if n == 0 {
		return nil, errors.New("no pages")
	}
	var all []pageLines
	drawn, unmapped := 0, 0
	for i := range pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		chars := pages[i].Chars(lim.MaxChars - drawn)
		drawn += len(chars)
		if drawn > lim.MaxChars {
			return nil, fmt.Errorf("%w: more than %d characters drawn (Limits.MaxChars)", ErrTooLarge, lim.MaxChars)
		}
		for _, c := range chars {
			if c.Unmapped {
				unmapped++
			}
		}
		all = append(all, layoutPage(chars, pages[i].Box))
	}
	switch {
	case drawn == 0:
		return nil, fmt.Errorf("%w: no text on %d of %d pages", ErrNoTextLayer, n, n)
	case unmapped*2 > drawn:
		return nil, fmt.Errorf("%w: %d of %d glyphs unmapped", ErrNoUnicode, unmapped, drawn)
	}
	dropRunningLines(all)
	var paras []string
	for _, p := range all {
		paras = append(paras, writeLines(p.lines)...)
	}
	var out paragraphs
	for _, p := range strings.Split(dehyphenate(strings.Join(paras, "\n\n")), "\n\n") {
		for _, l := range strings.Split(p, "\n") {
			out.line(l)
		}
		out.paragraph()
	}
	return &Doc{Text: out.String(), Pages: n}, nil
}

// A line is text on one baseline, built from glyphs drawn one after
// another.
type line struct {
	text      strings.Builder
	x0, x1, y float64
	size      float64
	drop      bool
	lastX1    float64
	lastText  string
	chars     []placed // where each glyph went, to find text drawn twice
	space     *pdf.Char
}

type placed struct {
	x    float64
	text string
}

type pageLines struct {
	lines  []*line
	y0, y1 float64 // the page box, bottom and top
}

// layoutPage groups a page's glyphs, in the order the page draws them,
// into lines. Producers draw text in reading order (columns one after
// another, table cells row by row), so the drawing order is kept and only
// the geometry inside it is read: a glyph on the baseline of the line
// before it and to its right continues that line, with a space when the
// gap is wider than 0.15 em; anything else starts a line. Text drawn
// twice in place (fake bold) is kept once; rotated text is dropped.
func layoutPage(chars []pdf.Char, box [4]float64) pageLines {
	p := pageLines{y0: math.Min(box[1], box[3]), y1: math.Max(box[1], box[3])}
	var cur *line
	for _, c := range chars {
		if !c.Horizontal || c.Text == "" || c.Size <= 0 {
			continue
		}
		if cur != nil && math.Abs(c.Y-cur.y) < 0.5*math.Max(c.Size, cur.size) {
			gap := c.X0 - cur.lastX1
			if gap < -0.3*c.Size && cur.drawn(c) {
				continue // overprinted
			}
			if gap > -0.5*c.Size && gap < 20*c.Size {
				if gap > 0.15*math.Min(c.Size, cur.size) && !strings.HasSuffix(cur.lastText, " ") && c.Text != " " {
					cur.text.WriteByte(' ')
				}
				cur.add(c)
				continue
			}
		}
		cur = &line{x0: c.X0, y: c.Y, size: c.Size}
		p.lines = append(p.lines, cur)
		cur.add(c)
	}
	return p
}

// drawn reports whether the line already has c's text at c's place.
func (l *line) drawn(c pdf.Char) bool {
	for i := len(l.chars) - 1; i >= 0; i-- {
		if p := l.chars[i]; p.text == c.Text && math.Abs(p.x-c.X0) < 0.15*c.Size {
			return true
		}
	}
	return false
}

func (l *line) add(c pdf.Char) {
	if l.space != nil {
		// A space glyph that the next glyph draws over is no word break:
		// browsers draw soft hyphens so.
		if c.X0 > l.space.X0+0.5*(l.space.X1-l.space.X0) {
			l.text.WriteByte(' ')
		}
		l.space = nil
	}
	l.chars = append(l.chars, placed{c.X0, c.Text})
	if c.Text == " " {
		l.space = &c
		l.lastX1, l.lastText = c.X1, c.Text
		return
	}
	l.text.WriteString(c.Text)
	l.lastX1, l.lastText = c.X1, c.Text
	l.x1 = math.Max(l.x1, c.X1)
	l.x0 = math.Min(l.x0, c.X0)
	if c.Size > l.size && math.Abs(c.Y-l.y) < 0.1*c.Size { // superscripts do not count
		l.size = c.Size
	}
}

// hyphenJoin marks, in the paragraphs writeLines returns, a word
// hyphenated at the end of a line; dehyphenate resolves it.
const hyphenJoin = "\x00"

// writeLines returns a page's lines as paragraphs, lines separated by "\n".
// A paragraph ends where the next line is not just below (farther than 1.3
// times the page's usual line spacing, or a step back up to a new column),
// or where the font size changes, as it does around headings. A word
// hyphenated at the end of a line, when the next line goes on in the same
// case, is marked with hyphenJoin.
func writeLines(lines []*line) []string {
	leading := typicalLeading(lines)
	var prev *line
	var para strings.Builder
	var out []string
	flush := func() {
		if para.Len() > 0 {
			out = append(out, para.String())
		}
		para.Reset()
	}
	for _, l := range lines {
		if l.drop {
			continue
		}
		text := cleanLine(l.text.String())
		if text == "" {
			continue
		}
		if prev != nil {
			dy := prev.y - l.y
			size := math.Max(prev.size, l.size)
			limit := 1.45 * size
			if leading > 0 && math.Abs(prev.size-l.size) < 0.05*size {
				limit = math.Max(1.3*leading, 1.15*size)
			}
			newPara := dy <= 0.3*size || dy > limit || math.Abs(prev.size-l.size) > 0.12*size
			switch {
			case newPara:
				flush()
			case hyphenated(para.String(), text):
				para.WriteString(hyphenJoin)
			default:
				para.WriteByte('\n')
			}
		}
		para.WriteString(text)
		prev = l
	}
	flush()
	return out
}

var hyphenWords = regexp.MustCompile(`\pL+-\pL+`)
var joinedWord = regexp.MustCompile(`(\pL+)[-\x{2010}]` + hyphenJoin + `(\pL*)`)

// compoundPrefixes begin the hyphenated compounds of resumes (co-ordinate,
// self-motivated, cross-functional, end-to-end): a line that ends with one
// of them and a hyphen keeps the hyphen.
var compoundPrefixes = map[string]bool{
	"co": true, "cross": true, "end": true, "full": true, "high": true, "long": true, "multi": true,
	"non": true, "part": true, "real": true, "self": true, "semi": true, "well": true,
}

// dehyphenate resolves the hyphenJoin marks of a document's text: the
// hyphen stays where the document writes the same compound with a hyphen
// elsewhere (multi-task), where the first part is a common compound
// prefix, or where the producer marks its own breaks with U+2010 and this
// one is U+002D; it goes otherwise (manage-ment).
func dehyphenate(text string) string {
	if !strings.Contains(text, hyphenJoin) {
		return text
	}
	compounds := make(map[string]bool)
	for _, w := range hyphenWords.FindAllString(text, -1) {
		compounds[strings.ToLower(w)] = true
	}
	// A producer that draws its own breaks with U+2010 (Chromium) draws
	// U+002D only where the text has a hyphen.
	marksBreaks := strings.Contains(text, "\u2010"+hyphenJoin)
	return joinedWord.ReplaceAllStringFunc(text, func(m string) string {
		parts := joinedWord.FindStringSubmatch(m)
		real := marksBreaks && !strings.Contains(m, "\u2010")
		if real || compounds[strings.ToLower(parts[1]+"-"+parts[2])] || compoundPrefixes[strings.ToLower(parts[1])] {
			return parts[1] + "-" + parts[2]
		}
		return parts[1] + parts[2]
	})
}

// hyphenated reports whether text before a line break ends with a word
// broken by a hyphen that next continues: a letter, a hyphen, and the next
// line going on in the same case (lower, or capitals after capitals).
func hyphenated(before, next string) bool {
	r, n := utf8.DecodeLastRuneInString(before)
	if r != '-' && r != '\u2010' { // Chromium draws U+2010 where it breaks a word
		return false
	}
	b, _ := utf8.DecodeLastRuneInString(before[:len(before)-n])
	a, k := utf8.DecodeRuneInString(next)
	a2, _ := utf8.DecodeRuneInString(next[k:])
	switch {
	case unicode.IsLower(b):
		return unicode.IsLower(a)
	case unicode.IsUpper(b):
		return unicode.IsUpper(a) && (unicode.IsUpper(a2) || a2 == utf8.RuneError)
	}
	return false
}

var digits = regexp.MustCompile(`\d+`)
var pageNumber = regexp.MustCompile(`(?i)^[-–—\s]*(page\s*)?\d+(\s*(of|/)\s*\d+)?[-–—\s]*$`)

// dropRunningLines removes headers and footers: lines in the top or bottom
// eighth of the page that repeat, digits aside and in the same place, on
// at least half of the pages (two at least), and lone page numbers there.
func dropRunningLines(pages []pageLines) {
	// key is where a running line stands (its baseline to 4 points, which
	// headers and footers keep from page to page) and what it says.
	key := func(p pageLines, l *line) (string, bool) {
		h := p.y1 - p.y0
		if l.y <= p.y1-0.12*h && l.y >= p.y0+0.12*h {
			return "", false
		}
		t := digits.ReplaceAllString(strings.TrimSpace(l.text.String()), "#")
		return fmt.Sprintf("%d %s", int(math.Round(l.y/4)), t), true
	}
	count := make(map[string]int)
	for _, p := range pages {
		seen := make(map[string]bool)
		for _, l := range p.lines {
			if k, ok := key(p, l); ok && !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	for _, p := range pages {
		for _, l := range p.lines {
			if k, ok := key(p, l); ok && (count[k] >= 2 && count[k]*2 >= len(pages) || pageNumber.MatchString(strings.TrimSpace(l.text.String()))) {
				l.drop = true
			}
		}
	}
}

// typicalLeading is the most common distance between consecutive lines of
// a page, to the half point: the line spacing of its body text, which
// producers set between 1 and 2 times the font size.
func typicalLeading(lines []*line) float64 {
	count := make(map[int]int)
	best, bestN := 0, 0
	for i := 1; i < len(lines); i++ {
		a, b := lines[i-1], lines[i]
		dy := a.y - b.y
		if a.drop || b.drop || math.Abs(a.size-b.size) > 0.05*a.size || dy < 0.9*a.size || dy > 2.2*a.size {
			continue
		}
		k := int(math.Round(dy * 2))
		if count[k]++; count[k] > bestN || count[k] == bestN && k < best {
			best, bestN = k, count[k]
		}
	}
	if bestN < 2 {
		return 0
	}
	return float64(best) / 2
}
