package matcher_test

import (
	"context"
	"errors"
	"hash/fnv"
	"strings"
	"sync"

	"github.com/jobmatch/jobmatch/yake"
)

// listExtractor is a fake KeywordExtractor: the keywords of a text are its
// comma-, period- or newline-separated pieces, in order, with scores 0.01,
// 0.02, … (so the first piece is the most important).
type listExtractor struct {
	mu    sync.Mutex
	calls int
	fail  string // a text containing fail gives an error
}

var errExtract = errors.New("fake extractor failure")

func (e *listExtractor) Extract(ctx context.Context, text string) ([]yake.Keyword, error) {
	e.mu.Lock()
	e.calls++
	e.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if e.fail != "" && strings.Contains(text, e.fail) {
		return nil, errExtract
	}
	var kws []yake.Keyword
	for _, p := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '.' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			kws = append(kws, yake.Keyword{Text: p, Score: 0.01 * float64(len(kws)+1)})
		}
	}
	return kws, nil
}

// tableEmbedder is a fake Embedder: a text found in table gets that vector,
// any other a deterministic pseudo-random one. It records every call.
type tableEmbedder struct {
	table map[string][]float32
	mu    sync.Mutex
	calls [][]string
	err   error
	// block, if not nil, makes every call wait for it or for ctx.
	block chan struct{}
}

func (e *tableEmbedder) EncodeBatch(ctx context.Context, texts []string) ([][]float32, error) {
	e.mu.Lock()
	e.calls = append(e.calls, append([]string(nil), texts...))
	e.mu.Unlock()
	if e.block != nil {
		select {
		case <-e.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if e.err != nil {
		return nil, e.err
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if v, ok := e.table[t]; ok {
			out[i] = v
			continue
		}
		out[i] = hashVector(t)
	}
	return out, nil
}

// requests returns how often each text was asked for.
func (e *tableEmbedder) requests() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := make(map[string]int)
	for _, c := range e.calls {
		for _, t := range c {
			n[t]++
		}
	}
	return n
}

func (e *tableEmbedder) numCalls() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.calls)
}

// hashVector returns a non-zero 8-dimensional vector derived from t.
func hashVector(t string) []float32 {
	h := fnv.New64a()
	h.Write([]byte(t))
	x := h.Sum64()
	v := make([]float32, 8)
	for i := range v {
		v[i] = float32(int8(x>>(8*i))) + 0.5
	}
	return v
}
