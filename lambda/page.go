package lambda

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"net/http"
	"strings"
)

// web holds the page's sources: index.html, and the style and script that
// are put inside it, so that the page is one document, served without a
// build step, whose Content-Security-Policy allows exactly its own code.
//
//go:embed web/index.html web/page.css web/page.js
var web embed.FS

// document is a ready answer of its own type: the page.
type document struct {
	body    []byte
	headers map[string]string
}

// thePage is the page at GET /.
var thePage = mustPage()

// PageBytes returns the size of the page served at GET /, which is all it
// loads: its style and script are inside it.
func PageBytes() int { return len(thePage.body) }

func (s *Service) page() response { return response{status: http.StatusOK, doc: thePage} }

// mustPage builds the page from the embedded files; they are part of the
// binary, so a failure is a build mistake that every test shows.
func mustPage() *document {
	read := func(name string) string {
		b, err := web.ReadFile("web/" + name)
		if err != nil {
			panic(err)
		}
		return string(b)
	}
	css, js := read("page.css"), read("page.js")
	html := read("index.html")
	for _, part := range []struct{ marker, text string }{{"<style></style>", "<style>" + css + "</style>"}, {"<script></script>", "<script>" + js + "</script>"}} {
		if strings.Count(html, part.marker) != 1 {
			panic("lambda: web/index.html must hold " + part.marker + " once")
		}
		html = strings.Replace(html, part.marker, part.text, 1)
	}
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	csp := "default-src 'none'; script-src " + hash(js) + "; style-src " + hash(css) +
		"; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	return &document{body: []byte(html), headers: map[string]string{
		"Content-Type":            "text/html; charset=utf-8",
		"Content-Security-Policy": csp,
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-cache",
	}}
}
