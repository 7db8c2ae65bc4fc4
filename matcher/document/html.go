package document

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlBlocks are the elements that start and end a paragraph.
var htmlBlocks = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true, atom.Dd: true,
	atom.Details: true, atom.Dialog: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.Form: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Li: true, atom.Main: true, atom.Nav: true,
	atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true, atom.Table: true, atom.Ul: true,
	atom.Tr: true, atom.Caption: true, atom.Summary: true, atom.Body: true,
}

// htmlSkipped are the elements whose content is not text of the page.
var htmlSkipped = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true, atom.Select: true, atom.Button: true,
}

// htmlVoid are the elements that have no end tag.
var htmlVoid = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true, atom.Hr: true,
	atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true, atom.Source: true,
	atom.Track: true, atom.Wbr: true,
}

// readHTML reads the text of an HTML page with the tokenizer of
// golang.org/x/net/html, as a browser lays it out in blocks: block
// elements, list items and table rows are paragraphs, <br> breaks a line,
// table cells are separated, and the head, scripts and styles are skipped.
// The encoding is the one decodeText finds (UTF-8, UTF-16 or Windows-1252).
func readHTML(ctx context.Context, data []byte, lim Limits) (*Doc, error) {
	s, err := decodeDoc(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	z := html.NewTokenizer(strings.NewReader(s))
	z.SetMaxBuf(1 << 20)
	var out paragraphs
	var inline strings.Builder
	var open []atom.Atom
	skip, pre := 0, 0
	var lists []int // per open list: the next number of an <ol>, -1 for a <ul>
	flushLine := func() {
		if pre > 0 {
			for _, l := range strings.Split(inline.String(), "\n") {
				out.line(l)
			}
		} else {
			out.line(inline.String())
		}
		inline.Reset()
	}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				if err == html.ErrBufferExceeded {
					return nil, fmt.Errorf("%w: an HTML token longer than 1 MiB", ErrTooLarge)
				}
				return nil, fmt.Errorf("%w: HTML: %v", ErrCorrupt, err)
			}
			flushLine()
			return &Doc{Text: out.String()}, nil
		case html.TextToken:
			if skip == 0 {
				inline.Write(z.Text())
				if inline.Len()+out.Len() > lim.MaxChars {
					return nil, fmt.Errorf("%w: more than %d characters of text (Limits.MaxChars)", ErrTooLarge, lim.MaxChars)
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if htmlVoid[a] || tt == html.SelfClosingTagToken {
				switch {
				case skip > 0:
				case a == atom.Br:
					flushLine()
				case a == atom.Hr:
					flushLine()
					out.paragraph()
				case a == atom.Img:
					inline.WriteByte(' ')
				}
				continue
			}
			if len(open) >= lim.MaxXMLDepth {
				return nil, fmt.Errorf("%w: HTML nested deeper than %d elements (Limits.MaxXMLDepth)", ErrTooLarge, lim.MaxXMLDepth)
			}
			open = append(open, a)
			htmlBoundary(a, &inline, flushLine, &out, &skip, &pre, true)
			switch {
			case a == atom.Ol:
				lists = append(lists, olStart(z))
			case a == atom.Ul || a == atom.Menu:
				lists = append(lists, -1)
			case a == atom.Li && skip == 0 && len(lists) > 0 && lists[len(lists)-1] >= 0:
				// A browser shows the numbers of an ordered list.
				fmt.Fprintf(&inline, "%d. ", lists[len(lists)-1])
				lists[len(lists)-1]++
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			// Close up to the matching element; a stray end tag closes nothing.
			for i := len(open) - 1; i >= 0; i-- {
				if open[i] == a {
					for j := len(open) - 1; j >= i; j-- {
						htmlBoundary(open[j], &inline, flushLine, &out, &skip, &pre, false)
						if (open[j] == atom.Ol || open[j] == atom.Ul || open[j] == atom.Menu) && len(lists) > 0 {
							lists = lists[:len(lists)-1]
						}
					}
					open = open[:i]
					break
				}
			}
		}
	}
}

// olStart is the first number of an <ol> whose start tag z just read.
func olStart(z *html.Tokenizer) int {
	for {
		k, v, more := z.TagAttr()
		if string(k) == "start" {
			if n, err := strconv.Atoi(strings.TrimSpace(string(v))); err == nil && n >= 0 && n < 1<<30 {
				return n
			}
		}
		if !more {
			return 1
		}
	}
}

// htmlBoundary handles the start or the end of element a.
func htmlBoundary(a atom.Atom, inline *strings.Builder, flushLine func(), out *paragraphs, skip, pre *int, start bool) {
	d := 1
	if !start {
		d = -1
	}
	switch {
	case htmlSkipped[a]:
		*skip += d
		return
	case *skip > 0:
		return
	case a == atom.Pre:
		flushLine()
		out.paragraph()
		*pre += d
	case a == atom.Td || a == atom.Th:
		if start {
			flushLine()
		}
	case htmlBlocks[a]:
		flushLine()
		out.paragraph()
	}
}
