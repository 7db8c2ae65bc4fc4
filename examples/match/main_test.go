package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

const (
	resumeFile = "../testdata/resume.txt"
	jobFile    = "../testdata/job.txt"
)

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no flags", nil, "required"},
		{"no job", []string{"-resume", resumeFile}, "required"},
		{"no model", []string{"-resume", resumeFile, "-job", jobFile, "-model", ""}, "no model"},
		{"bad flag", []string{"-nope"}, "not defined"},
		{"extra argument", []string{"-resume", resumeFile, "-job", jobFile, "-model", "x", "more"}, "unexpected"},
		{"missing file", []string{"-resume", "nonexistent.txt", "-job", jobFile, "-model", "x"}, "nonexistent.txt"},
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

func TestMatchSample(t *testing.T) {
	dir := sberttest.ModelDir(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-resume", resumeFile, "-job", jobFile, "-model", dir}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Score: ", "Language: job en, resume en", "Why: ", "Matched", "Missing", "similarity", "resume line"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if err := run(context.Background(), []string{"-json", "-threshold", "0.7", "-resume", resumeFile, "-job", jobFile, "-model", dir}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Score    float64
		Matched  []struct{ Keyword string }
		Missing  []struct{ Keyword string }
		Settings struct{ Threshold float64 }
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("-json output does not decode: %v\n%s", err, out.String())
	}
	// The sample resume fits the job in part: some of its keywords, not all.
	if res.Score <= 0 || res.Score >= 1 || len(res.Matched) == 0 || len(res.Missing) == 0 {
		t.Errorf("score %g with %d matched and %d missing; want a partial match", res.Score, len(res.Matched), len(res.Missing))
	}
	if res.Settings.Threshold != 0.7 {
		t.Errorf("threshold %g in the settings, want 0.7 from -threshold", res.Settings.Threshold)
	}
}

// TestReportWarnings checks that a result's warnings reach the reader.
func TestReportWarnings(t *testing.T) {
	res := &matcher.Result{Missing: []matcher.Keyword{{Keyword: "python", Via: matcher.ViaNone}}, Warnings: []string{matcher.WarnResumeEmpty}}
	var out bytes.Buffer
	if err := report(&out, res, "", ""); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Warning: "+matcher.WarnResumeEmpty) {
		t.Errorf("report lacks the warning:\n%s", out.String())
	}
}

// TestMatchDocuments checks that a resume and a job given as PDF or DOCX
// (LibreOffice's renderings of the sample texts) match as the texts do, and
// that a file's name does not matter: a PDF named .docx is read as a PDF.
func TestMatchDocuments(t *testing.T) {
	dir := sberttest.ModelDir(t)
	score := func(resume, job string) float64 {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), []string{"-json", "-resume", resume, "-job", job, "-model", dir}, nil, &out, &out); err != nil {
			t.Fatalf("%s, %s: %v", resume, job, err)
		}
		var res struct{ Score float64 }
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		return res.Score
	}
	want := score(resumeFile, jobFile)
	renamed := filepath.Join(t.TempDir(), "resume.docx")
	pdf, err := os.ReadFile("../testdata/resume.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(renamed, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, resume := range []string{"../testdata/resume.pdf", "../testdata/resume.docx", renamed} {
		for _, job := range []string{"../testdata/job.pdf", "../testdata/job.docx"} {
			if got := score(resume, job); math.Abs(got-want) > 0.005 {
				t.Errorf("%s against %s: score %.4f; the texts score %.4f", resume, job, got, want)
			}
		}
	}
}

// TestLines checks the line numbers of the evidence.
func TestLines(t *testing.T) {
	text := "one\ntwo python\nthree python\n"
	spans := []matcher.Span{{Start: 8, End: 14}, {Start: 21, End: 27}, {Start: 22, End: 27}, {Start: 99, End: 100}}
	if got := lines(text, spans); got != "2,3" {
		t.Errorf("lines = %q, want 2,3", got)
	}
	if got := lines(text, nil); got != "-" {
		t.Errorf("lines of no spans = %q, want -", got)
	}
}
