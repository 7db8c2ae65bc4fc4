package matcher_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/document"
)

// scanned is a one-page PDF that draws nothing: what a scan without OCR
// looks like to a text extractor.
const scanned = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n" +
	"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n" +
	"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"

func TestMatchDocumentsAsText(t *testing.T) {
	// The scenario's job and resume as documents give the text's result.
	job := []byte("# Job\n\n- Python\n- Kubernetes\n- SQL\n")
	resume := []byte("<!DOCTYPE html><html><body><ul><li>python</li><li>k8s</li><li>Excel</li></ul></body></html>")
	m := newMatcher(t, &tableEmbedder{table: scenarioTable()}, nil)
	want, err := m.Match(context.Background(), scenarioJob, scenarioResume)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.MatchDocuments(context.Background(), job, resume)
	if err != nil {
		t.Fatal(err)
	}
	// The Markdown heading "Job" is one more job keyword, the most important.
	if got.Score >= want.Score || len(got.Matched) != len(want.Matched) || keywordsOf(got.Missing)[0] != "Job" {
		t.Errorf("MatchDocuments: score %g, matched %q, missing %q; text: score %g, matched %q",
			got.Score, keywordsOf(got.Matched), keywordsOf(got.Missing), want.Score, keywordsOf(want.Matched))
	}
	job = []byte("- Python\n- Kubernetes\n- SQL\n")
	if got, err = m.MatchDocuments(context.Background(), job, resume); err != nil || !near(got.Score, want.Score) {
		t.Errorf("MatchDocuments without the heading: %v, score %v; want %g", err, got, want.Score)
	}
	r, err := m.PrepareResumeDocument(context.Background(), resume)
	if err != nil {
		t.Fatal(err)
	}
	j, err := m.PrepareJobDocument(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := m.Compare(context.Background(), j, r); err != nil || !near(got.Score, want.Score) {
		t.Errorf("Compare of prepared documents: %v, %v; want score %g", got, err, want.Score)
	}
}

func TestDocumentTextSentences(t *testing.T) {
	m := newMatcher(t, &tableEmbedder{}, nil)
	md := []byte("# Senior engineer\n\n## Skills\n\n- Python, SQL\n- Go\n\n" +
		"Built data pipelines for a retail bank and\nmoved them to Kubernetes in 2021; led four engineers\n")
	got, err := m.DocumentText(context.Background(), md)
	if err != nil {
		t.Fatal(err)
	}
	want := "Senior engineer.\n\nSkills.\n\nPython, SQL.\n\nGo.\n\n" +
		"Built data pipelines for a retail bank and\nmoved them to Kubernetes in 2021; led four engineers."
	if got != want {
		t.Errorf("DocumentText =\n%q\nwant\n%q", got, want)
	}
}

func TestDocumentErrors(t *testing.T) {
	m := newMatcher(t, &tableEmbedder{}, func(c *matcher.Config) { c.Documents.MaxBytes = 64 })
	if _, err := m.MatchDocuments(context.Background(), []byte("Python"), []byte(scanned)); !errors.Is(err, document.ErrTooLarge) {
		t.Errorf("document past Config.Documents.MaxBytes: %v", err)
	}
	m = newMatcher(t, &tableEmbedder{}, nil)
	if _, err := m.MatchDocuments(context.Background(), []byte("Python"), []byte(scanned)); !errors.Is(err, document.ErrNoTextLayer) {
		t.Errorf("scanned resume: %v", err)
	}
	if _, err := m.PrepareJobDocument(context.Background(), nil); !errors.Is(err, document.ErrEmpty) {
		t.Errorf("empty job document: %v", err)
	}
	if _, err := m.PrepareResumeDocument(context.Background(), []byte("\x89PNG\r\n\x1a\n")); !errors.Is(err, document.ErrUnsupportedFormat) {
		t.Errorf("image as resume: %v", err)
	}
}
