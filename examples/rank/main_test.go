package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jobmatch/jobmatch/examples/internal/cli"
	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/matchertest"
	"github.com/jobmatch/jobmatch/sbert"
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
		{"missing file", []string{"-job", jobFile, "-model", "x", filepath.Join(empty, "gone.txt")}, "gone.txt"},
		{"bad format", []string{"-job", jobFile, "-model", "x", "-format", "xml", empty}, "-format"},
		{"negative top", []string{"-job", jobFile, "-model", "x", "-top", "-1", empty}, "-top"},
		{"min score over 1", []string{"-job", jobFile, "-model", "x", "-min-score", "2", empty}, "-min-score"},
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

// countingEmbedder is matchertest.HashEmbedder that counts the texts it
// embeds.
type countingEmbedder struct{ texts atomic.Int64 }

func (e *countingEmbedder) EncodeBatch(ctx context.Context, texts []string) ([][]float32, error) {
	e.texts.Add(int64(len(texts)))
	return matchertest.HashEmbedder{}.EncodeBatch(ctx, texts)
}

// Work reports the texts embedded as the model would (sbert.Model.Work).
func (e *countingEmbedder) Work() sbert.Work { return sbert.Work{Sequences: e.texts.Load()} }

// standIn makes run use the stand-in embedder and a cache of its own, and
// returns the embedder and the model folder to pass.
func standIn(t *testing.T) (*countingEmbedder, string) {
	t.Helper()
	emb := &countingEmbedder{}
	old := newMatcher
	newMatcher = func(_ context.Context, _ *cli.Model, cfg matcher.Config) (*matcher.Matcher, error) {
		return matcher.NewWithEmbedder(emb, cfg)
	}
	t.Cleanup(func() { newMatcher = old })
	t.Setenv("JOBMATCH_CACHE", t.TempDir())
	model := t.TempDir()
	if err := os.WriteFile(filepath.Join(model, "config.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	return emb, model
}

// resumeFolder writes n resumes made from the sample texts, each with a
// different share of the job's skills, and a file over the size limit.
func resumeFolder(t *testing.T, n int) (dir, tooLarge string) {
	t.Helper()
	dir = t.TempDir()
	skills := []string{"Python", "SQL", "machine learning models", "statistics", "Spark", "Airflow", "Tableau",
		"A/B tests", "Docker", "AWS", "churn prediction", "customer lifetime value", "scikit-learn", "pandas"}
	for i := range n {
		text := fmt.Sprintf("Candidate %d. Worked as a cook and as a teacher. Skills: %s.", i, strings.Join(skills[:i%len(skills)], ", "))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%03d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tooLarge = filepath.Join(dir, "zz-too-large.txt")
	if err := os.WriteFile(tooLarge, bytes.Repeat([]byte("python "), matcher.DefaultConfig().MaxTextBytes/7+1), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".hidden"), []byte("Python SQL"), 0o644)
	return dir, tooLarge
}

type row struct {
	File    string   `json:"file"`
	Score   float64  `json:"score"`
	Matched []string `json:"matched"`
	Missing []string `json:"missing"`
}

func rank(t *testing.T, args ...string) ([]row, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), append([]string{"-format", "json"}, args...), nil, &stdout, &stderr); err != nil {
		t.Fatalf("rank %q: %v\n%s", args, err, stderr.String())
	}
	var rows []row
	if err := json.Unmarshal(stdout.Bytes(), &rows); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, stdout.String())
	}
	return rows, stderr.String()
}

var fromCache = regexp.MustCompile(`(\d+) from the cache`)

func cached(t *testing.T, stderr string) int {
	t.Helper()
	m := fromCache.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no summary in stderr:\n%s", stderr)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

var embeddedTexts = regexp.MustCompile(`the model embedded (\d+) texts \(\d+ tokens, [\d.]+ GFLOP\)`)

// embedded returns the texts that the summary in stderr says the model
// embedded.
func embedded(t *testing.T, stderr string) int64 {
	t.Helper()
	m := embeddedTexts.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no model work in the summary:\n%s", stderr)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

func TestRankFolder(t *testing.T) {
	const n = 60
	emb, model := standIn(t)
	dir, tooLarge := resumeFolder(t, n)
	all, stderr := rank(t, "-job", jobFile, "-model", model, dir)
	if len(all) != n {
		t.Fatalf("%d rows for %d resumes", len(all), n)
	}
	if !slices.IsSortedFunc(all, func(a, b row) int {
		return order(entry{File: a.File, Score: a.Score}, entry{File: b.File, Score: b.Score})
	}) {
		t.Errorf("not best first: %v", all)
	}
	if all[0].Score <= all[n-1].Score || len(all[0].Matched) == 0 {
		t.Errorf("best %+v, worst %+v: want different scores", all[0], all[n-1])
	}
	if !strings.Contains(stderr, tooLarge) || !strings.Contains(stderr, "1 failed") || cached(t, stderr) != 0 {
		t.Errorf("stderr %q: want the file over the limit reported, 1 failed, nothing from the cache", stderr)
	}
	// The summary counts the texts the model embedded for the resumes:
	// all of them but the job's.
	if got, total := embedded(t, stderr), emb.texts.Load(); got <= 0 || total-got > int64(matcher.DefaultConfig().JobKeywords) {
		t.Errorf("summary: the model embedded %d texts for the resumes, %d in all", got, total)
	}

	// -top and -min-score keep a prefix of the full ranking.
	top, _ := rank(t, "-job", jobFile, "-model", model, "-top", "7", "-cache=false", dir)
	if !slices.EqualFunc(top, all[:7], func(a, b row) bool { return a.File == b.File && a.Score == b.Score }) {
		t.Errorf("-top 7: %v, want the first 7 of %v", top, all[:7])
	}
	cut := all[n/3].Score
	above, _ := rank(t, "-job", jobFile, "-model", model, "-min-score", strconv.FormatFloat(cut, 'g', -1, 64), dir)
	want := slices.IndexFunc(all, func(r row) bool { return r.Score < cut })
	if len(above) != want || above[len(above)-1].Score < cut {
		t.Errorf("-min-score %g: %d rows, want %d", cut, len(above), want)
	}

	// A second job: every resume from the cache, none embedded again, and
	// the same scores as without the cache.
	job2 := filepath.Join(t.TempDir(), "job2.txt")
	os.WriteFile(job2, []byte("Data engineer: Spark, Airflow, SQL, Docker and AWS pipelines; some Python and Tableau."), 0o644)
	before := emb.texts.Load()
	warm, stderr := rank(t, "-job", job2, "-model", model, dir)
	jobOnly := emb.texts.Load() - before
	cold, _ := rank(t, "-job", job2, "-model", model, "-cache=false", dir)
	if cached(t, stderr) != n || jobOnly > int64(matcher.DefaultConfig().JobKeywords) || embedded(t, stderr) != 0 {
		t.Errorf("second job: %d from the cache, %d texts embedded; want %d and only the job's keywords", cached(t, stderr), jobOnly, n)
	}
	if !slices.EqualFunc(warm, cold, func(a, b row) bool { return a.File == b.File && a.Score == b.Score }) {
		t.Errorf("from the cache %v\nwithout %v", warm[:3], cold[:3])
	}

	// A damaged cache is a miss, never an error.
	root := os.Getenv("JOBMATCH_CACHE")
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			os.WriteFile(p, []byte("JMRC garbage"), 0o644)
		}
		return nil
	})
	again, stderr := rank(t, "-job", job2, "-model", model, dir)
	if cached(t, stderr) != 0 || len(again) != n || again[0].File != warm[0].File || again[0].Score != warm[0].Score {
		t.Errorf("after damaging the cache: %d from it, %d rows", cached(t, stderr), len(again))
	}
}

func TestFormats(t *testing.T) {
	_, model := standIn(t)
	dir, _ := resumeFolder(t, 5)
	var out, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-job", jobFile, "-model", model, "-format", "csv", "-resumes", dir}, nil, &out, &stderr); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(recs) != 6 || recs[0][1] != "file" || recs[1][0] != "1" {
		t.Fatalf("CSV (%v): %q", err, recs)
	}
	out.Reset()
	if err := run(context.Background(), []string{"-job", jobFile, "-model", model, dir}, nil, &out, &stderr); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "RANK") || !strings.Contains(lines[1], recs[1][1]) {
		t.Errorf("table:\n%s\nwant a header and 5 rows, %s first", out.String(), recs[1][1])
	}
	if strings.Contains(stderr.String(), "ranking") {
		t.Errorf("a progress bar on a stderr that is not a terminal: %q", stderr.String())
	}
}

func TestRankSample(t *testing.T) {
	model := sberttest.ModelDir(t)
	t.Setenv("JOBMATCH_CACHE", t.TempDir())
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
	for _, pass := range []string{"cold", "warm"} {
		entries, _ := rank(t, "-job", jobFile, "-resumes", dir, "-model", model)
		var order []string
		for _, e := range entries {
			order = append(order, filepath.Base(e.File))
		}
		// The data scientist first, the chef next, the empty resume last (0).
		if strings.Join(order, " ") != "b-sample.txt a-chef.txt c-empty.txt" || entries[2].Score != 0 {
			t.Errorf("%s: ranking %+v, want the sample resume, the chef, then the empty file with score 0", pass, entries)
		}
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
	entries, _ := rank(t, "-job", "../testdata/job.pdf", "-model", model, "-cache=false", dir)
	if len(entries) != 4 || filepath.Base(entries[3].File) != "chef.md" {
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
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-job", "../testdata/job.pdf", "-model", model, "-cache=false", dir}, nil, io.Discard, &stderr)
	if err != nil || !strings.Contains(stderr.String(), "scan.pdf") || !strings.Contains(stderr.String(), "no text layer") {
		t.Errorf("a scanned resume: %v, stderr %q; want the others ranked and an error naming scan.pdf and the missing text layer", err, stderr.String())
	}
}
