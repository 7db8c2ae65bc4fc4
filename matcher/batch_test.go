package matcher_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/matcher"
)

func TestMatchEach(t *testing.T) {
	ctx := context.Background()
	for _, conc := range []int{1, 3} {
		emb := &tableEmbedder{table: scenarioTable()}
		m := newMatcher(t, emb, func(c *matcher.Config) { c.Concurrency = conc })
		job, err := m.PrepareJob(ctx, scenarioJob)
		if err != nil {
			t.Fatal(err)
		}
		errBad := errors.New("unreadable")
		resumes := append([]string{}, rankResumes...)
		resumes = append(resumes, "") // index 5: unreadable
		scores := make(map[int]float64)
		errs := make(map[int]error)
		err = m.MatchEach(ctx, job, len(resumes), func(ctx context.Context, i int) (*matcher.Resume, error) {
			if i == 5 {
				return nil, errBad
			}
			return m.PrepareResume(ctx, resumes[i])
		}, func(i int, res *matcher.Result, err error) error {
			if _, dup := scores[i]; dup {
				t.Errorf("resume %d yielded twice", i)
			}
			scores[i] = -1
			if err != nil {
				errs[i] = err
				return nil
			}
			scores[i] = res.Score
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(scores) != len(resumes) || !errors.Is(errs[5], errBad) || len(errs) != 1 {
			t.Fatalf("concurrency %d: yielded %v with errors %v, want every resume once and resume 5's error", conc, scores, errs)
		}
		for i, text := range rankResumes {
			want, err := m.MatchPrepared(ctx, job, text)
			if err != nil {
				t.Fatal(err)
			}
			if scores[i] != want.Score {
				t.Errorf("concurrency %d: resume %d scored %g, MatchPrepared says %g", conc, i, scores[i], want.Score)
			}
		}
	}
}

func TestMatchEachStops(t *testing.T) {
	ctx := context.Background()
	m := newMatcher(t, &tableEmbedder{table: scenarioTable()}, func(c *matcher.Config) { c.Concurrency = 2 })
	job, err := m.PrepareJob(ctx, scenarioJob)
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("enough")
	calls := 0
	prepare := func(ctx context.Context, i int) (*matcher.Resume, error) {
		return m.PrepareResume(ctx, rankResumes[i%len(rankResumes)])
	}
	err = m.MatchEach(ctx, job, 1000, prepare, func(int, *matcher.Result, error) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls > 2 {
		t.Errorf("MatchEach = %v after %d yields, want the yield's error after at most one per goroutine", err, calls)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := m.MatchEach(cctx, job, 10, prepare, func(int, *matcher.Result, error) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled MatchEach = %v, want context.Canceled", err)
	}
}

func TestRestoreResume(t *testing.T) {
	ctx := context.Background()
	for _, matchText := range []bool{false, true} {
		emb := &tableEmbedder{table: scenarioTable()}
		m := newMatcher(t, emb, func(c *matcher.Config) { c.MatchText = matchText })
		job, err := m.PrepareJob(ctx, scenarioJob)
		if err != nil {
			t.Fatal(err)
		}
		for i, text := range rankResumes {
			r, err := m.PrepareResume(ctx, text)
			if err != nil {
				t.Fatal(err)
			}
			calls := len(emb.calls)
			restored, err := m.RestoreResume(text, r.Prepared())
			if err != nil {
				t.Fatal(err)
			}
			want, _ := m.Compare(ctx, job, r)
			got, err := m.Compare(ctx, job, restored)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("match text %v, resume %d: restored result %+v, prepared %+v", matchText, i, got, want)
			}
			if len(emb.calls) != calls {
				t.Errorf("resume %d: restoring called the embedder", i)
			}
		}
	}
}

func TestRestoreResumeRefusesBadInput(t *testing.T) {
	m := newMatcher(t, &tableEmbedder{}, func(c *matcher.Config) { c.ResumeKeywords = 3 })
	good := func() []matcher.PreparedKeyword {
		return []matcher.PreparedKeyword{{"python", 0.1, vec(1, 0)}, {"sql", 0.2, vec(0, 1)}}
	}
	if _, err := m.RestoreResume("", good()); err != nil {
		t.Fatalf("good keywords refused: %v", err)
	}
	if _, err := m.RestoreResume("", nil); err != nil {
		t.Fatalf("no keywords refused: %v", err)
	}
	tests := []struct {
		name string
		edit func([]matcher.PreparedKeyword) []matcher.PreparedKeyword
	}{
		{"too many", func(k []matcher.PreparedKeyword) []matcher.PreparedKeyword {
			return append(k, matcher.PreparedKeyword{"a", 1, vec(1, 1)}, matcher.PreparedKeyword{"b", 1, vec(1, 1)})
		}},
		{"repeated", func(k []matcher.PreparedKeyword) []matcher.PreparedKeyword { k[1].Text = "Python"; return k }},
		{"empty", func(k []matcher.PreparedKeyword) []matcher.PreparedKeyword { k[1].Text = " "; return k }},
		{"too long", func(k []matcher.PreparedKeyword) []matcher.PreparedKeyword {
			k[1].Text = strings.Repeat("x", matcher.MaxKeywordBytes+1)
			return k
		}},
		{"NaN score", func(k []matcher.PreparedKeyword) []matcher.PreparedKeyword { k[0].Score = math.NaN(); return k }},
		{"negative score", func(k []matcher.PreparedKeyword) []matcher.PreparedKeyword { k[0].Score = -1; return k }},
		{"no vector", func(k []matcher.PreparedKeyword) []matcher.PreparedKeyword { k[1].Vec = nil; return k }},
		{"short vector", func(k []matcher.PreparedKeyword) []matcher.PreparedKeyword { k[1].Vec = []float32{1}; return k }},
		{"infinite vector", func(k []matcher.PreparedKeyword) []matcher.PreparedKeyword {
			k[0].Vec = vec(float32(math.Inf(1)), 0)
			return k
		}},
	}
	for _, tt := range tests {
		_, err := m.RestoreResume("", tt.edit(good()))
		if !errors.Is(err, matcher.ErrBadPrepared) {
			t.Errorf("%s: RestoreResume = %v, want ErrBadPrepared", tt.name, err)
		}
	}
	big := strings.Repeat("x", m.Config().MaxTextBytes+1)
	if _, err := m.RestoreResume(big, good()); !errors.Is(err, matcher.ErrTooLarge) {
		t.Errorf("text over MaxTextBytes: %v, want ErrTooLarge", err)
	}
}
