package document_test

import (
	"context"
	"fmt"

	"github.com/jobmatch/jobmatch/matcher/document"
)

func Example() {
	html := []byte(`<!DOCTYPE html><html><head><title>CV</title></head><body>
<h1>Jane&nbsp;Doe</h1>
<h2>Skills</h2><ul><li>Go</li><li>Kubernetes</li></ul>
<p>E&#xFB03;cient engineer, 8 years of distributed sys&shy;tems.</p>
</body></html>`)
	doc, err := document.Extract(context.Background(), html, document.Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Format)
	fmt.Println(doc.Text)
	// Output:
	// html
	// Jane Doe
	//
	// Skills
	//
	// Go
	//
	// Kubernetes
	//
	// Efficient engineer, 8 years of distributed systems.
}

func ExampleExtract_scanned() {
	scan := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
		"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n" +
		"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n" +
		"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n")
	_, err := document.Extract(context.Background(), scan, document.Limits{})
	fmt.Println(err)
	// Output:
	// document: the PDF has no text layer (scanned?): no text on 1 of 1 pages
}
