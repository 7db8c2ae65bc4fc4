package document

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
)

// archive reads the entries of a DOCX or ODT package within the limits:
// the bytes inflated from all entries together are counted as they are
// read (the sizes the archive declares are only checked first, never
// trusted), and XML is read by a streaming decoder that refuses DTDs, so
// entity expansion (billion laughs) cannot happen.
type archive struct {
	zr   *zip.Reader
	lim  Limits
	left int64 // bytes that may still be inflated
	ctx  context.Context
}

func openArchive(ctx context.Context, data []byte, lim Limits) (*archive, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: zip: %v", ErrCorrupt, err)
	}
	return &archive{zr: zr, lim: lim, left: lim.MaxDecompressed, ctx: ctx}, nil
}

func (a *archive) file(name string) *zip.File {
	for _, f := range a.zr.File {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// errLimit is raised inside a countingReader and reported as ErrTooLarge.
var errLimit = errors.New("decompression limit")

type countingReader struct {
	r io.Reader
	a *archive
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.a.ctx.Err(); err != nil {
		return 0, err
	}
	if int64(len(p)) > c.a.left+1 {
		p = p[:c.a.left+1]
	}
	n, err := c.r.Read(p)
	c.a.left -= int64(n)
	if c.a.left < 0 {
		return n, errLimit
	}
	return n, err
}

// xmlVisitor receives the elements and text of an XML part.
type xmlVisitor interface {
	start(e xml.StartElement)
	end(e xml.EndElement)
	text(b []byte)
}

// walkXML streams one XML entry of the archive through v.
func (a *archive) walkXML(f *zip.File, v xmlVisitor) error {
	if int64(f.UncompressedSize64) > a.left || f.UncompressedSize64 > 1<<62 {
		return a.tooLarge(f.Name)
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: zip entry %s: %v", ErrCorrupt, f.Name, err)
	}
	defer rc.Close()
	d := xml.NewDecoder(&countingReader{r: rc, a: a})
	d.Strict = true
	depth, chars := 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if depth != 0 {
				return fmt.Errorf("%w: %s: unexpected end of XML", ErrCorrupt, f.Name)
			}
			return nil
		}
		if err != nil {
			switch {
			case errors.Is(err, errLimit):
				return a.tooLarge(f.Name)
			case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum):
				return fmt.Errorf("%w: %s inflates to other bytes than the archive declares: %v", ErrCorrupt, f.Name, err)
			case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
				return err
			}
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, f.Name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > a.lim.MaxXMLDepth {
				return fmt.Errorf("%w: %s: XML nested deeper than %d elements (Limits.MaxXMLDepth)", ErrTooLarge, f.Name, a.lim.MaxXMLDepth)
			}
			v.start(t)
		case xml.EndElement:
			depth--
			v.end(t)
		case xml.CharData:
			if chars += len(t); chars > a.lim.MaxChars {
				return fmt.Errorf("%w: %s: more than %d characters of text (Limits.MaxChars)", ErrTooLarge, f.Name, a.lim.MaxChars)
			}
			v.text(t)
		case xml.Directive:
			// Office formats have no DTD; one here is an attack on the parser.
			return fmt.Errorf("%w: %s: XML with a DTD or entity declarations", ErrCorrupt, f.Name)
		}
	}
}

func (a *archive) tooLarge(name string) error {
	return fmt.Errorf("%w: %s decompresses past %d bytes (Limits.MaxDecompressed)", ErrTooLarge, name, a.lim.MaxDecompressed)
}

// wordText collects the text of WordprocessingML (DOCX) parts: a paragraph
// (w:p) is a paragraph, numbered with the list it belongs to, tabs and
// breaks are spaces and line breaks, deleted text, field instructions and
// the fallback copies of drawings are skipped.
type wordText struct {
	out   *paragraphs
	line  strings.Builder
	skip  int
	inT   bool
	table int // nesting of tables: cells are lines of the row
	lists *numbering
	numID string // the list of the paragraph being read, from w:numPr
	ilvl  int
}

func (w *wordText) flush() {
	w.out.line(w.line.String())
	w.line.Reset()
}

func (w *wordText) start(e xml.StartElement) {
	if w.skip > 0 {
		if skippedWord(e.Name) {
			w.skip++
		}
		return
	}
	switch {
	case skippedWord(e.Name):
		w.skip++
	case e.Name.Local == "t":
		w.inT = true
	case e.Name.Local == "tab" || e.Name.Local == "ptab":
		w.line.WriteByte('\t')
	case e.Name.Local == "br" || e.Name.Local == "cr":
		w.flush()
	case e.Name.Local == "noBreakHyphen":
		w.line.WriteByte('-')
	case e.Name.Local == "p":
		w.flush()
		if w.table == 0 {
			w.out.paragraph()
		}
	case e.Name.Local == "tbl":
		w.flush()
		w.out.paragraph()
		w.table++
	case e.Name.Local == "tr":
		w.out.paragraph()
	case e.Name.Local == "numId":
		w.numID = attr(e, "val")
	case e.Name.Local == "ilvl":
		w.ilvl, _ = strconv.Atoi(attr(e, "val"))
	}
}

// skippedWord names elements whose content is not the document's text:
// deleted runs, field instructions, and the VML fallback that repeats a
// drawing's text box.
func skippedWord(n xml.Name) bool {
	switch n.Local {
	case "del", "delText", "instrText", "Fallback", "moveFrom":
		return true
	}
	return false
}

func (w *wordText) end(e xml.EndElement) {
	if w.skip > 0 {
		if skippedWord(e.Name) {
			w.skip--
		}
		return
	}
	switch e.Name.Local {
	case "t":
		w.inT = false
	case "pPr":
		if w.numID != "" && w.lists != nil {
			w.line.WriteString(w.lists.label(w.numID, w.ilvl))
		}
		w.numID, w.ilvl = "", 0
	case "p":
		w.flush()
		if w.table == 0 {
			w.out.paragraph()
		}
	case "tbl":
		w.table--
		w.out.paragraph()
	case "tr":
		w.out.paragraph()
	}
}

func (w *wordText) text(b []byte) {
	if w.inT && w.skip == 0 {
		w.line.Write(b)
	}
}

func readDOCX(ctx context.Context, data []byte, lim Limits) (*Doc, error) {
	a, err := openArchive(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	main := a.file("word/document.xml")
	if main == nil {
		return nil, fmt.Errorf("%w: DOCX without word/document.xml", ErrCorrupt)
	}
	// Headers first (a resume's name and contact often live there), then
	// the body, then footers.
	var headers, footers []*zip.File
	for _, f := range a.zr.File {
		dir, base := path.Split(f.Name)
		if dir != "word/" || !strings.HasSuffix(base, ".xml") {
			continue
		}
		switch {
		case strings.HasPrefix(base, "header"):
			headers = append(headers, f)
		case strings.HasPrefix(base, "footer"):
			footers = append(footers, f)
		}
	}
	byName := func(fs []*zip.File) {
		sort.Slice(fs, func(i, j int) bool { return fs[i].Name < fs[j].Name })
	}
	byName(headers)
	byName(footers)
	lists := &numbering{abstract: make(map[string]*[9]numLevel), nums: make(map[string]string), counts: make(map[string]*[9]int)}
	if f := a.file("word/numbering.xml"); f != nil {
		if err := a.walkXML(f, lists); err != nil {
			return nil, err
		}
	}
	read := func(f *zip.File) ([]string, error) {
		var part paragraphs
		w := &wordText{out: &part, lists: lists}
		if err := a.walkXML(f, w); err != nil {
			return nil, err
		}
		w.flush()
		if part.Len() == 0 {
			return nil, nil
		}
		return splitParagraphs(part.String()), nil
	}
	body, err := read(main)
	if err != nil {
		return nil, err
	}
	// A header or footer paragraph that the body also has (the name, once
	// more) is left out, and so is one that an earlier part had.
	seen := make(map[string]bool)
	for _, p := range body {
		seen[p] = true
	}
	var out paragraphs
	add := func(ps []string) {
		for _, p := range ps {
			out.addText(p)
		}
	}
	for _, parts := range [][]*zip.File{headers, {main}, footers} {
		for _, f := range parts {
			if f == main {
				add(body)
				continue
			}
			ps, err := read(f)
			if err != nil {
				return nil, err
			}
			var kept []string
			for _, p := range ps {
				if !seen[p] {
					seen[p] = true
					kept = append(kept, p)
				}
			}
			add(kept)
		}
	}
	return &Doc{Text: out.String()}, nil
}

// odfText collects the text of an OpenDocument text (content.xml):
// paragraphs and headings (text:p, text:h) are paragraphs, text:s is
// spaces, text:tab a tab, text:line-break a line break; annotations and
// note citations are skipped.
type odfText struct {
	out  *paragraphs
	line strings.Builder
	skip int
	para int // nesting of text:p and text:h
}

func (o *odfText) flush() {
	o.out.line(o.line.String())
	o.line.Reset()
}

func skippedODF(n xml.Name) bool {
	switch n.Local {
	case "annotation", "note-citation", "tracked-changes", "bookmark-ref":
		return true
	}
	return false
}

func (o *odfText) start(e xml.StartElement) {
	if o.skip > 0 || skippedODF(e.Name) {
		if skippedODF(e.Name) {
			o.skip++
		}
		return
	}
	switch e.Name.Local {
	case "p", "h":
		if o.para == 0 {
			o.flush()
			o.out.paragraph()
		} else {
			o.line.WriteByte(' ')
		}
		o.para++
	case "s":
		o.line.WriteByte(' ')
	case "tab":
		o.line.WriteByte('\t')
	case "line-break":
		o.flush()
	case "table-row":
		o.flush()
		o.out.paragraph()
	}
}

func (o *odfText) end(e xml.EndElement) {
	if o.skip > 0 {
		if skippedODF(e.Name) {
			o.skip--
		}
		return
	}
	switch e.Name.Local {
	case "p", "h":
		o.para--
		if o.para == 0 {
			o.flush()
			o.out.paragraph()
		}
	case "table-row":
		o.out.paragraph()
	}
}

func (o *odfText) text(b []byte) {
	if o.skip == 0 && o.para > 0 {
		o.line.Write(b)
	}
}

func readODT(ctx context.Context, data []byte, lim Limits) (*Doc, error) {
	a, err := openArchive(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	f := a.file("content.xml")
	if f == nil {
		return nil, fmt.Errorf("%w: ODT without content.xml", ErrCorrupt)
	}
	var out paragraphs
	o := &odfText{out: &out}
	if err := a.walkXML(f, o); err != nil {
		return nil, err
	}
	o.flush()
	return &Doc{Text: out.String()}, nil
}
