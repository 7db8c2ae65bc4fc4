package document

import (
	"context"
	"regexp"
	"strings"
)

var (
	mdHeading   = regexp.MustCompile(`^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$`)
	mdRule      = regexp.MustCompile(`^\s{0,3}([-*_=]\s*){3,}$`)
	mdItem      = regexp.MustCompile(`^\s*([-*+]|\d{1,9}[.)])\s+(\[[ xX]\]\s+)?`)
	mdBullet    = regexp.MustCompile(`^\s*[-*+]\s+(\[[ xX]\]\s+)?`)
	mdQuote     = regexp.MustCompile(`^\s{0,3}(>\s?)+`)
	mdTableSep  = regexp.MustCompile(`^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$`)
	mdImage     = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink      = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]`)
	mdAutolink  = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	mdRefDef    = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s+\S+`)
	mdStrong    = regexp.MustCompile(`(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)`)
	mdEmph      = regexp.MustCompile(`(^|[^\w*])[*_](\S(?:[^*_]*?\S)?)[*_]($|[^\w*])`)
	mdCode      = regexp.MustCompile("`+([^`]*)`+")
	mdTag       = regexp.MustCompile(`</?[A-Za-z][^>]*>`)
	mdEscape    = regexp.MustCompile(`\\([\\` + "`" + `*_{}\[\]()#+\-.!|>])`)
	mdFenceOpen = regexp.MustCompile("^\\s{0,3}(```|~~~)")
)

// readMarkdown reads Markdown (CommonMark and GitHub tables) as the text it
// renders to: headings, list items, quotes and table rows become paragraphs
// and lines without their markers, emphasis and code marks are removed,
// links and images keep their text, fenced code keeps its lines, and the
// items of ordered lists their numbers.
func readMarkdown(ctx context.Context, data []byte, lim Limits) (*Doc, error) {
	s, err := decodeDoc(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	var out paragraphs
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	fence := ""
	for i, l := range lines {
		if fence != "" {
			if strings.HasPrefix(strings.TrimSpace(l), fence) {
				fence = ""
				out.paragraph()
				continue
			}
			out.line(l)
			continue
		}
		if m := mdFenceOpen.FindStringSubmatch(l); m != nil {
			fence = m[1]
			out.paragraph()
			continue
		}
		if strings.TrimSpace(l) == "" || mdRefDef.MatchString(l) {
			out.paragraph()
			continue
		}
		if mdRule.MatchString(l) {
			// A setext underline makes the line above a heading; either way a
			// paragraph ends.
			out.paragraph()
			continue
		}
		if i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" && mdRule.MatchString(lines[i+1]) && !mdItem.MatchString(l) {
			out.paragraph()
		}
		l = mdQuote.ReplaceAllString(l, "")
		switch {
		case mdHeading.MatchString(l):
			out.paragraph()
			out.line(mdInline(mdHeading.FindStringSubmatch(l)[2]))
			out.paragraph()
			continue
		case mdTableSep.MatchString(l) && strings.Contains(l, "-"):
			continue
		case strings.HasPrefix(strings.TrimSpace(l), "|"):
			out.paragraph()
			for _, cell := range strings.Split(strings.Trim(strings.TrimSpace(l), "|"), "|") {
				out.line(mdInline(cell))
			}
			out.paragraph()
			continue
		case mdItem.MatchString(l):
			// Bullets go; the numbers of ordered items are text the reader sees.
			out.paragraph()
			l = strings.TrimLeft(mdBullet.ReplaceAllString(l, ""), " ")
		}
		out.line(mdInline(l))
	}
	return &Doc{Text: out.String()}, nil
}

// mdInline removes the inline marks of one line.
func mdInline(s string) string {
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1$2")
	s = mdAutolink.ReplaceAllString(s, "$1")
	s = mdCode.ReplaceAllString(s, "$1")
	s = mdTag.ReplaceAllString(s, " ")
	for range 2 { // nested emphasis
		s = mdStrong.ReplaceAllString(s, "$2")
		s = mdEmph.ReplaceAllString(s, "$1$2$3")
	}
	s = mdEscape.ReplaceAllString(s, "$1")
	return strings.TrimRight(s, " \\")
}
