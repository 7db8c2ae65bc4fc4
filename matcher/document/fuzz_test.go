package document

import (
	"context"
	"errors"
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
