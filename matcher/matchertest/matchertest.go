// Package matchertest provides a stand-in embedder for tests of code built on
// package matcher (the HTTP service, the attack and load programs) that must
// run without the model.
package matchertest

import (
	"context"
	"hash/fnv"
	"math"
)

// HashEmbedder embeds a text as a deterministic pseudo-random unit vector
// of 32 dimensions: equal texts get equal vectors, different texts nearly
// orthogonal ones. It is safe for concurrent use.
type HashEmbedder struct{}

// EncodeBatch returns one vector per text.
func (HashEmbedder) EncodeBatch(ctx context.Context, texts []string) ([][]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		h := fnv.New64a()
		h.Write([]byte(t))
		seed := h.Sum64()
		v := make([]float32, 32)
		var n float64
		for j := range v {
			seed = seed*6364136223846793005 + 1442695040888963407
			v[j] = float32(int64(seed>>11)%2000-1000) / 1000
			n += float64(v[j]) * float64(v[j])
		}
		for j := range v {
			v[j] /= float32(math.Sqrt(n))
		}
		out[i] = v
	}
	return out, nil
}
