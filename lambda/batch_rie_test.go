//go:build unix

package lambda_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/lambda"
	"github.com/jobmatch/jobmatch/lambda/internal/rie"
	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// fakeS3 answers the two S3 calls of a batch, path-style, as S3 does:
// GetObject with a Range (206, 404 NoSuchKey, 416 InvalidRange on an empty
// object) and PutObject. It checks no signature.
type fakeS3 struct {
	t       *testing.T
	mu      sync.Mutex
	objects map[string][]byte // "bucket/key"
	ranges  []string          // the Range of every GET
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name := strings.TrimPrefix(r.URL.Path, "/")
	s3err := func(status int, code string) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message></Error>`, code, code)
	}
	switch r.Method {
	case http.MethodGet:
		f.ranges = append(f.ranges, r.Header.Get("Range"))
		b, ok := f.objects[name]
		if !ok {
			s3err(http.StatusNotFound, "NoSuchKey")
			return
		}
		var last int
		if _, err := fmt.Sscanf(r.Header.Get("Range"), "bytes=0-%d", &last); err != nil {
			f.t.Errorf("GET %s without a range from 0: %q", name, r.Header.Get("Range"))
			last = len(b) - 1
		}
		if len(b) == 0 {
			s3err(http.StatusRequestedRangeNotSatisfiable, "InvalidRange")
			return
		}
		part := b[:min(len(b), last+1)]
		w.Header().Set("Content-Range", fmt.Sprintf("bytes 0-%d/%d", len(part)-1, len(b)))
		w.Header().Set("Content-Length", fmt.Sprint(len(part)))
		w.WriteHeader(http.StatusPartialContent)
		w.Write(part)
	case http.MethodPut:
		if strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked") {
			f.t.Errorf("PUT %s: aws-chunked body (is AWS_REQUEST_CHECKSUM_CALCULATION set?)", name)
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			s3err(http.StatusBadRequest, "IncompleteBody")
			return
		}
		f.objects[name] = b
		w.Header().Set("ETag", `"0"`)
		w.WriteHeader(http.StatusOK)
	default:
		s3err(http.StatusMethodNotAllowed, "MethodNotAllowed")
	}
}

func (f *fakeS3) object(name string) ([]byte, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.objects[name]
	return bytes.Clone(b), ok
}

// TestEmulatorBatch runs the function under the emulator with Distributed
// Map batch events as Step Functions sends them (an ItemBatcher's
// BatchInput, and Items from an S3 listing ItemReader), the resumes and the
// results in a fake S3 on loopback, and the real model.
func TestEmulatorBatch(t *testing.T) {
	riePath := riePath(t)
	modelDir := sberttest.ModelDir(t)
	read := func(name string) []byte {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	resume, job := read("../examples/testdata/resume.txt"), read("../examples/testdata/job.txt")
	s3 := &fakeS3{t: t, objects: map[string][]byte{
		"resumes/in/0001.txt": resume,
		"resumes/in/0002.txt": []byte("Pastry chef: croissants, sourdough, laminated doughs and wedding cakes for a busy bakery."),
		"resumes/in/0003.txt": {},
	}}
	srv := httptest.NewServer(s3)
	defer srv.Close()

	bin, err := bootstrap()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	e, err := rie.Start(ctx, riePath, bin, "JOBMATCH_MODEL_DIR="+modelDir,
		"AWS_ENDPOINT_URL_S3="+srv.URL, "AWS_REGION=eu-west-1", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_REQUEST_CHECKSUM_CALCULATION=when_required")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()

	// A child's input as the map state of terraform/modules/batch builds
	// it: BatchInput from the ItemBatcher, Items from ListObjectsV2.
	item := func(key string, size int) string {
		return fmt.Sprintf(`{"Etag": "\"5d41402abc4b2a76b9719d911017c592\"", "Key": %q, "LastModified": 1764748800, "Size": %d, "StorageClass": "STANDARD"}`, key, size)
	}
	batch := func(items ...string) []byte {
		return []byte(`{"BatchInput": {"job": ` + string(mustMarshal(t, string(job))) + `, "bucket": "resumes", ` +
			`"results_bucket": "results", "results_prefix": "ranking/exec-1"}, "Items": [` + strings.Join(items, ", ") + `]}`)
	}
	ev := batch(item("in/0001.txt", len(resume)), item("in/0002.txt", 90), item("in/0003.txt", 0), item("in/0404.txt", 10))
	var outs []lambda.BatchOutput
	for range 2 { // cold, then warm: a retry of the same batch
		raw, err := e.InvokeRaw(ctx, ev)
		if err != nil {
			t.Fatalf("%v\nlogs:\n%s", err, e.Logs())
		}
		var out lambda.BatchOutput
		if err := json.Unmarshal(raw, &out); err != nil || out.Results == "" {
			t.Fatalf("not a batch output: %s\nlogs:\n%s", raw, e.Logs())
		}
		outs = append(outs, out)
	}
	out := outs[0]
	if out.Items != 4 || out.Scored != 3 || out.Failed != 1 {
		t.Errorf("items %d scored %d failed %d, want 4, 3, 1", out.Items, out.Scored, out.Failed)
	}
	if outs[1].Results != out.Results {
		t.Errorf("the retry wrote %s, the first run %s", outs[1].Results, out.Results)
	}
	name, ok := strings.CutPrefix(out.Results, "s3://")
	if !ok || !strings.HasPrefix(name, "results/ranking/exec-1/batches/") {
		t.Fatalf("results at %s", out.Results)
	}
	body, ok := s3.object(name)
	if !ok {
		t.Fatalf("no %s in S3", name)
	}
	var lines []lambda.BatchResult
	for sc := bufio.NewScanner(bytes.NewReader(body)); sc.Scan(); {
		var r lambda.BatchResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, r)
	}
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4:\n%s", len(lines), body)
	}
	if lines[0].Score == nil || lines[1].Score == nil || *lines[0].Score <= *lines[1].Score || *lines[0].Score < 0.3 {
		t.Errorf("the data scientist's resume does not beat the pastry chef's clearly: %+v %+v", lines[0], lines[1])
	}
	if lines[2].Score == nil || *lines[2].Score != 0 || len(lines[2].Warnings) == 0 {
		t.Errorf("the empty resume: %+v, want score 0 with a warning", lines[2])
	}
	if lines[3].Score != nil || !strings.Contains(lines[3].Error, "no such object") {
		t.Errorf("the missing resume: %+v", lines[3])
	}
	if len(out.Top) != 3 || out.Top[0].Key != "in/0001.txt" {
		t.Errorf("top: %+v", out.Top)
	}
	for _, r := range s3.ranges {
		if r != fmt.Sprintf("bytes=0-%d", lambda.DefaultMaxItemBytes) {
			t.Errorf("GET with Range %q, want the item limit", r)
		}
	}

	// Too many items: the whole batch fails, as Lambda reports errors.
	many := make([]string, lambda.DefaultMaxBatchItems+1)
	for i := range many {
		many[i] = item(fmt.Sprintf("in/%04d.txt", i), 10)
	}
	raw, err := e.InvokeRaw(ctx, batch(many...))
	if err != nil || !strings.Contains(string(raw), `"errorMessage"`) || !strings.Contains(string(raw), "the limit is") {
		t.Errorf("oversize batch: %s %v", raw, err)
	}
	// The same function still answers HTTP events.
	check(t, e, invocation{"GET", "/health", "", 200})
	if n := strings.Count(e.Logs(), `"msg":"model loaded"`); n != 1 {
		t.Errorf("model loaded %d times, want once", n)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
