package yake

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// longSentence returns one sentence of n distinct lower-case words with no
// punctuation: a single phrase, the worst case for candidate generation.
func longSentence(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("w")
		for v := i; ; v /= 26 {
			b.WriteByte(byte('a' + v%26))
			if v < 26 {
				break
			}
		}
	}
	return b.String()
}

// TestLongSentenceMemory checks that a long phrase at the largest MaxNGram
// and WindowSize costs a bounded number of bytes per candidate, whatever
// the candidates' length: 460 allocated bytes each (map and slice growth
// included), where spelling each n-gram out took 800.
func TestLongSentenceMemory(t *testing.T) {
	o := DefaultOptions()
	o.MaxNGram, o.WindowSize = MaxNGramLimit, WindowSizeLimit
	e, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	const words = 20000
	text := longSentence(words)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	kws, err := e.Extract(context.Background(), text)
	runtime.ReadMemStats(&after)
	if err != nil || len(kws) == 0 {
		t.Fatalf("%d keywords, %v", len(kws), err)
	}
	const perCandidate = 600
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(words*MaxNGramLimit*perCandidate); got > limit {
		t.Errorf("allocated %d bytes for %d words at MaxNGram %d, more than %d (%d a candidate)", got, words, MaxNGramLimit, limit, perCandidate)
	}
}

// errCounter is a context that counts the calls of Err.
type errCounter struct {
	context.Context
	calls atomic.Int64
}

func (c *errCounter) Err() error {
	c.calls.Add(1)
	return c.Context.Err()
}

// TestContextInsideSentence checks that the context is looked at while one
// long sentence is read, not only between sentences, and that a cancelled
// context stops the extraction.
func TestContextInsideSentence(t *testing.T) {
	e, err := New(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	const words = 10 * checkEvery
	text := longSentence(words)
	ctx := &errCounter{Context: context.Background()}
	if _, err := e.Extract(ctx, text); err != nil {
		t.Fatal(err)
	}
	if got := ctx.calls.Load(); got < words/checkEvery {
		t.Errorf("ctx.Err called %d times for one sentence of %d words, want at least %d", got, words, words/checkEvery)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Extract(cancelled, text); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}
