package matchertest

import (
	"context"
	"math"
	"testing"
)

func TestHashEmbedder(t *testing.T) {
	vecs, err := HashEmbedder{}.EncodeBatch(context.Background(), []string{"python", "python", "golang"})
	if err != nil || len(vecs) != 3 {
		t.Fatal(len(vecs), err)
	}
	dot := func(a, b []float32) (s float64) {
		for i := range a {
			s += float64(a[i]) * float64(b[i])
		}
		return s
	}
	if d := dot(vecs[0], vecs[0]); math.Abs(d-1) > 1e-5 {
		t.Errorf("norm² %g, want 1", d)
	}
	if d := dot(vecs[0], vecs[1]); math.Abs(d-1) > 1e-5 {
		t.Errorf("equal texts: cosine %g, want 1", d)
	}
	if d := dot(vecs[0], vecs[2]); d > 0.9 {
		t.Errorf("different texts: cosine %g, want them apart", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (HashEmbedder{}).EncodeBatch(ctx, []string{"x"}); err == nil {
		t.Error("cancelled context accepted")
	}
}
