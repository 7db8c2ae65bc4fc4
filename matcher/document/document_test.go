package document

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

func extract(t *testing.T, data []byte) *Doc {
	t.Helper()
	d, err := Extract(context.Background(), data, Limits{})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return d
}

// firstDiff shows where two texts part.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-30)
	return fmt.Sprintf("first difference at byte %d:\n got: %q\nwant: %q", i, got[lo:min(len(got), i+40)], want[lo:min(len(want), i+40)])
}

func utf16le(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func utf16be(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

func latin1(s string) []byte {
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// zipOf builds a ZIP archive from name, content pairs.
func zipOf(files ...string) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for i := 0; i < len(files); i += 2 {
		f, err := w.Create(files[i])
		if err != nil {
			panic(err)
		}
		f.Write([]byte(files[i+1]))
	}
	w.Close()
	return b.Bytes()
}

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

func docx(body string, more ...string) []byte {
	return zipOf(append([]string{"[Content_Types].xml", `<Types/>`,
		"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wordNS + `><w:body>` + body + `</w:body></w:document>`}, more...)...)
}

// numbered is a DOCX paragraph in list numID at level ilvl.
func numbered(numID, ilvl int, text string) string {
	return fmt.Sprintf(`<w:p><w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>`, ilvl, numID, text)
}

func odt(body string) []byte {
	return zipOf("mimetype", "application/vnd.oasis.opendocument.text",
		"content.xml", `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>`+body+`</office:text></office:body></office:document-content>`)
}

func TestExtract(t *testing.T) {
	fi := "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Widths [250 500 500] /FirstChar 32 /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [33 /fi /f_f_i] >> >>"
	type0 := "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /DW 500 /W [1 [600 600] 3 4 250] >>] /ToUnicode 8 0 R >>"
	cmap := stream("", "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <0047> <0002> <006F> endbfchar 1 beginbfrange <0003> <0004> <0020> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end", false)
	// A Type0 font as Chromium writes it: "ap", "pl", "i" and U+2010, "ed".
	type0u := "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /DW 500 >>] /ToUnicode 8 0 R >>"
	cmapu := stream("", "begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange 6 beginbfchar <0001> <0061> <0002> <0070> <0003> <0070006C> <0004> <00692010> <0005> <0065> <0006> <0064> endbfchar endcmap", false)
	tests := []struct {
		name   string
		data   []byte
		format Format
		want   string
	}{
		{"utf-8", []byte("Jane Doe\nGo developer\n\nSkills\n- Go, SQL\n - C++\n"), PlainText, "Jane Doe\nGo developer\n\nSkills\nGo, SQL\nC++"},
		{"utf-8 BOM, CRLF", []byte("\xEF\xBB\xBFJane\r\nDoe\r\n"), PlainText, "Jane\nDoe"},
		{"utf-16le BOM", utf16le("Résumé\nJürgen", true), PlainText, "Résumé\nJürgen"},
		{"utf-16be no BOM", utf16be("Skills: Go and Python"), PlainText, "Skills: Go and Python"},
		{"windows-1252", latin1("Résumé – café naïve"), PlainText, "Résumé – café naïve"},
		{"clean-up", []byte("• Python\u00a0developer\n◦ e\ufb03cient co\u00adordination\n● SQL • Go • C++\n\u200bAWS\n"), PlainText,
			"Python developer\nefficient coordination\nSQL, Go, C++\nAWS"},
		{"markdown", []byte("# Jane Doe\n\n## Experience\n\n- **Senior** engineer at [Acme](https://acme.example)\n- Built `gRPC` APIs\n1. First\n\n| Skill | Years |\n|---|---|\n| Go | 5 |\n\nSome *italic* and snake_case_words.\n"), Markdown,
			"Jane Doe\n\nExperience\n\nSenior engineer at Acme\n\nBuilt gRPC APIs\n\n1. First\n\nSkill\nYears\n\nGo\n5\n\nSome italic and snake_case_words."},
		{"html", []byte(`<!DOCTYPE html><html><head><title>CV</title><style>p{}</style></head><body><h1>Jane&nbsp;Doe</h1><script>var x;</script><p>Data  sci&shy;ence<br>and <b>ML</b></p><ul><li>Go</li><li>SQL</li></ul><ol start="3"><li>first</li><li>second</li></ol><table><tr><td>Python</td><td>5</td></tr></table></body></html>`), HTML,
			"Jane Doe\n\nData science\nand ML\n\nGo\n\nSQL\n\n3. first\n\n4. second\n\nPython\n5"},
		{"docx", docx(`<w:p><w:r><w:t>Jane Doe</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Go </w:t></w:r><w:r><w:t>developer</w:t></w:r><w:r><w:tab/><w:t>2020</w:t><w:br/><w:t>Berlin</w:t></w:r></w:p>`+
			`<w:p><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del><w:r><w:instrText>HYPERLINK x</w:instrText><w:t>kept</w:t></w:r></w:p>`+
			`<w:p><mc:AlternateContent><mc:Choice><w:r><w:t>box</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>box</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>`+
			`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Python</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>5</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`,
			"word/header1.xml", `<w:hdr `+wordNS+`><w:p><w:r><w:t>Jane Doe</w:t></w:r></w:p><w:p><w:r><w:t>jane@example.com</w:t></w:r></w:p></w:hdr>`), DOCX,
			"jane@example.com\n\nJane Doe\n\nGo developer 2020\nBerlin\n\nkept\n\nbox\n\nPython\n5"},
		{"docx numbered lists", docx(numbered(7, 0, "Python")+numbered(7, 1, "pandas")+numbered(7, 1, "NumPy")+numbered(7, 0, "SQL")+numbered(8, 0, "bulleted")+numbered(9, 0, "unknown list"),
			"word/numbering.xml", `<w:numbering `+wordNS+`><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1)"/></w:lvl>`+
				`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>`+
				`<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>`+
				`<w:num w:numId="7"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="8"><w:abstractNumId w:val="2"/></w:num></w:numbering>`), DOCX,
			"1) Python\n\n1.a pandas\n\n1.b NumPy\n\n2) SQL\n\nbulleted\n\nunknown list"},
		{"odt", odt(`<text:h>Jane Doe</text:h><text:p>Go<text:s text:c="3"/>developer<text:tab/>2020<text:line-break/>Berlin</text:p><text:list><text:list-item><text:p>SQL</text:p></text:list-item></text:list><table:table><table:table-row><table:table-cell><text:p>Python</text:p></table:table-cell><table:table-cell><text:p>5</text:p></table:table-cell></table:table-row></table:table>`), ODT,
			"Jane Doe\n\nGo developer 2020\nBerlin\n\nSQL\n\nPython\n\n5"},
		{"pdf lines and paragraphs", onePage("BT /F1 12 Tf 72 700 Td (Jane Doe) Tj 0 -14 Td (Go developer) Tj 0 -40 Td (Skills) Tj ET", ""), PDF,
			"Jane Doe\nGo developer\n\nSkills"},
		{"pdf kerning and word gaps", onePage("BT /F1 12 Tf 72 700 Td [(Da) 20 (ta) -400 (Science)] TJ ET", ""), PDF, "Data Science"},
		{"pdf hyphenation", onePage("BT /F1 12 Tf 72 700 Td (Project manage-) Tj 0 -14 Td (ment and Go-) Tj 0 -14 Td (Lang) Tj ET", ""), PDF,
			"Project management and Go-\nLang"},
		{"pdf U+2010 hyphen at a line break", onePage("BT /F2 12 Tf 72 700 Td <0001000200030004> Tj 0 -14 Td <00050006> Tj ET BT /F1 12 Tf 72 600 Td (large-) Tj 0 -14 Td (scale) Tj ET", type0u, cmapu), PDF, "applied\n\nlarge-scale"},
		{"pdf hyphenation: capitals, compounds", onePage("BT /F1 12 Tf 72 700 Td (CORPORATE TRAIN-) Tj 0 -14 Td (ING, multi-) Tj 0 -14 Td (task and co-) Tj 0 -14 Td (ordinate, multi-task) Tj ET", ""), PDF,
			"CORPORATE TRAINING, multi-task and co-ordinate, multi-task"},
		{"pdf ligatures from Differences", onePage("BT /F2 10 Tf 72 700 Td (e\"cient !t) Tj ET", fi), PDF, "efficient fit"},
		{"pdf Type0 with ToUnicode", onePage("BT /F2 10 Tf 72 700 Td <000100020003000200010004> Tj ET", type0, cmap), PDF, "Go oG!"},
		{"pdf overprinted bold", onePage("BT /F1 12 Tf 72 700 Td (Go) Tj ET BT /F1 12 Tf 72.3 700 Td (Go) Tj ET", ""), PDF, "Go"},
		{"pdf form XObject", onePage("q 1 0 0 1 0 0 cm /Fm1 Do Q", "", stream("/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F9 5 0 R >> >>", "BT /F9 12 Tf 72 700 Td (in a form) Tj ET", false)), PDF, "in a form"},
		{"pdf inline image skipped", onePage("BI /W 2 /H 1 /CS /G /BPC 8 ID \x00) (EI\xff EI\nBT /F1 12 Tf 72 700 Td (after) Tj ET", ""), PDF, "after"},
		{"pdf running header and page number", pages(3, "BT /F1 9 Tf 72 770 Td (Jane Doe - Resume) Tj ET BT /F1 12 Tf 72 400 Td (Experience) Tj ET BT /F1 9 Tf 300 30 Td (3) Tj ET"), PDF, "Experience\n\nExperience\n\nExperience"},
	}
	valid := onePage("BT /F1 12 Tf 72 700 Td (Go developer) Tj ET", "")
	xref := bytes.LastIndex(valid, []byte("xref\n"))
	damaged := []struct {
		name string
		data []byte
	}{
		// Viewers rebuild the cross-reference table of such files; so do we.
		{"pdf xref /Prev cycle", bytes.Replace(valid, []byte("/Root 1 0 R >>"), []byte(fmt.Sprintf("/Root 1 0 R /Prev %d >>", xref)), 1)},
		{"pdf offsets shifted", append([]byte("%PDF-1.7\n% junk that moves every object\n"), valid[9:]...)},
		{"pdf without xref", append(valid[:xref:xref], "trailer << /Root 1 0 R >>\n%%EOF\n"...)},
		{"pdf without trailer", append(valid[:xref:xref], "startxref\n0\n%%EOF\n"...)},
	}
	for _, d := range damaged {
		tests = append(tests, struct {
			name   string
			data   []byte
			format Format
			want   string
		}{d.name, d.data, PDF, "Go developer"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := extract(t, tt.data)
			if d.Format != tt.format {
				t.Errorf("format %v, want %v", d.Format, tt.format)
			}
			if d.Text != tt.want {
				t.Errorf("%s\nwhole text:\n%s", firstDiff(d.Text, tt.want), d.Text)
			}
		})
	}
}

// deflated builds a ZIP whose entry name holds n repetitions of unit inside
// prefix and suffix, written without holding it whole.
func bomb(name, prefix, unit, suffix string, n int) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, _ := w.Create(name)
	f.Write([]byte(prefix))
	chunk := []byte(strings.Repeat(unit, 4096))
	for i := 0; i < n; i += 4096 {
		f.Write(chunk)
	}
	f.Write([]byte(suffix))
	w.Close()
	return b.Bytes()
}

// lyingZip declares a small size for an entry that inflates to much more.
func lyingZip(name string, content []byte) []byte {
	var z bytes.Buffer
	fw, _ := zipDeflate(&z)
	fw.Write(content)
	fw.Close()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, _ := w.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CompressedSize64: uint64(z.Len()), UncompressedSize64: 100, CRC32: 0})
	f.Write(z.Bytes())
	w.Close()
	return b.Bytes()
}

type badCase struct {
	name string
	data []byte
	lim  Limits
	want error
}

// badDocuments are the hostile and broken documents of issue 13, each with
// the error it must give.
func badDocuments(t testing.TB) []badCase {
	small := Limits{MaxDecompressed: 1 << 20, MaxChars: 100000, MaxXMLDepth: 64, MaxPages: 3}
	valid := onePage("BT /F1 12 Tf 72 700 Td (Go developer) Tj ET", "")
	noToUnicode := "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X >>] >>"
	hugePage := strings.Repeat("BT /F1 12 Tf 72 700 Td (Go developer) Tj ET\n", 60000) // 2.7 MB inflated
	return []badCase{
		{"0-byte file", nil, Limits{}, ErrEmpty},
		{"white space only", []byte(" \n\t\n"), Limits{}, ErrEmpty},
		{"markup without text", []byte("<html><body><p> </p></body></html>"), Limits{}, ErrEmpty},
		{"over MaxBytes", []byte("Go developer"), Limits{MaxBytes: 5}, ErrTooLarge},
		{"PNG image", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), Limits{}, ErrUnsupportedFormat},
		{"legacy .doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"), Limits{}, ErrUnsupportedFormat},
		{"binary garbage", []byte("\x01\x02\x00\x03\x04junk\x00\x00"), Limits{}, ErrUnsupportedFormat},
		{"xlsx (zip, not a document)", zipOf("xl/workbook.xml", "<workbook/>"), Limits{}, ErrUnsupportedFormat},
		{"truncated zip", docx(`<w:p><w:r><w:t>Go</w:t></w:r></w:p>`)[:40], Limits{}, ErrCorrupt},
		{"encrypted PDF (AES-256, user password)", readFile(t, "testdata/bad/aes256-password.pdf"), Limits{}, ErrEncrypted},
		{"encrypted PDF (RC4-128, user password)", readFile(t, "testdata/bad/rc4-password.pdf"), Limits{}, ErrEncrypted},
		{"image-only PDF (scanned)", onePage("q 500 0 0 700 50 50 cm /Im1 Do Q", ""), Limits{}, ErrNoTextLayer},
		{"PDF with empty page", onePage("", ""), Limits{}, ErrNoTextLayer},
		{"font without ToUnicode", onePage("BT /F2 12 Tf 72 700 Td <0012003400560078> Tj ET", noToUnicode), Limits{}, ErrNoUnicode},
		{"truncated PDF", valid[:len(valid)/2], Limits{}, ErrCorrupt},
		{"PDF header and garbage", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage"), Limits{}, ErrCorrupt},
		{"PDF without catalog", []byte("%PDF-1.4\n1 0 obj << /Type /Page >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), Limits{}, ErrCorrupt},
		{"PDF nested arrays", pdfFile("<< /Type /Catalog /Pages " + strings.Repeat("[", 5000) + " >>"), Limits{}, ErrCorrupt},
		{"PDF content stream of junk", onePage("["+strings.Repeat("[", 5000)+"] Tj ) ( <<>> 1 2 3 Td", ""), Limits{}, ErrNoTextLayer},
		{"huge page (content stream past MaxDecompressed)", onePage(hugePage, ""), Limits{MaxDecompressed: 256 << 10}, ErrTooLarge},
		{"too many glyphs (MaxChars)", onePage(hugePage[:len(hugePage)/100], ""), Limits{MaxChars: 5000}, ErrTooLarge},
		{"too many pages", pages(5, "BT /F1 12 Tf 72 400 Td (Go) Tj ET"), small, ErrTooLarge},
		{"DOCX zip bomb (declared size)", bomb("word/document.xml", `<w:document `+wordNS+`><w:body><w:p><w:r><w:t>`, " ", `</w:t></w:r></w:p></w:body></w:document>`, 4<<20), small, ErrTooLarge},
		{"DOCX zip bomb (size understated)", lyingZip("word/document.xml", bytes.Repeat([]byte(" "), 4<<20)), small, ErrCorrupt},
		{"DOCX billion laughs", docxRaw(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><w:document ` + wordNS + `><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>`), Limits{}, ErrCorrupt},
		{"DOCX nested past MaxXMLDepth", docx(strings.Repeat("<w:sdt>", 100) + strings.Repeat("</w:sdt>", 100)), small, ErrTooLarge},
		{"DOCX malformed XML", docx(`<w:p><w:r><w:t>Go</w:r></w:p>`), Limits{}, ErrCorrupt},
		{"DOCX whose document.xml is not XML", zipOf("word/document.xml", "not xml <"), Limits{}, ErrCorrupt},
		{"ODT nested past MaxXMLDepth", odt(strings.Repeat("<text:section>", 100) + strings.Repeat("</text:section>", 100)), small, ErrTooLarge},
		{"HTML nested past MaxXMLDepth", []byte("<html><body>" + strings.Repeat("<div>", 100) + "x"), small, ErrTooLarge},
	}
}

func TestBadDocuments(t *testing.T) {
	for _, tt := range badDocuments(t) {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			d, err := Extract(context.Background(), tt.data, tt.lim)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v (doc %+v), want %v", err, d, tt.want)
			}
			// Each takes milliseconds; the bound is loose for the race
			// detector on a loaded machine, and catches a loop.
			if time.Since(start) > 30*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
		})
	}
}

// BenchmarkBadDocuments measures the time and memory each bad document
// costs before its error (BENCHMARKS.md):
//
//	go test -run '^$' -bench BadDocuments -benchtime 5x ./matcher/document/
func BenchmarkBadDocuments(b *testing.B) {
	for _, tt := range badDocuments(b) {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Extract(context.Background(), tt.data, tt.lim); !errors.Is(err, tt.want) {
					b.Fatalf("got %v, want %v", err, tt.want)
				}
			}
		})
	}
}

func docxRaw(documentXML string) []byte {
	return zipOf("word/document.xml", documentXML)
}

func TestEncryptedOwnerPasswordOnly(t *testing.T) {
	// Encrypted with an empty user password: readable by anyone, as viewers do.
	d := extract(t, readFile(t, "testdata/bad/aes128-owner-only.pdf"))
	if want := "Confidential resume: Go developer"; d.Text != want {
		t.Errorf("%s", firstDiff(d.Text, want))
	}
}

func TestContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, data := range [][]byte{onePage("BT /F1 12 Tf 72 700 Td (Go) Tj ET", ""), docx(`<w:p><w:r><w:t>Go</w:t></w:r></w:p>`), []byte("Go developer")} {
		if _, err := Extract(ctx, data, Limits{}); !errors.Is(err, context.Canceled) {
			t.Errorf("%.10q: got %v, want context.Canceled", data, err)
		}
	}
}

func TestLimitsNegative(t *testing.T) {
	if _, err := Extract(context.Background(), []byte("Go"), Limits{MaxPages: -1}); err == nil {
		t.Error("negative MaxPages accepted")
	}
}

func TestRead(t *testing.T) {
	d, err := Read(context.Background(), strings.NewReader("Go developer"), Limits{})
	if err != nil || d.Text != "Go developer" {
		t.Fatalf("Read: %v, %+v", err, d)
	}
	if _, err := Read(context.Background(), strings.NewReader("Go developer"), Limits{MaxBytes: 4}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Read past MaxBytes: %v", err)
	}
}

func TestDetectIgnoresNames(t *testing.T) {
	// There is no name to go by: a PDF "renamed .docx" is read as a PDF.
	for _, tt := range []struct {
		data []byte
		want Format
	}{
		{onePage("BT /F1 12 Tf 72 700 Td (Go) Tj ET", ""), PDF},
		{docx(`<w:p/>`), DOCX},
		{odt(`<text:p/>`), ODT},
		{[]byte("  <!doctype html><p>x"), HTML},
		{[]byte("# Title\n\ntext"), Markdown},
		{[]byte("- one\n- two\n"), PlainText},
		{[]byte("Just text - with a dash."), PlainText},
	} {
		if got, err := Detect(tt.data); got != tt.want || err != nil {
			t.Errorf("Detect(%.20q) = %v, %v; want %v", tt.data, got, err, tt.want)
		}
	}
}
