package document

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
)

// Errors callers act on. Every error Extract returns wraps one of them.
var (
	// ErrEmpty: the document holds no bytes, or no text at all.
	ErrEmpty = errors.New("document: empty")
	// ErrUnsupportedFormat: the bytes are not a format this package reads
	// (an image, a legacy .doc, a spreadsheet, a binary file).
	ErrUnsupportedFormat = errors.New("document: unsupported format")
	// ErrTooLarge: the document crosses one of the Limits; the message
	// names which.
	ErrTooLarge = errors.New("document: too large")
	// ErrCorrupt: the document is damaged or not what it claims to be.
	ErrCorrupt = errors.New("document: corrupt")
	// ErrEncrypted: the document needs a password, or uses an encryption
	// this package does not implement.
	ErrEncrypted = errors.New("document: encrypted")
	// ErrNoTextLayer: a PDF whose pages draw no text, only images: most
	// often a scan, which needs OCR first.
	ErrNoTextLayer = errors.New("document: the PDF has no text layer (scanned?)")
	// ErrNoUnicode: a PDF that draws text in fonts without a Unicode map
	// (no ToUnicode, no standard encoding), so its glyphs cannot be read
	// as letters.
	ErrNoUnicode = errors.New("document: the PDF's fonts have no Unicode map (no ToUnicode), so its text cannot be read")
)

// Format is a document format, detected from content.
type Format int

// The formats Extract reads.
const (
	Unknown Format = iota
	PlainText
	Markdown
	HTML
	PDF
	DOCX
	ODT
)

var formatNames = [...]string{"unknown", "text", "markdown", "html", "pdf", "docx", "odt"}

func (f Format) String() string {
	if f < 0 || int(f) >= len(formatNames) {
		return fmt.Sprintf("Format(%d)", int(f))
	}
	return formatNames[f]
}

// Limits bound the work and memory of one extraction. A zero field takes
// its default (DefaultLimits); a negative one is an error.
type Limits struct {
	// MaxBytes bounds the document itself (default 32 MiB).
	MaxBytes int64
	// MaxPages bounds the pages of a PDF that are read (default 100).
	// A longer PDF gives ErrTooLarge: a resume or job posting is a few
	// pages, so a long one is a mistake or an attack.
	MaxPages int
	// MaxDecompressed bounds the bytes inflated from PDF streams and from
	// the entries of a DOCX or ODT archive, together (default 256 MiB).
	MaxDecompressed int64
	// MaxXMLDepth bounds the nesting of HTML and XML elements (default 256).
	MaxXMLDepth int
	// MaxChars bounds the characters drawn by a PDF or held in the text
	// of any document before clean-up (default 1 Mi: some 300 dense
	// pages). A PDF's glyphs take about 100 bytes each while its pages
	// are laid out, so this also bounds that memory.
	MaxChars int
}

// DefaultLimits returns the limits that zero fields take.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:        32 << 20,
		MaxPages:        100,
		MaxDecompressed: 256 << 20,
		MaxXMLDepth:     256,
		MaxChars:        1 << 20,
	}
}

func (l Limits) withDefaults() (Limits, error) {
	d := DefaultLimits()
	if l.MaxBytes < 0 || l.MaxPages < 0 || l.MaxDecompressed < 0 || l.MaxXMLDepth < 0 || l.MaxChars < 0 {
		return l, fmt.Errorf("document: negative limit in %+v", l)
	}
	if l.MaxBytes == 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxPages == 0 {
		l.MaxPages = d.MaxPages
	}
	if l.MaxDecompressed == 0 {
		l.MaxDecompressed = d.MaxDecompressed
	}
	if l.MaxXMLDepth == 0 {
		l.MaxXMLDepth = d.MaxXMLDepth
	}
	if l.MaxChars == 0 {
		l.MaxChars = d.MaxChars
	}
	return l, nil
}

// Doc is the text of a document.
type Doc struct {
	Format Format
	// Text is the document's text: paragraphs (and headings, list items,
	// table rows) separated by a blank line, the lines of a paragraph by
	// a newline; white space normalised, ligatures expanded, soft hyphens
	// and bullet glyphs removed.
	Text string
	// Pages is the number of pages of a PDF, 0 for other formats.
	Pages int
}

// Paragraphs returns the paragraphs of the text.
func (d *Doc) Paragraphs() []string {
	if d.Text == "" {
		return nil
	}
	return splitParagraphs(d.Text)
}

// Extract detects the format of data from its content and returns its text.
// It never panics; it stops with the context's error when ctx is done.
func Extract(ctx context.Context, data []byte, lim Limits) (*Doc, error) {
	lim, err := lim.withDefaults()
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d (Limits.MaxBytes)", ErrTooLarge, len(data), lim.MaxBytes)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%w: no bytes", ErrEmpty)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := Detect(data)
	if err != nil {
		return nil, err
	}
	var doc *Doc
	switch f {
	case PDF:
		doc, err = readPDF(ctx, data, lim)
	case DOCX:
		doc, err = readDOCX(ctx, data, lim)
	case ODT:
		doc, err = readODT(ctx, data, lim)
	case HTML:
		doc, err = readHTML(ctx, data, lim)
	case Markdown:
		doc, err = readMarkdown(ctx, data, lim)
	default:
		doc, err = readPlain(ctx, data, lim)
	}
	if err != nil {
		return nil, err
	}
	doc.Format = f
	if doc.Text == "" {
		return nil, fmt.Errorf("%w: a %v document without text", ErrEmpty, f)
	}
	return doc, nil
}

// Read reads at most lim.MaxBytes from r and extracts its text (Extract).
func Read(ctx context.Context, r io.Reader, lim Limits) (*Doc, error) {
	l, err := lim.withDefaults()
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, l.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("document: read: %w", err)
	}
	if int64(len(data)) > l.MaxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes (Limits.MaxBytes)", ErrTooLarge, l.MaxBytes)
	}
	return Extract(ctx, data, lim)
}
