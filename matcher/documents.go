package matcher

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jobmatch/jobmatch/matcher/document"
)

// DocumentText returns the text of a document (PDF, DOCX, ODT, HTML,
// Markdown or plain text in any common encoding, told apart by content) as
// the *Document methods match it: the text of [document.Extract], with a
// full stop after each paragraph, heading or list item that has no
// punctuation of its own. YAKE reads newlines as spaces, so without the
// stop a keyword would run from one line into the next ("engineer
// Skills"). Errors wrap the sentinels of package document
// (document.ErrNoTextLayer for a scan, document.ErrEncrypted, ...), and
// reading is bounded by Config.Documents.
func (m *Matcher) DocumentText(ctx context.Context, data []byte) (string, error) {
	return DocumentText(ctx, data, m.cfg.Documents)
}

// DocumentText is [Matcher.DocumentText] within limits, for callers that
// read documents before they choose a Matcher (an HTTP handler reads the
// uploads of a request first).
func DocumentText(ctx context.Context, data []byte, limits document.Limits) (string, error) {
	doc, err := document.Extract(ctx, data, limits)
	if err != nil {
		return "", fmt.Errorf("matcher: %w", err)
	}
	return sentences(doc.Paragraphs()), nil
}

// shortLine is the most words a line of a paragraph may have to be taken
// for a line of its own (a heading, a list item, a table cell) rather than
// part of a wrapped sentence.
const shortLine = 6

// sentences joins paragraphs into text whose paragraphs, and short lines
// inside them, end with punctuation.
func sentences(paragraphs []string) string {
	var b strings.Builder
	for i, p := range paragraphs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		lines := strings.Split(p, "\n")
		for j, l := range lines {
			if j > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(l)
			if j == len(lines)-1 || len(strings.Fields(l)) <= shortLine {
				if r, _ := utf8.DecodeLastRuneInString(l); !strings.ContainsRune(".!?:;,", r) {
					b.WriteByte('.')
				}
			}
		}
	}
	return b.String()
}

// PrepareJobDocument is PrepareJob for a job posting given as a document.
func (m *Matcher) PrepareJobDocument(ctx context.Context, data []byte) (*Job, error) {
	text, err := m.DocumentText(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("job: %w", err)
	}
	return m.PrepareJob(ctx, text)
}

// PrepareResumeDocument is PrepareResume for a resume given as a document.
func (m *Matcher) PrepareResumeDocument(ctx context.Context, data []byte) (*Resume, error) {
	text, err := m.DocumentText(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	return m.PrepareResume(ctx, text)
}

// MatchDocuments is Match for a job and a resume given as documents.
func (m *Matcher) MatchDocuments(ctx context.Context, job, resume []byte) (*Result, error) {
	j, err := m.PrepareJobDocument(ctx, job)
	if err != nil {
		return nil, err
	}
	text, err := m.DocumentText(ctx, resume)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	return m.MatchPrepared(ctx, j, text)
}
