package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

const jobFile = "../testdata/job.txt"

func TestUsageErrors(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no flags", nil, "required"},
		{"no resumes", []string{"-job", jobFile}, "required"},
		{"no model", []string{"-job", jobFile, "-resumes", empty, "-model", ""}, "no model"},
		{"empty folder", []string{"-job", jobFile, "-resumes", empty, "-model", "x"}, "no resume files"},
		{"missing folder", []string{"-job", jobFile, "-resumes", filepath.Join(empty, "nope"), "-model", "x"}, "nope"},
		{"missing folder as argument", []string{"-job", jobFile, "-model", "x", filepath.Join(empty, "nope")}, "nope"},
		{"two folders", []string{"-job", jobFile, "-resumes", empty, "-model", "x", empty}, "one resume directory"},
		{"three arguments", []string{"-job", jobFile, "-model", "x", empty, empty}, "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, nil, &stdout, &stderr)
			if err == nil {
				t.Fatal("run succeeded")
			}
			if msg := err.Error() + stderr.String(); !strings.Contains(msg, tt.want) {
				t.Errorf("error %q, stderr %q: want %q", err, stderr.String(), tt.want)
			}
		})
	}
}

func TestRankSample(t *testing.T) {
	model := sberttest.ModelDir(t)
	dir := t.TempDir()
	sample, err := os.ReadFile("../testdata/resume.txt")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"a-chef.txt":   "Head chef with ten years in French restaurants. Menu planning, kitchen staff training, food safety and cost control. Pastry and sauces.",
		"b-sample.txt": string(sample),
		"c-empty.txt":  "",
		".hidden":      string(sample),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	entries := rankJSON(t, "-job", jobFile, "-resumes", dir, "-model", model, "-json")
	var order []string
	for _, e := range entries {
		order = append(order, e.File)
	}
	// The data scientist first, the chef next, the empty resume last (0).
	if strings.Join(order, " ") != "b-sample.txt a-chef.txt c-empty.txt" || entries[2].Score != 0 {
		t.Errorf("ranking %+v, want the sample resume, the chef, then the empty file with score 0", entries)
	}

	var out bytes.Buffer
	if err := run(context.Background(), []string{"-job", jobFile, "-resumes", dir, "-model", model}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "RANK") || !strings.Contains(lines[1], "b-sample.txt") {
		t.Errorf("table:\n%s\nwant a header and three rows, the sample resume first", out.String())
	}
}

// TestRankDocuments ranks a folder of PDF, DOCX and text resumes against a
// PDF job, the folder given as the argument: the sample resume ranks first
// in every format, with the score of its text, and a scan makes an error
// that names the file and says why.
func TestRankDocuments(t *testing.T) {
	model := sberttest.ModelDir(t)
	dir := t.TempDir()
	for _, name := range []string{"resume.pdf", "resume.docx", "resume.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	chef := "Head chef with ten years in French restaurants. Menu planning, kitchen staff training, food safety and cost control."
	if err := os.WriteFile(filepath.Join(dir, "chef.md"), []byte("# Chef\n\n"+chef), 0o644); err != nil {
		t.Fatal(err)
	}
	entries := rankJSON(t, "-job", "../testdata/job.pdf", "-model", model, "-json", dir)
	if len(entries) != 4 || entries[3].File != "chef.md" {
		t.Fatalf("ranking %+v, want the three samples, then the chef", entries)
	}
	for _, e := range entries[1:3] {
		if math.Abs(e.Score-entries[0].Score) > 0.005 {
			t.Errorf("%s scores %.4f, %s %.4f: the formats of one resume should score alike", e.File, e.Score, entries[0].File, entries[0].Score)
		}
	}

	scan := "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
		"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\nxref\n0 4\n0000000000 65535 f \n" +
		"0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"
	if err := os.WriteFile(filepath.Join(dir, "scan.pdf"), []byte(scan), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"-job", "../testdata/job.pdf", "-model", model, dir}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "scan.pdf") || !strings.Contains(err.Error(), "no text layer") {
		t.Errorf("a scanned resume: %v, want an error naming scan.pdf and the missing text layer", err)
	}
}

type ranked struct {
	File  string
	Score float64
}

// rankJSON runs the command with args, which ask for -json, and decodes
// the ranking.
func rankJSON(t *testing.T, args ...string) []ranked {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), args, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	var entries []ranked
	if err := json.Unmarshal(out.Bytes(), &entries); err != nil {
		t.Fatalf("-json output does not decode: %v\n%s", err, out.String())
	}
	return entries
}
