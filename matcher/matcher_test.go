package matcher_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/similarity"
)

// vec returns an 8-dimensional vector (the length of hashVector) starting
// with xs.
func vec(xs ...float32) []float32 {
	v := make([]float32, 8)
	copy(v, xs)
	return v
}

// scenario: kubernetes and k8s are the same concept, sql and excel are half
// alike (cosine 1/2), python stands alone.
func scenarioTable() map[string][]float32 {
	return map[string][]float32{
		"python":     vec(0, 0, 1),
		"kubernetes": vec(1),
		"k8s":        vec(1),
		"sql":        vec(0, 1),
		"excel":      vec(0, 1, 0, float32(math.Sqrt(3))),
	}
}

const (
	scenarioJob    = "Python, Kubernetes, SQL"
	scenarioResume = "python. k8s. Excel"
)

// noVocabulary knows no aliases, non-skill words or places: the tests of
// the matching itself use it, vocab_test.go tests the vocabulary.
var noVocabulary, _ = matcher.ParseVocabulary(strings.NewReader(""))

func newMatcher(t testing.TB, emb matcher.Embedder, edit func(*matcher.Config)) *matcher.Matcher {
	t.Helper()
	cfg := matcher.DefaultConfig()
	cfg.Vocabulary = noVocabulary
	if edit != nil {
		edit(&cfg)
	}
	m, err := matcher.New(&listExtractor{}, emb, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func keywordsOf(ks []matcher.Keyword) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.Keyword
	}
	return out
}

func TestMatchScenario(t *testing.T) {
	// Rank weights of three keywords: 1, 1/log2(3), 1/2.
	r0, r1, r2 := 1.0, 1/math.Log2(3), 0.5
	sum := r0 + r1 + r2
	tests := []struct {
		name        string
		threshold   float64
		weighting   matcher.Weighting
		wantScore   float64
		wantMatched []string
		wantMissing []string
	}{
		{"rank 0.6", 0.6, matcher.WeightRank, (r0 + r1) / sum, []string{"Python", "Kubernetes"}, []string{"SQL"}},
		{"rank 0.4", 0.4, matcher.WeightRank, (r0 + r1 + r2*0.5) / sum, []string{"Python", "Kubernetes", "SQL"}, nil},
		{"uniform 0.6", 0.6, matcher.WeightUniform, 2.0 / 3, []string{"Python", "Kubernetes"}, []string{"SQL"}},
		// 1/(s+0.01) for s = 0.01, 0.02, 0.03: 50, 33.3, 25.
		{"inverse 0.6", 0.6, matcher.WeightInverse, (50 + 100.0/3) / (50 + 100.0/3 + 25), []string{"Python", "Kubernetes"}, []string{"SQL"}},
		// Identical unit vectors have similarity exactly 1, and ≥ counts.
		{"rank 1.0", 1, matcher.WeightRank, (r0 + r1) / sum, []string{"Python", "Kubernetes"}, []string{"SQL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMatcher(t, &tableEmbedder{table: scenarioTable()}, func(c *matcher.Config) {
				c.Threshold, c.Weighting = tt.threshold, tt.weighting
			})
			res, err := m.Match(context.Background(), scenarioJob, scenarioResume)
			if err != nil {
				t.Fatal(err)
			}
			if !near(res.Score, tt.wantScore) {
				t.Errorf("Score = %.9f, want %.9f", res.Score, tt.wantScore)
			}
			if got := keywordsOf(res.Matched); !slices.Equal(got, tt.wantMatched) {
				t.Errorf("Matched = %q, want %q", got, tt.wantMatched)
			}
			if got := keywordsOf(res.Missing); !slices.Equal(got, tt.wantMissing) && len(got)+len(tt.wantMissing) > 0 {
				t.Errorf("Missing = %q, want %q", got, tt.wantMissing)
			}
			var total float64
			for _, k := range slices.Concat(res.Matched, res.Missing) {
				total += k.Importance
				want := map[string]struct {
					resume string
					sim    float64
					via    matcher.Via
				}{
					"Python":     {"python", 1, matcher.ViaKeyword},
					"Kubernetes": {"k8s", 1, matcher.ViaEmbedding},
					"SQL":        {"Excel", 0.5, matcher.ViaEmbedding},
				}[k.Keyword]
				if k.Resume != want.resume || !near(k.Similarity, want.sim) || k.Via != want.via {
					t.Errorf("%s: counterpart %q, similarity %g, via %q; want %q, %g, %q",
						k.Keyword, k.Resume, k.Similarity, k.Via, want.resume, want.sim, want.via)
				}
			}
			if !near(total, 1) {
				t.Errorf("importances sum to %g, want 1", total)
			}
			if res.Settings.Threshold != tt.threshold || res.Settings.Weighting != tt.weighting {
				t.Errorf("Settings = %+v, want threshold %g weighting %q", res.Settings, tt.threshold, tt.weighting)
			}
		})
	}
}

func TestMatchEmbedsOnceAcrossCalls(t *testing.T) {
	emb := &tableEmbedder{table: scenarioTable()}
	m := newMatcher(t, emb, nil)
	ctx := context.Background()
	for range 3 {
		if _, err := m.Match(ctx, scenarioJob, scenarioResume); err != nil {
			t.Fatal(err)
		}
	}
	// One batch for the job; one for the resume, without python (cached).
	want := [][]string{{"python", "kubernetes", "sql"}, {"k8s", "excel"}}
	if !slices.EqualFunc(emb.calls, want, slices.Equal) {
		t.Errorf("embedder calls = %q, want %q", emb.calls, want)
	}
}

func TestCacheBoundAndDisabled(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		size      int
		wantCalls int
	}{
		{-1, 6}, // no cache: job and resume embedded on each of the 3 calls
		{2, 6},  // too small for the 3 job keywords: evicted every time
		{0, 2},  // default size
		{5, 2},  // exactly big enough
	} {
		emb := &tableEmbedder{table: scenarioTable()}
		m := newMatcher(t, emb, func(c *matcher.Config) { c.CacheSize = tt.size })
		for range 3 {
			if _, err := m.Match(ctx, scenarioJob, scenarioResume); err != nil {
				t.Fatal(err)
			}
		}
		if got := emb.numCalls(); got != tt.wantCalls {
			t.Errorf("CacheSize %d: %d embedder calls, want %d (%q)", tt.size, got, tt.wantCalls, emb.calls)
		}
	}
}

func TestExactMatchesNeedNoModel(t *testing.T) {
	emb := &tableEmbedder{}
	m := newMatcher(t, emb, func(c *matcher.Config) { c.MatchText = false })
	ctx := context.Background()
	job, err := m.PrepareJob(ctx, "Machine   Learning, ＰＹＴＨＯＮ, Data ﬁles")
	if err != nil {
		t.Fatal(err)
	}
	before := emb.numCalls()
	res, err := m.MatchPrepared(ctx, job, "data files, python, something else, machine learning")
	if err != nil {
		t.Fatal(err)
	}
	if n := emb.numCalls() - before; n != 0 {
		t.Errorf("%d embedder calls for a resume that matches every job keyword exactly, want 0", n)
	}
	if res.Score != 1 || len(res.Missing) != 0 {
		t.Errorf("Score = %g, missing %q; want 1 and none", res.Score, keywordsOf(res.Missing))
	}
	for _, k := range res.Matched {
		if k.Via != matcher.ViaKeyword || k.Similarity != 1 {
			t.Errorf("%q matched via %q with %g, want via keyword with 1", k.Keyword, k.Via, k.Similarity)
		}
	}
}

func TestMatchText(t *testing.T) {
	ctx := context.Background()
	job := "machine learning, C++, data"
	resume := "I did Machine-Learning in C++ for years.\ndatabases"
	for _, on := range []bool{true, false} {
		emb := &tableEmbedder{}
		m := newMatcher(t, emb, func(c *matcher.Config) { c.MatchText = on; c.Threshold = 1 })
		res, err := m.Match(ctx, job, resume)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, k := range res.Matched {
			if k.Via == matcher.ViaText {
				got = append(got, k.Keyword)
			}
		}
		// "data" is only part of the word "databases": no match.
		want := []string{"machine learning", "C++"}
		if !on {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Errorf("MatchText %v: matched via text %q, want %q", on, got, want)
		}
	}
}

func TestEmptyTexts(t *testing.T) {
	ctx := context.Background()
	emb := &tableEmbedder{table: scenarioTable()}
	m := newMatcher(t, emb, nil)
	for _, job := range []string{"", "   \n\t ", ", . ,"} {
		if _, err := m.Match(ctx, job, scenarioResume); !errors.Is(err, matcher.ErrEmptyJob) {
			t.Errorf("Match(job %q) error = %v, want ErrEmptyJob", job, err)
		}
	}
	for _, resume := range []string{"", "  \n"} {
		res, err := m.Match(ctx, scenarioJob, resume)
		if err != nil {
			t.Fatalf("Match(resume %q): %v", resume, err)
		}
		if res.Score != 0 || len(res.Matched) != 0 || len(res.Missing) != 3 {
			t.Errorf("resume %q: score %g, matched %q, missing %q; want 0, none, all 3",
				resume, res.Score, keywordsOf(res.Matched), keywordsOf(res.Missing))
		}
		for _, k := range res.Missing {
			if k.Resume != "" || k.Similarity != 0 || k.Via != matcher.ViaNone {
				t.Errorf("missing %+v: want no counterpart, via %q", k, matcher.ViaNone)
			}
		}
		if !slices.Equal(res.Warnings, []string{matcher.WarnResumeEmpty}) {
			t.Errorf("warnings %q, want %q", res.Warnings, matcher.WarnResumeEmpty)
		}
		b, _ := json.Marshal(res)
		if !strings.Contains(string(b), `"matched":[]`) || !strings.Contains(string(b), `"via":"none"`) {
			t.Errorf("JSON %s: want an empty matched array and via none", b)
		}
	}
}

func TestTooLarge(t *testing.T) {
	ctx := context.Background()
	m := newMatcher(t, &tableEmbedder{}, func(c *matcher.Config) { c.MaxTextBytes = 100 })
	big := strings.Repeat("x", 101)
	if _, err := m.Match(ctx, big, "python"); !errors.Is(err, matcher.ErrTooLarge) {
		t.Errorf("job of 101 bytes: error %v, want ErrTooLarge", err)
	}
	if _, err := m.Match(ctx, "python", big); !errors.Is(err, matcher.ErrTooLarge) {
		t.Errorf("resume of 101 bytes: error %v, want ErrTooLarge", err)
	}
	if _, err := m.Match(ctx, strings.Repeat("x", 100), "python"); err != nil {
		t.Errorf("job of 100 bytes: %v", err)
	}
}

func TestMissingOrderedByImportance(t *testing.T) {
	m := newMatcher(t, &tableEmbedder{}, func(c *matcher.Config) { c.Threshold = 1 })
	res, err := m.Match(context.Background(), "a1, b2, c3, python, d4, e5", "python")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := keywordsOf(res.Missing), []string{"a1", "b2", "c3", "d4", "e5"}; !slices.Equal(got, want) {
		t.Errorf("Missing = %q, want %q", got, want)
	}
	for i := 1; i < len(res.Missing); i++ {
		if res.Missing[i].Importance > res.Missing[i-1].Importance {
			t.Errorf("missing %d more important than %d", i, i-1)
		}
	}
}

func TestKeywordCounts(t *testing.T) {
	emb := &tableEmbedder{}
	m := newMatcher(t, emb, func(c *matcher.Config) { c.JobKeywords, c.ResumeKeywords, c.MatchText = 2, 3, false })
	res, err := m.Match(context.Background(), "j1, j2, j3, j4", "r1, r2, r3, r4, j3")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Matched) + len(res.Missing); n != 2 {
		t.Errorf("%d job keywords in the result, want 2", n)
	}
	// j3 is the resume's 5th keyword: beyond ResumeKeywords, not seen.
	want := [][]string{{"j1", "j2"}, {"r1", "r2", "r3"}}
	if !slices.EqualFunc(emb.calls, want, slices.Equal) {
		t.Errorf("embedder calls = %q, want %q", emb.calls, want)
	}
}

func TestJSONFieldNames(t *testing.T) {
	m := newMatcher(t, &tableEmbedder{table: scenarioTable()}, nil)
	res, err := m.Match(context.Background(), scenarioJob, scenarioResume)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if got, want := slices.Sorted(mapKeys(doc)), []string{"explanation", "language", "matched", "missing", "score", "settings", "warnings"}; !slices.Equal(got, want) {
		t.Errorf("top-level fields %q, want %q", got, want)
	}
	var matched []map[string]any
	if err := json.Unmarshal(doc["matched"], &matched); err != nil {
		t.Fatal(err)
	}
	want := []string{"contribution", "importance", "job_spans", "keyword", "optional", "resume_keyword", "resume_spans", "similarity", "via", "yake_score"}
	if got := slices.Sorted(mapKeys(matched[0])); !slices.Equal(got, want) {
		t.Errorf("keyword fields %q, want %q", got, want)
	}
	var settings map[string]any
	if err := json.Unmarshal(doc["settings"], &settings); err != nil {
		t.Fatal(err)
	}
	wantSettings := []string{"job_keywords", "language", "match_text", "max_ngram", "model_languages", "optional_discount", "resume_keywords", "threshold", "weighting", "years_shortfall"}
	if got := slices.Sorted(mapKeys(settings)); !slices.Equal(got, wantSettings) {
		t.Errorf("settings fields %q, want %q", got, wantSettings)
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		edit func(*matcher.Config)
	}{
		{"job keywords", func(c *matcher.Config) { c.JobKeywords = 0 }},
		{"resume keywords", func(c *matcher.Config) { c.ResumeKeywords = -1 }},
		{"n-gram", func(c *matcher.Config) { c.MaxNGram = 0 }},
		{"threshold above 1", func(c *matcher.Config) { c.Threshold = 1.01 }},
		{"threshold below 0", func(c *matcher.Config) { c.Threshold = -0.1 }},
		{"threshold NaN", func(c *matcher.Config) { c.Threshold = math.NaN() }},
		{"weighting", func(c *matcher.Config) { c.Weighting = "log" }},
		{"max text", func(c *matcher.Config) { c.MaxTextBytes = 0 }},
		{"concurrency", func(c *matcher.Config) { c.Concurrency = -2 }},
	}
	for _, tt := range tests {
		cfg := matcher.DefaultConfig()
		tt.edit(&cfg)
		if _, err := matcher.New(&listExtractor{}, &tableEmbedder{}, cfg); err == nil {
			t.Errorf("%s: New accepted %+v", tt.name, cfg)
		}
	}
	if _, err := matcher.New(nil, &tableEmbedder{}, matcher.DefaultConfig()); err == nil {
		t.Error("New accepted a nil extractor")
	}
	if _, err := matcher.New(&listExtractor{}, &tableEmbedder{}, matcher.DefaultConfig()); err != nil {
		t.Errorf("DefaultConfig: %v", err)
	}
}

func TestComponentErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("extractor", func(t *testing.T) {
		m, _ := matcher.New(&listExtractor{fail: "boom"}, &tableEmbedder{}, matcher.DefaultConfig())
		if _, err := m.Match(ctx, "python", "boom"); !errors.Is(err, errExtract) {
			t.Errorf("error %v, want the extractor's", err)
		}
	})
	t.Run("embedder", func(t *testing.T) {
		boom := errors.New("boom")
		m := newMatcher(t, &tableEmbedder{err: boom}, nil)
		if _, err := m.Match(ctx, "python", "go"); !errors.Is(err, boom) {
			t.Errorf("error %v, want the embedder's", err)
		}
	})
	t.Run("zero vector", func(t *testing.T) {
		m := newMatcher(t, &tableEmbedder{table: map[string][]float32{"go": vec()}}, nil)
		if _, err := m.Match(ctx, "python", "go"); !errors.Is(err, similarity.ErrZeroVector) {
			t.Errorf("error %v, want ErrZeroVector", err)
		}
	})
	t.Run("dimension", func(t *testing.T) {
		m := newMatcher(t, &tableEmbedder{table: map[string][]float32{"go": {1, 2}}}, nil)
		if _, err := m.Match(ctx, "python", "go"); !errors.Is(err, similarity.ErrDimensionMismatch) {
			t.Errorf("error %v, want ErrDimensionMismatch", err)
		}
	})
	t.Run("short batch", func(t *testing.T) {
		m := newMatcher(t, shortEmbedder{}, nil)
		if _, err := m.Match(ctx, "python, go", "rust"); err == nil {
			t.Error("no error for an embedder that returns too few vectors")
		}
	})
}

type shortEmbedder struct{}

func (shortEmbedder) EncodeBatch(_ context.Context, texts []string) ([][]float32, error) {
	return [][]float32{vec(1)}, nil
}

// resumes for the ranking tests, best first for scenarioJob under the
// default config, with a tie between 2 and 4.
var rankResumes = []string{
	"",                                 // 0: nothing
	"python, k8s, sql",                 // 1: everything
	"k8s",                              // 2: second keyword only
	"python, kubernetes, excel, other", // 3: first two
	"kubernetes",                       // 4: same as 2
}

func TestRankResumes(t *testing.T) {
	ctx := context.Background()
	for _, conc := range []int{1, 3, 16} {
		emb := &tableEmbedder{table: scenarioTable()}
		m := newMatcher(t, emb, func(c *matcher.Config) { c.Concurrency = conc })
		job, err := m.PrepareJob(ctx, scenarioJob)
		if err != nil {
			t.Fatal(err)
		}
		ranked, err := m.RankResumes(ctx, job, rankResumes)
		if err != nil {
			t.Fatal(err)
		}
		var order []int
		for _, r := range ranked {
			order = append(order, r.Index)
			single, err := m.MatchPrepared(ctx, job, rankResumes[r.Index])
			if err != nil {
				t.Fatal(err)
			}
			if single.Score != r.Result.Score {
				t.Errorf("resume %d: ranked score %g, single %g", r.Index, r.Result.Score, single.Score)
			}
		}
		if want := []int{1, 3, 2, 4, 0}; !slices.Equal(order, want) {
			t.Errorf("concurrency %d: order %v, want %v", conc, order, want)
		}
		for text, n := range emb.requests() {
			if n != 1 {
				t.Errorf("concurrency %d: %q embedded %d times", conc, text, n)
			}
		}
	}
}

func TestRankJobs(t *testing.T) {
	ctx := context.Background()
	m := newMatcher(t, &tableEmbedder{table: scenarioTable()}, nil)
	var jobs []*matcher.Job
	for _, text := range []string{"excel", "python, kubernetes, sql", "python, cobol", "sql"} {
		j, err := m.PrepareJob(ctx, text)
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, j)
	}
	ranked, err := m.RankJobs(ctx, "python. k8s. Excel", jobs)
	if err != nil {
		t.Fatal(err)
	}
	var order []int
	for _, r := range ranked {
		order = append(order, r.Index)
	}
	// excel: 1; python kubernetes sql: 0.77; python cobol: 1/(1+1/log2 3); sql: 0.
	if want := []int{0, 1, 2, 3}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
}

func TestRankErrorAndCancel(t *testing.T) {
	ctx := context.Background()
	t.Run("error names the resume", func(t *testing.T) {
		m, _ := matcher.New(&listExtractor{fail: "boom"}, &tableEmbedder{}, matcher.DefaultConfig())
		job, err := m.PrepareJob(ctx, "python")
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.RankResumes(ctx, job, []string{"go", "rust", "boom", "c"})
		if !errors.Is(err, errExtract) || !strings.Contains(err.Error(), "resume 2") {
			t.Errorf("error %v, want the extractor's naming resume 2", err)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		emb := &tableEmbedder{table: scenarioTable()}
		m := newMatcher(t, emb, func(c *matcher.Config) { c.Concurrency = 2 })
		job, err := m.PrepareJob(ctx, scenarioJob)
		if err != nil {
			t.Fatal(err)
		}
		emb.block = make(chan struct{}) // every embedding now waits
		ctx, cancel := context.WithCancel(ctx)
		resumes := make([]string, 50)
		for i := range resumes {
			resumes[i] = "word" + strings.Repeat("x", i)
		}
		var wg sync.WaitGroup
		wg.Add(1)
		var rankErr error
		go func() {
			defer wg.Done()
			_, rankErr = m.RankResumes(ctx, job, resumes)
		}()
		cancel()
		wg.Wait()
		if !errors.Is(rankErr, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", rankErr)
		}
	})
	t.Run("cancelled before", func(t *testing.T) {
		m := newMatcher(t, &tableEmbedder{}, nil)
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := m.Match(ctx, "python", "go"); !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
}

func TestConcurrentMatches(t *testing.T) {
	emb := &tableEmbedder{table: scenarioTable()}
	m := newMatcher(t, emb, nil)
	ctx := context.Background()
	want, err := m.Match(ctx, scenarioJob, scenarioResume)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := m.Match(ctx, scenarioJob, scenarioResume)
				if err != nil || got.Score != want.Score {
					t.Errorf("concurrent Match = %v, %v; want score %g", got, err, want.Score)
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkMatchPrepared(b *testing.B) {
	m := newMatcher(b, &tableEmbedder{table: scenarioTable()}, nil)
	ctx := context.Background()
	job, err := m.PrepareJob(ctx, "python, kubernetes, sql, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q")
	if err != nil {
		b.Fatal(err)
	}
	resume := "python. k8s. Excel. r1. r2. r3. r4. r5. r6. r7. r8. r9. r10. r11. r12. r13. r14. r15. r16"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.MatchPrepared(ctx, job, resume); err != nil {
			b.Fatal(err)
		}
	}
}

func TestConcurrentCallsEmbedOnce(t *testing.T) {
	emb := &tableEmbedder{table: scenarioTable(), block: make(chan struct{})}
	m := newMatcher(t, emb, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := m.Match(ctx, scenarioJob, scenarioResume); err != nil {
				t.Error(err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond) // let the calls pile up on the first embedding
	close(emb.block)
	wg.Wait()
	for text, n := range emb.requests() {
		if n != 1 {
			t.Errorf("%q embedded %d times by concurrent calls, want once", text, n)
		}
	}
}

// TestLongKeywordsDropped checks that a keyword longer than MaxKeywordBytes
// never reaches a Result: a megabyte word in a resume does not come back
// once for every job keyword.
func TestLongKeywordsDropped(t *testing.T) {
	emb := &tableEmbedder{}
	m := newMatcher(t, emb, nil)
	long := strings.Repeat("a", 1<<19)
	res, err := m.Match(context.Background(), "python. sql. "+strings.Repeat("b", matcher.MaxKeywordBytes+1), long+". rust")
	if err != nil {
		t.Fatal(err)
	}
	if got := keywordsOf(append(res.Matched, res.Missing...)); !slices.Equal(slices.Sorted(slices.Values(got)), []string{"python", "sql"}) {
		t.Errorf("job keywords %q, want python and sql", got)
	}
	for _, k := range append(res.Matched, res.Missing...) {
		if k.Resume != "rust" {
			t.Errorf("%q: counterpart of %d bytes, want rust", k.Keyword, len(k.Resume))
		}
	}
	b, _ := json.Marshal(res)
	if len(b) > 4096 {
		t.Errorf("result of %d bytes for 2 job keywords", len(b))
	}
}

// TestWithConfigSharesCache checks that matchers derived by WithConfig
// share the embedding cache: asking with other settings embeds nothing
// again.
func TestWithConfigSharesCache(t *testing.T) {
	emb := &tableEmbedder{}
	base, err := matcher.NewWithEmbedder(emb, matcher.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	job, resume := "Experience with Python and Kubernetes in production.", "Built Go services on Kubernetes."
	if _, err := base.Match(ctx, job, resume); err != nil {
		t.Fatal(err)
	}
	calls := len(emb.calls)
	for i := range 20 {
		cfg := matcher.DefaultConfig()
		cfg.Threshold = 0.3 + float64(i)/100
		m, err := base.WithConfig(cfg)
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Match(ctx, job, resume)
		if err != nil {
			t.Fatal(err)
		}
		if res.Settings.Threshold != cfg.Threshold {
			t.Fatalf("threshold %g, want %g", res.Settings.Threshold, cfg.Threshold)
		}
	}
	if len(emb.calls) != calls {
		t.Errorf("%d embedder calls after 20 settings, want none (the cache is shared): %q", len(emb.calls)-calls, emb.calls[calls:])
	}
	cfg := matcher.DefaultConfig()
	cfg.MaxNGram = 1000
	if _, err := base.WithConfig(cfg); err == nil {
		t.Error("WithConfig accepted MaxNGram 1000")
	}
}

// TestOptionalDiscount checks that a keyword the posting names only as
// optional is marked so, and weighs less with Config.OptionalDiscount.
func TestOptionalDiscount(t *testing.T) {
	job := "Python, SQL\nSpark is a plus"
	importance := func(discount float64) map[string]matcher.Keyword {
		m := newMatcher(t, &tableEmbedder{table: scenarioTable()}, func(c *matcher.Config) { c.OptionalDiscount, c.Weighting = discount, matcher.WeightUniform })
		res, err := m.Match(context.Background(), job, "python")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]matcher.Keyword{}
		for _, k := range append(res.Matched, res.Missing...) {
			out[k.Keyword] = k
		}
		return out
	}
	plain, discounted := importance(0), importance(0.5)
	if !plain["Spark is a plus"].Optional || plain["Python"].Optional || plain["SQL"].Optional {
		t.Errorf("optional flags %+v, want only Spark is a plus", plain)
	}
	if !near(plain["Spark is a plus"].Importance, 1.0/3) || !near(discounted["Spark is a plus"].Importance, 0.5/2.5) || !near(discounted["Python"].Importance, 1/2.5) {
		t.Errorf("importance of the optional keyword %g, with discount 0.5 %g (Python %g); want 1/3, 0.2 (0.4)",
			plain["Spark is a plus"].Importance, discounted["Spark is a plus"].Importance, discounted["Python"].Importance)
	}
	cfg := matcher.DefaultConfig()
	cfg.OptionalDiscount = 1
	if _, err := matcher.New(&listExtractor{}, &tableEmbedder{}, cfg); err == nil {
		t.Error("OptionalDiscount 1 accepted")
	}
}

// TestYearsOfExperience checks that a matched keyword carries the years the
// posting asks and the resume states, and that with Config.YearsShortfall
// fewer stated years lower its contribution, never below 0.
func TestYearsOfExperience(t *testing.T) {
	job := "Python, SQL, Docker\nPython: 5 years"
	match := func(shortfall float64, resume string) (matcher.Keyword, *matcher.Result) {
		t.Helper()
		m := newMatcher(t, &tableEmbedder{table: scenarioTable()}, func(c *matcher.Config) { c.YearsShortfall, c.Weighting = shortfall, matcher.WeightUniform })
		res, err := m.Match(context.Background(), job, resume)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range res.Matched {
			if k.Keyword == "Python" {
				return k, res
			}
		}
		t.Fatalf("Python not matched in %+v", res.Matched)
		return matcher.Keyword{}, nil
	}
	years := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprint(*p)
	}
	for _, tt := range []struct {
		resume    string
		shortfall float64
		stated    string
		share     float64 // of importance × similarity
	}{
		{"Python, SQL\nPython (2 years)", 0, "2", 1},
		{"Python, SQL\nPython (2 years)", 1, "2", 0.4},
		{"Python, SQL\nPython (2 years)", 0.5, "2", 0.7},
		{"Python, SQL\nPython (8 years)", 1, "8", 1},
		{"Python, SQL", 1, "nil", 1},
		{"Python, SQL\n1 year of experience", 1, "1", 0.2},
		{"Python, SQL\n1 year of experience\nPython (6 years)", 1, "6", 1},
		{"Python, SQL\nPython- Exprience - Less than 1 year", 1, "0.5", 0.1},
	} {
		k, res := match(tt.shortfall, tt.resume)
		if years(k.YearsRequired) != "5" || years(k.YearsStated) != tt.stated || !near(k.Contribution, tt.share*k.Importance*k.Similarity) {
			t.Errorf("%q, shortfall %g: years %s required, %s stated, contribution %g; want 5, %s, %g",
				tt.resume, tt.shortfall, years(k.YearsRequired), years(k.YearsStated), k.Contribution, tt.stated, tt.share*k.Importance*k.Similarity)
		}
		if fewer := strings.Contains(res.Explanation, `Fewer years than asked: "Python"`); fewer != (tt.share < 1 || tt.shortfall == 0 && tt.stated == "2") {
			t.Errorf("%q, shortfall %g: explanation %q", tt.resume, tt.shortfall, res.Explanation)
		}
	}

	// Without a statement in the posting nothing changes, and the JSON has
	// no years fields.
	m := newMatcher(t, &tableEmbedder{table: scenarioTable()}, func(c *matcher.Config) { c.YearsShortfall = 1 })
	res, err := m.Match(context.Background(), "Python, SQL, Docker", "Python, SQL\nPython (2 years)")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "years_required") || strings.Contains(string(b), "years_stated") {
		t.Errorf("a posting without years: %s", b)
	}
	for _, k := range res.Matched {
		if !near(k.Contribution, k.Importance*k.Similarity) {
			t.Errorf("a posting without years: %q contributes %g, want %g", k.Keyword, k.Contribution, k.Importance*k.Similarity)
		}
	}
	cfg := matcher.DefaultConfig()
	cfg.YearsShortfall = 1.5
	if _, err := matcher.New(&listExtractor{}, &tableEmbedder{}, cfg); err == nil {
		t.Error("YearsShortfall 1.5 accepted")
	}
}
