package sbert_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"os"

	"github.com/jobmatch/jobmatch/sbert"
)

// The test model in testdata is a tiny random BERT with max, mean and
// sum/√n pooling and a Normalize module: its embeddings have unit length.
func ExampleModel_Encode() {
	ctx := context.Background()
	m, err := sbert.Load(ctx, "testdata/tiny-max")
	if err != nil {
		log.Fatal(err)
	}
	v, err := m.Encode(ctx, "Senior Go developer, Kubernetes and AWS")
	if err != nil {
		log.Fatal(err)
	}
	var norm float64
	for _, x := range v {
		norm += float64(x) * float64(x)
	}
	fmt.Printf("dim %d, max %d tokens, norm %.4f\n", m.Dim(), m.MaxSeqLen(), math.Sqrt(norm))
	// Output: dim 96, max 32 tokens, norm 1.0000
}

// With all-MiniLM-L6-v2 (see the package documentation to get it), related
// phrases have a higher cosine similarity than unrelated ones; embeddings
// are normalised, so the cosine is the dot product.
func ExampleModel_EncodeBatch() {
	ctx := context.Background()
	m, err := sbert.Load(ctx, os.Getenv("JOBMATCH_MODEL_DIR"))
	if err != nil {
		log.Fatal(err)
	}
	vs, err := m.EncodeBatch(ctx, []string{"machine learning", "deep neural networks", "forklift operator"})
	if err != nil {
		log.Fatal(err)
	}
	dot := func(a, b []float32) (s float32) {
		for i := range a {
			s += a[i] * b[i]
		}
		return s
	}
	fmt.Println(dot(vs[0], vs[1]) > dot(vs[0], vs[2]))
}

// A model directory from an untrusted source is loaded within limits: here
// one too small for the test model's weights.
func ExampleWithLimits() {
	_, err := sbert.Load(context.Background(), "testdata/tiny-max", sbert.WithLimits(sbert.Limits{MaxWeightBytes: 16 << 10}))
	fmt.Println(errors.Is(err, sbert.ErrTooLarge))
	// Output: true
}
