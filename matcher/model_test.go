package matcher_test

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/sbert"
	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

const chefResume = "Head chef with ten years in French restaurants. Menu planning, kitchen staff training, food safety and cost control. Pastry, sauces and seasonal produce."

func readSample(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("../examples/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestModelRanksSample checks the real pipeline, YAKE and all-MiniLM-L6-v2,
// on the sample job: the data scientist's resume fits in part, the chef's
// hardly, an empty resume not at all.
func TestModelRanksSample(t *testing.T) {
	dir := sberttest.ModelDir(t)
	ctx := context.Background()
	m, err := matcher.NewFromModelDir(ctx, dir, matcher.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	job, err := m.PrepareJob(ctx, readSample(t, "job.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(job.Keywords()); n != matcher.DefaultConfig().JobKeywords {
		t.Errorf("%d job keywords, want %d", n, matcher.DefaultConfig().JobKeywords)
	}
	resumes := []string{chefResume, readSample(t, "resume.txt"), ""}
	ranked, err := m.RankResumes(ctx, job, resumes)
	if err != nil {
		t.Fatal(err)
	}
	if ranked[0].Index != 1 || ranked[1].Index != 0 || ranked[2].Result.Score != 0 {
		for _, r := range ranked {
			t.Logf("resume %d: score %.3f", r.Index, r.Result.Score)
		}
		t.Fatal("want the sample resume first, the chef second, the empty resume last with score 0")
	}
	sample := ranked[0].Result
	if sample.Score < 0.3 || sample.Score > 0.95 || len(sample.Missing) == 0 {
		t.Errorf("sample resume: score %.3f with %d missing; want a partial match", sample.Score, len(sample.Missing))
	}
	if chef := ranked[1].Result.Score; chef > sample.Score/2 {
		t.Errorf("chef scores %.3f, more than half the data scientist's %.3f", chef, sample.Score)
	}
}

// TestModelInt8 checks that NewFromModelDir passes its options to
// sbert.Load: with sbert.WithInt8 the similarities move, by little, and
// the sample resume scores about the same.
func TestModelInt8(t *testing.T) {
	dir := sberttest.ModelDir(t)
	ctx := context.Background()
	job, resume := readSample(t, "job.txt"), readSample(t, "resume.txt")
	var res [2]*matcher.Result
	for i, opts := range [][]sbert.Option{nil, {sbert.WithInt8()}} {
		m, err := matcher.NewFromModelDir(ctx, dir, matcher.DefaultConfig(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		if res[i], err = m.Match(ctx, job, resume); err != nil {
			t.Fatal(err)
		}
	}
	sims := func(r *matcher.Result) map[string]float64 {
		m := map[string]float64{}
		for _, k := range append(r.Matched, r.Missing...) {
			m[k.Keyword] = k.Similarity
		}
		return m
	}
	f32, i8 := sims(res[0]), sims(res[1])
	moved, worst := 0, 0.0
	for k, s := range f32 {
		d := math.Abs(i8[k] - s)
		worst = max(worst, d)
		if d > 0.01 {
			t.Errorf("%q: similarity %.4f in int8, %.4f in float32", k, i8[k], s)
		}
		if d > 0 {
			moved++
		}
	}
	t.Logf("%d of %d similarities moved, at most by %.4f", moved, len(f32), worst)
	if len(i8) != len(f32) || moved == 0 {
		t.Errorf("%d job keywords in int8, %d in float32, %d similarities moved: WithInt8 did not reach the model", len(i8), len(f32), moved)
	}
	if d := math.Abs(res[1].Score - res[0].Score); d > 0.1 {
		t.Errorf("score %.3f in int8, %.3f in float32", res[1].Score, res[0].Score)
	}
}

// TestModelNearestKeyword checks that the embeddings, not only the words,
// find a counterpart: with text matching off, "machine learning" is closest
// to "deep learning" among unrelated keywords.
func TestModelNearestKeyword(t *testing.T) {
	dir := sberttest.ModelDir(t)
	ctx := context.Background()
	model, err := sbert.Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := matcher.DefaultConfig()
	cfg.MatchText = false
	m, err := matcher.New(&listExtractor{}, model, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ job, resume, want string }{
		{"machine learning", "cooking, deep learning, accounting, football", "deep learning"},
		{"Kubernetes", "baking bread, container orchestration, tax law", "container orchestration"},
		{"SQL databases", "PostgreSQL, gardening, poetry", "PostgreSQL"},
	}
	for _, tt := range tests {
		res, err := m.Match(ctx, tt.job, tt.resume)
		if err != nil {
			t.Fatal(err)
		}
		k := append(res.Matched, res.Missing...)[0]
		if k.Resume != tt.want || k.Via != matcher.ViaEmbedding {
			t.Errorf("%q: counterpart %q (%.3f via %s), want %q", tt.job, k.Resume, k.Similarity, k.Via, tt.want)
		}
	}
}

func BenchmarkMatchPreparedModel(b *testing.B) {
	dir := sberttest.ModelDir(b)
	ctx := context.Background()
	m, err := matcher.NewFromModelDir(ctx, dir, matcher.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	job, err := m.PrepareJob(ctx, readSample(b, "job.txt"))
	if err != nil {
		b.Fatal(err)
	}
	resume := readSample(b, "resume.txt")
	b.ReportAllocs()
	// b.N, not b.Loop, so that -cpu sets the thread count (see
	// sbert.BenchmarkEncode). Keyword embeddings are cached after the first
	// round.
	for range b.N {
		if _, err := m.MatchPrepared(ctx, job, resume); err != nil {
			b.Fatal(err)
		}
	}
}
