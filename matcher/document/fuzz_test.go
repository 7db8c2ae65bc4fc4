package document

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// fuzzLimits keep every iteration small and fast.
var fuzzLimits = Limits{MaxBytes: 1 << 20, MaxPages: 8, MaxDecompressed: 4 << 20, MaxXMLDepth: 64, MaxChars: 1 << 16}

// checkExtract runs Extract on fuzzed bytes: any error must wrap one of
// the package's sentinels, and a success must give text.
func checkExtract(t *testing.T, data []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := Extract(ctx, data, fuzzLimits)
	if err != nil {
		for _, s := range []error{ErrEmpty, ErrUnsupportedFormat, ErrTooLarge, ErrCorrupt, ErrEncrypted, ErrNoTextLayer, ErrNoUnicode, context.DeadlineExceeded} {
			if errors.Is(err, s) {
				return
			}
		}
		t.Fatalf("error without a sentinel: %v", err)
	}
	if d.Text == "" {
		t.Fatal("success without text")
	}
}

func FuzzPDF(f *testing.F) {
	f.Add(onePage("BT /F1 12 Tf 72 700 Td (Go developer) Tj 0 -14 Td [(Da) 20 (ta)] TJ ET", ""))
	f.Add(onePage("q /Fm1 Do Q BI /W 1 ID x EI BT /F2 10 Tf <0001> Tj ET", "<< /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [<< /W [1 [500]] >>] >>",
		stream("/Subtype /Form", "BT /F1 9 Tf (in form) Tj ET", true)))
	f.Add(pages(2, "BT /F1 9 Tf 72 770 Td (Header) Tj ET"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 5 || string(data[:5]) != "%PDF-" {
			data = append([]byte("%PDF-"), data...)
		}
		checkExtract(t, data)
	})
}

func FuzzDOCX(f *testing.F) {
	f.Add(docx(`<w:p><w:r><w:t>Go</w:t><w:tab/><w:br/></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>SQL</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`))
	f.Add(odt(`<text:h>Jane</text:h><text:p>Go<text:s/>SQL</text:p>`))
	f.Fuzz(func(t *testing.T, data []byte) { checkExtract(t, data) })
}

// FuzzOfficeXML fuzzes the XML inside a DOCX, which the ZIP layer's
// checksums would otherwise keep the fuzzer from reaching.
func FuzzOfficeXML(f *testing.F) {
	f.Add(`<w:p><w:r><w:t>Go</w:t></w:r></w:p><w:del><w:r><w:delText>x</w:delText></w:r></w:del>`)
	f.Add(`<!DOCTYPE x [<!ENTITY a "b">]><w:p>&a;</w:p>`)
	f.Fuzz(func(t *testing.T, body string) {
		checkExtract(t, docx(body))
		checkExtract(t, odt(body))
	})
}

func FuzzText(f *testing.F) {
	f.Add([]byte("<!DOCTYPE html><p>Go<br>SQL</p><ol><li>x</li></ol><table><td>a</td></table>"))
	f.Add([]byte("# Jane\n\n- **Go** [x](y)\n\n| a | b |\n|---|---|\n```\ncode\n```\n"))
	f.Add([]byte("\xff\xfeG\x00o\x00"))
	f.Add([]byte("Résumé • Go\u00ad\ufb01"))
	f.Fuzz(func(t *testing.T, data []byte) { checkExtract(t, data) })
}

// FuzzMarkdownLines holds markdownLines to the unanchored expression it
// replaces, FindAllString over the whole text.
func FuzzMarkdownLines(f *testing.F) {
	for _, s := range markdownSamples {
		f.Add(s)
	}
	whole := regexp.MustCompile(markdownLine)
	f.Fuzz(func(t *testing.T, text string) {
		for _, n := range []int{200, 2} {
			if got, want := markdownLines(text, n), whole.FindAllString(text, n); !slices.Equal(got, want) {
				t.Fatalf("markdownLines(%q, %d) = %q; the expression finds %q", text, n, got, want)
			}
		}
	})
}

// markdownSamples are texts with every kind of Markdown line, some of them
// in the corners of the expression: blank lines before a bullet (\s spans
// line breaks), tables whose trailing space runs into the next lines, four
// spaces of indentation, carriage returns.
var markdownSamples = []string{
	"# Jane\n\n- **Go** [x](y)\n\n| a | b |\n|---|---|\n```\ncode\n```\n",
	"Skills\n\n\n- Go\n  * SQL\n    + deep\n1. one\n12) two\n1234. no\n> quote\n>no\n---\n===  \n\n|a|\n\n\n|b|",
	"a\r\n- b\r\n|c|\r\n#no\n####### seven\n## two\n\t- tab\n\n\n\n- far",
	"| x |   \n\n   \n- y\n-- z\n---- \n",
}

// TestMarkdownLinesAsExpression holds markdownLines to the expression on
// the samples and on the text of every corpus document.
func TestMarkdownLinesAsExpression(t *testing.T) {
	texts := slices.Clone(markdownSamples)
	names, err := filepath.Glob("testdata/corpus/*.truth.txt")
	if err != nil || len(names) == 0 {
		t.Fatalf("no corpus texts: %v", err)
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	whole := regexp.MustCompile(markdownLine)
	for _, text := range texts {
		if got, want := markdownLines(text, 200), whole.FindAllString(text, 200); !slices.Equal(got, want) {
			t.Errorf("markdownLines(%.60q…) = %q; the expression finds %q", text, got, want)
		}
	}
}

// FuzzBulletFilter checks that mayStartWithBullet lets through every line
// that typedBullet matches, and that ligature agrees with the table.
func FuzzBulletFilter(f *testing.F) {
	for _, s := range []string{"- Go", "\u00a0\u00a0– SQL", "\t* x", "+\u00a0y", "  -x", "\v- z", "• a", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if typedBullet.MatchString(line) && !mayStartWithBullet(line) {
			t.Fatalf("typedBullet matches %q but mayStartWithBullet says no", line)
		}
	})
}

func TestLigatureTable(t *testing.T) {
	for r, l := range ligatures {
		if ligature(r) != l {
			t.Errorf("ligature(%q) = %q, want %q", r, ligature(r), l)
		}
	}
	for _, s := range markdownSamples {
		for _, line := range strings.Split(s, "\n") {
			if typedBullet.MatchString(line) && !mayStartWithBullet(line) {
				t.Errorf("typedBullet matches %q but mayStartWithBullet says no", line)
			}
		}
	}
}

// FuzzCleanASCII holds cleanLine's shortcut to its rune by rune cleaning:
// a line cleanASCII accepts comes out of cleanRunes as it is.
func FuzzCleanASCII(f *testing.F) {
	for _, s := range []string{"Go, Python and SQL", "two  spaces", " lead", "tail ", "tab\there", "bullet • item", "ﬁle", "", "\x7f", "a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := cleanRunes(s); cleanASCII(s) && got != s {
			t.Fatalf("cleanASCII(%q) holds, but cleanRunes gives %q", s, got)
		}
		if cleanRunes(s) == s && isPrintableASCII(s) && !cleanASCII(s) {
			t.Fatalf("cleanASCII(%q) refuses a line cleanRunes keeps", s)
		}
	})
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
