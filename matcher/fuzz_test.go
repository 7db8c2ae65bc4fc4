package matcher_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/jobmatch/jobmatch/matcher"
)

// FuzzMatch feeds arbitrary texts to Match with the fakes: it must never
// panic, and any result must be well formed.
func FuzzMatch(f *testing.F) {
	f.Add(scenarioJob, scenarioResume, 0.6, false)
	f.Add("", "", 0.0, true)
	f.Add("Ｃ＋＋, c++,C++ ,\xff\xfe", "c++\x00, naïve ﬁle", 1.0, true)
	f.Add("a,a,a,b", "b,b,a", 0.3, false)
	f.Fuzz(func(t *testing.T, job, resume string, threshold float64, matchText bool) {
		if math.IsNaN(threshold) || threshold < 0 || threshold > 1 {
			threshold = 0.5
		}
		cfg := matcher.DefaultConfig()
		cfg.Threshold, cfg.MatchText = threshold, matchText
		cfg.MaxTextBytes = 4096
		cfg.JobKeywords, cfg.ResumeKeywords = 5, 7
		m, err := matcher.New(&listExtractor{}, &tableEmbedder{table: scenarioTable()}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Match(context.Background(), job, resume)
		if err != nil {
			if !errors.Is(err, matcher.ErrEmptyJob) && !errors.Is(err, matcher.ErrTooLarge) {
				t.Fatalf("Match(%q, %q): unexpected error %v", job, resume, err)
			}
			return
		}
		if !(res.Score >= 0 && res.Score <= 1) {
			t.Fatalf("score %g outside [0, 1]", res.Score)
		}
		n := len(res.Matched) + len(res.Missing)
		if n == 0 || n > cfg.JobKeywords {
			t.Fatalf("%d job keywords in the result, want 1 to %d", n, cfg.JobKeywords)
		}
		var sum, score float64
		for _, k := range res.Matched {
			if k.Similarity < threshold || k.Via == "" || k.Via == matcher.ViaNone {
				t.Fatalf("matched %+v below threshold %g or without a way", k, threshold)
			}
			score += k.Importance * max(0, k.Similarity)
			sum += k.Importance
		}
		for _, k := range res.Missing {
			if k.Similarity >= threshold && k.Via != matcher.ViaNone {
				t.Fatalf("missing %+v at or above threshold %g", k, threshold)
			}
			sum += k.Importance
		}
		if math.Abs(sum-1) > 1e-9 || math.Abs(score-res.Score) > 1e-9 {
			t.Fatalf("importances sum to %g, score %g recomputed as %g", sum, res.Score, score)
		}
	})
}
