package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/matchertest"
)

// field is one part of a multipart body: a file when file is set.
type field struct{ name, file, value string }

func multipartBody(t *testing.T, fields ...field) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, f := range fields {
		var err error
		if f.file != "" {
			var pw interface{ Write([]byte) (int, error) }
			if pw, err = w.CreateFormFile(f.name, f.file); err == nil {
				_, err = pw.Write([]byte(f.value))
			}
		} else {
			err = w.WriteField(f.name, f.value)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), b.Bytes()
}

func sample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../examples/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// postForm posts body of content type ct and decodes the JSON answer.
func postForm(t *testing.T, url, ct string, body []byte) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, ct, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// scanPDF is a one-page PDF that draws nothing: no text layer.
const scanPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\nxref\n0 4\n0000000000 65535 f \n" +
	"0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"

// TestUploadMatch checks that a resume PDF and a job DOCX uploaded as
// multipart/form-data, over HTTP and as a base64 Lambda event, give the
// result of the JSON request with the documents' texts.
func TestUploadMatch(t *testing.T) {
	s := serviceWith(matchertest.HashEmbedder{}, nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx := context.Background()
	resumeText, err := matcher.DocumentText(ctx, []byte(sample(t, "resume.pdf")), s.cfg.Documents)
	if err != nil {
		t.Fatal(err)
	}
	jobText, err := matcher.DocumentText(ctx, []byte(sample(t, "job.docx")), s.cfg.Documents)
	if err != nil {
		t.Fatal(err)
	}
	_, _, want := post(t, srv.URL+"/match", matchBody(t, map[string]any{"resume": resumeText, "job": jobText, "threshold": 0.7}))

	ct, body := multipartBody(t, field{"resume", "cv.pdf", sample(t, "resume.pdf")}, field{"job", "job.docx", sample(t, "job.docx")}, field{"threshold", "", "0.7"})
	resp, err := http.Post(srv.URL+"/match", ct, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	got.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || got.String() != string(want) {
		t.Errorf("upload: %d %.300s\nwant the JSON request's answer %.300s", resp.StatusCode, got.String(), want)
	}

	ev := event("POST", "/match", base64.StdEncoding.EncodeToString(body))
	ev.IsBase64Encoded = true
	ev.Headers = map[string]string{"content-type": ct}
	lresp, err := s.Handle(ctx, ev)
	if err != nil || lresp.StatusCode != http.StatusOK || lresp.Body != string(want) {
		t.Errorf("Lambda upload: %v %d %.300s", err, lresp.StatusCode, lresp.Body)
	}
}

// TestUploadErrors checks that documents that cannot be read, and uploads
// that are not well formed, answer a 4xx that says why.
func TestUploadErrors(t *testing.T) {
	s := serviceWith(matchertest.HashEmbedder{}, func(o *Options) { o.MaxResumes = 2 })
	srv := httptest.NewServer(s)
	defer srv.Close()
	job := field{"job", "", sample(t, "job.txt")}
	many := []field{job}
	for range 2 + maxFormParts {
		many = append(many, field{"resume", "r.txt", "python"})
	}
	tests := []struct {
		name   string
		path   string
		fields []field
		status int
		reason string
	}{
		{"scanned PDF", "/match", []field{job, {"resume", "scan.pdf", scanPDF}}, 422, "no text layer"},
		{"image", "/match", []field{job, {"resume", "photo.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}}, 415, "unsupported"},
		{"resume twice", "/match", []field{job, {"resume", "", "a"}, {"resume", "", "b"}}, 400, "twice"},
		{"bad setting", "/match", []field{job, {"resume", "", "python"}, {"threshold", "", "high"}}, 400, "threshold"},
		{"unknown field", "/match", []field{job, {"resume", "", "python"}, {"treshold", "", "0.5"}}, 400, "treshold"},
		{"max_ngram", "/keywords", []field{{"text", "t.md", "# Go\n\nGo developer"}, {"max_ngram", "", "1000"}}, 400, "MaxNGram"},
		{"too many parts", "/rank", many, 400, "parts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, body := multipartBody(t, tt.fields...)
			status, out := postForm(t, srv.URL+tt.path, ct, body)
			if msg, _ := out["error"].(string); status != tt.status || !strings.Contains(msg, tt.reason) {
				t.Errorf("%d %q, want %d mentioning %q", status, msg, tt.status, tt.reason)
			}
		})
	}
	status, out := postForm(t, srv.URL+"/match", "multipart/form-data", []byte("x"))
	if status != http.StatusBadRequest {
		t.Errorf("no boundary: %d %v", status, out)
	}
}

// TestUploadRank ranks uploaded documents: each resume is named by its
// file, and one that cannot be read is an error of its own, not of the
// request.
func TestUploadRank(t *testing.T) {
	s := serviceWith(matchertest.HashEmbedder{}, nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	ct, body := multipartBody(t, field{"job", "job.pdf", sample(t, "job.pdf")},
		field{"resume", "cv.docx", sample(t, "resume.docx")}, field{"resumes", "scan.pdf", scanPDF}, field{"resume", "", "Chef: menus."})
	resp, err := http.Post(srv.URL+"/rank", ct, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out RankResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	names := map[string]RankResult{}
	for _, r := range out.Results {
		names[r.Name] = r
	}
	if len(out.Results) != 3 || names["cv.docx"].Score <= 0 || names["cv.docx"].Error != "" || names["resume 3"].Error != "" {
		t.Errorf("results %+v, want cv.docx matched and the plain value named resume 3", out.Results)
	}
	if e := names["scan.pdf"].Error; !strings.Contains(e, "no text layer") {
		t.Errorf("scan.pdf: error %q, want the missing text layer", e)
	}
	if len(out.Job.Keywords) == 0 {
		t.Error("no job keywords from the PDF")
	}
}

// TestTextRoute checks POST /text: a document's text as the other routes
// read it, over HTTP and as a base64 Lambda event, and clear errors.
func TestTextRoute(t *testing.T) {
	s := serviceWith(matchertest.HashEmbedder{}, nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	pdf := sample(t, "resume.pdf")
	want, err := matcher.DocumentText(context.Background(), []byte(pdf), s.cfg.Documents)
	if err != nil {
		t.Fatal(err)
	}
	status, out := postForm(t, srv.URL+"/text", "application/pdf", []byte(pdf))
	if status != http.StatusOK || out["text"] != want || !strings.Contains(want, "Python") {
		t.Errorf("/text of resume.pdf: %d %.200v", status, out)
	}
	ev := event("POST", "/text", base64.StdEncoding.EncodeToString([]byte(pdf)))
	ev.IsBase64Encoded = true
	resp, err := s.Handle(context.Background(), ev)
	var got TextResponse
	if err != nil || resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(resp.Body), &got) != nil || got.Text != want {
		t.Errorf("Lambda /text: %v %d %.200s", err, resp.StatusCode, resp.Body)
	}
	for _, tt := range []struct {
		body   string
		status int
		reason string
	}{{scanPDF, 422, "no text layer"}, {"\x89PNG\r\n\x1a\n\x00\x00", 415, "unsupported"}} {
		status, out := postForm(t, srv.URL+"/text", "application/octet-stream", []byte(tt.body))
		if msg, _ := out["error"].(string); status != tt.status || !strings.Contains(msg, tt.reason) {
			t.Errorf("%d %q, want %d mentioning %q", status, msg, tt.status, tt.reason)
		}
	}
}
