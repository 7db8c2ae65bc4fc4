package main

import (
	"bytes"
	"context"
	"encoding/json"
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
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-job", jobFile, "-resumes", dir, "-model", model, "-json"}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	var entries []struct {
		File  string
		Score float64
	}
	if err := json.Unmarshal(out.Bytes(), &entries); err != nil {
		t.Fatalf("-json output does not decode: %v\n%s", err, out.String())
	}
	var order []string
	for _, e := range entries {
		order = append(order, e.File)
	}
	// The data scientist first, the chef next, the empty resume last (0).
	if strings.Join(order, " ") != "b-sample.txt a-chef.txt c-empty.txt" || entries[2].Score != 0 {
		t.Errorf("ranking %+v, want the sample resume, the chef, then the empty file with score 0", entries)
	}

	out.Reset()
	if err := run(context.Background(), []string{"-job", jobFile, "-resumes", dir, "-model", model}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "RANK") || !strings.Contains(lines[1], "b-sample.txt") {
		t.Errorf("table:\n%s\nwant a header and three rows, the sample resume first", out.String())
	}
}
