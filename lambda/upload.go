package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jobmatch/jobmatch/matcher"
	doc "github.com/jobmatch/jobmatch/matcher/document"
)

// Uploads. POST /match, /keywords and /rank also take multipart/form-data
// (curl -F resume=@cv.pdf -F job=@job.docx): a part with a file name is a
// document (PDF, DOCX, ODT, HTML, Markdown or text, told apart by content,
// read within Options.Documents), a part without one a plain value. The text
// fields are "resume" and "job" (/match), "text" (/keywords), "job" and any
// number of "resume" or "resumes" parts (/rank, each named by its file
// name); the other parts are the settings of the JSON form ("threshold",
// "job_keywords", ...). The whole body is bounded by MaxBodyBytes like any
// other.

// maxFormParts bounds the parts of an upload beyond /rank's resumes.
const maxFormParts = 16

// formPart is one part of an upload.
type formPart struct {
	name, file string // form field name; file name, "" for a plain value
	data       []byte
}

// isMultipart reports whether a Content-Type is multipart/form-data, and its
// boundary.
func isMultipart(contentType string) (string, bool) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		return "", false
	}
	return params["boundary"], true
}

// readForm splits an upload into its parts, at most maxParts of them.
func readForm(boundary string, body []byte, maxParts int) ([]formPart, error) {
	if boundary == "" {
		return nil, errors.New("multipart/form-data without a boundary")
	}
	mr := multipart.NewReader(strings.NewReader(string(body)), boundary)
	var parts []formPart
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return parts, nil
		}
		if err != nil {
			return nil, fmt.Errorf("malformed multipart body: %v", err)
		}
		if len(parts) == maxParts {
			return nil, fmt.Errorf("more than %d parts", maxParts)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, fmt.Errorf("malformed multipart body: %v", err)
		}
		parts = append(parts, formPart{name: p.FormName(), file: p.FileName(), data: data})
	}
}

// uploadError is an upload the service refuses, with its status.
type uploadError struct {
	status int
	msg    string
}

func (e *uploadError) Error() string { return e.msg }

// text returns the text of a part: a document's, read within limits, or a
// plain value's.
func (p formPart) text(ctx context.Context, limits doc.Limits) (string, error) {
	if p.file == "" {
		if !utf8.Valid(p.data) {
			return "", &uploadError{http.StatusBadRequest, fmt.Sprintf("%q is not valid UTF-8", p.name)}
		}
		return string(p.data), nil
	}
	text, err := matcher.DocumentText(ctx, p.data, limits)
	if err == nil || errors.Is(err, doc.ErrEmpty) {
		return text, nil // an empty document is an empty text, as in JSON
	}
	status := http.StatusUnprocessableEntity
	switch {
	case errors.Is(err, doc.ErrTooLarge):
		status = http.StatusRequestEntityTooLarge
	case errors.Is(err, doc.ErrUnsupportedFormat):
		status = http.StatusUnsupportedMediaType
	case ctx.Err() != nil:
		return "", ctx.Err()
	}
	return "", &uploadError{status, fmt.Sprintf("%q (%s): %s", p.name, p.file, strings.TrimPrefix(err.Error(), "matcher: document: "))}
}

// form answers an upload to path: it reads the documents, then computes as
// the JSON form of the same request does.
func (s *Service) form(ctx context.Context, path, boundary string, body []byte) response {
	parts, err := readForm(boundary, body, s.opts.MaxResumes+maxFormParts)
	if err != nil {
		return fail(http.StatusBadRequest, "%v", err)
	}
	fields := map[string]any{}
	var resumes []RankResume
	var resumeErrs []error
	for _, p := range parts {
		switch {
		case path == "/rank" && (p.name == "resume" || p.name == "resumes"):
			text, err := p.text(ctx, s.cfg.Documents)
			if err != nil && ctx.Err() != nil {
				return s.failure(ctx, ctx.Err())
			}
			name := p.file
			if name == "" {
				name = "resume " + strconv.Itoa(len(resumes)+1)
			}
			resumes = append(resumes, RankResume{Name: name, Text: &text})
			resumeErrs = append(resumeErrs, err)
		case p.name == "resume" || p.name == "job" || p.name == "text":
			if _, ok := fields[p.name]; ok {
				return fail(http.StatusBadRequest, "%q given twice", p.name)
			}
			text, err := p.text(ctx, s.cfg.Documents)
			if err != nil {
				return s.uploadFailure(ctx, err)
			}
			fields[p.name] = text
		default:
			if _, ok := fields[p.name]; ok {
				return fail(http.StatusBadRequest, "%q given twice", p.name)
			}
			// A setting: a number or a boolean as such, anything else as
			// a string, which the route's own checks then refuse or take.
			var v any
			if err := json.Unmarshal(p.data, &v); err == nil {
				switch v.(type) {
				case float64, bool:
					fields[p.name] = json.RawMessage(p.data)
					continue
				}
			}
			fields[p.name] = string(p.data)
		}
	}
	if path == "/rank" {
		fields["resumes"] = resumes
	}
	js, err := json.Marshal(fields)
	if err != nil {
		return fail(http.StatusBadRequest, "%v", err)
	}
	switch path {
	case "/match":
		return s.match(ctx, js)
	case "/keywords":
		return s.keywords(ctx, js)
	case "/rank":
		var req RankRequest
		if err := decode(js, &req); err != nil {
			return fail(http.StatusBadRequest, "%v", err)
		}
		for i := range req.Resumes {
			req.Resumes[i].err = resumeErrs[i]
		}
		return s.rankRequest(ctx, req)
	}
	return fail(http.StatusUnsupportedMediaType, "%s takes JSON only", path)
}

// uploadFailure maps an error reading an uploaded document to a response.
func (s *Service) uploadFailure(ctx context.Context, err error) response {
	var ue *uploadError
	if errors.As(err, &ue) {
		return fail(ue.status, "%s", ue.msg)
	}
	return s.failure(ctx, err)
}

// TextResponse is the answer to POST /text.
type TextResponse struct {
	Text string `json:"text"`
}

// text answers POST /text, whose body is one document (PDF, DOCX, ODT,
// HTML, Markdown or text, sent as it is): its text as the other routes read
// it, which the page shows and highlights. A text over MaxTextBytes is 413,
// as the routes that would match it answer.
func (s *Service) text(ctx context.Context, body []byte) response {
	text, err := formPart{name: "document", file: "body", data: body}.text(ctx, s.cfg.Documents)
	if err != nil {
		return s.uploadFailure(ctx, err)
	}
	if len(text) > s.cfg.MaxTextBytes {
		return fail(http.StatusRequestEntityTooLarge, "the document's text has %d bytes, the limit is %d", len(text), s.cfg.MaxTextBytes)
	}
	return response{status: http.StatusOK, body: TextResponse{Text: text}}
}

// contentType returns the Content-Type of an event's headers, whose names
// API Gateway may give in any case.
func contentType(headers map[string]string) string {
	for k, v := range headers {
		if strings.EqualFold(k, "Content-Type") {
			return v
		}
	}
	return ""
}
