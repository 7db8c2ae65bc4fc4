// Package document turns the documents that resumes and job postings
// arrive as into clean text for the matcher: PDF, DOCX, ODT, HTML, Markdown
// and plain text in any common encoding, in pure Go.
//
// # What it does
//
// [Extract] tells the format from the bytes alone (magic bytes, the
// entries of a ZIP package, the start of a text), never from a file name,
// and returns a [Doc] whose Text is the document's words in reading order:
// paragraphs, headings, list items and table rows separated by a blank
// line, the lines of a paragraph by a newline. Everywhere, ligatures (ﬁ,
// ﬂ, ﬃ) are expanded, soft hyphens and zero-width characters removed,
// no-break and other spaces made plain spaces, bullet glyphs and typed list
// markers dropped at the start of a line (between items on one line they
// become commas), and icon-font glyphs removed.
//
//   - PDF: the page tree and content streams are read by internal/pdf, a
//     hardened copy of the rsc.io/pdf family's object reader with our own
//     text interpreter: simple and Type0 (CID) fonts, ToUnicode maps,
//     encodings and glyph names (the Adobe Glyph List), widths, text and
//     graphics matrices, TJ kerning, form XObjects; inline images skipped.
//     Glyphs are kept in drawing order, which is reading order for the
//     producers measured (LibreOffice, Chromium, pdfTeX, including two
//     columns), and grouped into lines by their baselines; a space goes
//     where the gap between glyphs exceeds 0.15 em, and a space glyph that
//     the next glyph draws over (Chromium's soft hyphens) is none. A
//     paragraph ends where the next line is farther than 1.3 times the
//     page's usual line spacing, steps back up (a new column), or changes
//     font size (headings). Words hyphenated at line ends are joined,
//     unless the document writes the compound with a hyphen elsewhere or it
//     starts with a common compound prefix (co-, self-, multi-, ...).
//     Chromium's own breaks (U+2010) are always joined, and in its files a
//     U+002D at a line end is the text's hyphen. Lines in the top or
//     bottom eighth of pages that repeat in the same place on at least
//     half of them (digits aside) are running headers and footers and go,
//     as do lone page numbers there. Text drawn twice in place (fake bold)
//     is kept once; rotated text is dropped. A file whose cross-reference
//     table is damaged is read from a table rebuilt from its objects, as
//     viewers do; one cut short (no %%EOF) is corrupt.
//   - DOCX: word/document.xml with headers before and footers after the
//     body (header text that repeats the body, the name again, is left
//     out); w:p paragraphs with the numbers of numbered lists
//     (word/numbering.xml), tabs, breaks, tables row by row; deleted text,
//     field instructions and the VML fallback copies of text boxes skipped.
//   - ODT: content.xml; text:p and text:h, text:s spaces, tabs, line
//     breaks, lists and tables; annotations skipped.
//   - HTML: golang.org/x/net/html's tokenizer, laid out in blocks as a
//     browser does (block elements, list items and table rows are
//     paragraphs, cells lines, <br> a line break, ordered lists keep their
//     numbers); head, scripts, styles and forms skipped.
//   - Markdown: the text it renders to: headings, items, quotes and table
//     rows without their marks, links and images by their text, fenced code
//     kept.
//   - Plain text: UTF-8 with or without BOM, UTF-16 with a BOM or told by
//     its zero bytes, and Windows-1252 (the printable superset of Latin-1)
//     when the bytes are not UTF-8 (golang.org/x/text decoders).
//
// # What it is faithful to
//
// The fidelity is measured on a corpus of 275 resume documents made by
// real producers (pandoc, LibreOffice, pdfTeX, Chromium, python-docx) from
// the evaluation resumes, against the source text: word-level F1 and the
// order of the words (1 − normalised edit distance), beside pdfminer.six,
// poppler's pdftotext, python-docx, docx2txt, html2text and pandoc on the
// same files. BENCHMARKS.md has the table and the command that reproduces
// it (scripts/bench/document_corpus.py, document_fidelity.py).
//
// # Limits
//
// Every extraction is bounded by [Limits], which the caller sees and sets:
// the document's bytes, the pages of a PDF, the bytes inflated from PDF
// streams and ZIP entries together (counted as they are read; sizes an
// archive or a PDF declares are checked first and never trusted), the
// nesting of XML and HTML elements, and the characters drawn or held;
// time by the context, which every reader checks as it goes. DTDs in
// Office XML are refused, so entity expansion ("billion laughs") cannot
// happen. Reference cycles, endless cross-reference chains, nested forms
// and page trees are cut at fixed depths. Malformed input never panics:
// the PDF reader raises its parse errors as panics inside and [Extract]
// turns them into [ErrCorrupt].
//
// The errors name the problem: [ErrEmpty], [ErrUnsupportedFormat] (images,
// legacy .doc, RTF, other archives), [ErrTooLarge] (naming the limit),
// [ErrCorrupt], [ErrEncrypted] (a PDF that needs a password, or uses
// AES-256, which is not implemented; files encrypted with an empty user
// password are read), [ErrNoTextLayer] (a scan) and [ErrNoUnicode] (fonts
// without a Unicode map).
//
// Not read: scanned pages (no OCR), text in images, right-to-left and
// vertical scripts' reading order, text boxes placed out of drawing order
// in PDFs (rare in resumes, common in posters), legacy .doc and .rtf.
//
// # The PDF engine
//
// Chosen by measuring the candidates on the corpus's 125 PDFs (BENCHMARKS.md
// has the figures): the small pure-Go readers of the rsc.io/pdf family
// (github.com/ledongthuc/pdf, github.com/dslipak/pdf, BSD) read the objects
// well, but their plain text puts no space where a producer places words
// apart instead of drawing a space (pdfTeX), takes a glyph's width from one
// byte of a two-byte code (Type0 fonts), follows no form XObjects and
// panics on malformed input: word F1 0.165 and 0.005 on their worst
// producer. PDFium compiled to WebAssembly on wazero
// (github.com/klippa-app/go-pdfium, MIT and BSD) reads text about as well
// except on the two-column pdfTeX resumes (F1 0.942), but adds 10 MiB to
// the binary and tens of seconds of compilation to every cold start. So the
// object reader of the rsc.io/pdf family is copied into internal/pdf and
// hardened (bounded, no panic escapes), and the text layer is ours: F1
// 0.990 on its worst producer and at least the best reference's on every
// producer, for 1.3 MiB of linux/arm64 binary together with the other
// formats. AGPL or commercial engines (unipdf) were not considered.
package document
