package sbert_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"

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

// A pack file written beside a model is what Load then maps: the weights
// already in this machine's kernel layout, checked chunk by chunk as they
// are first used (VerifyPacked checks them all at once), with the same
// embeddings as the weights file.
func ExampleWritePacked() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "model")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.CopyFS(dir, os.DirFS("testdata/tiny-max")); err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, sbert.PackFileName(sbert.PackTarget{}, false)))
	if err != nil {
		log.Fatal(err)
	}
	if err := sbert.WritePacked(ctx, dir, f, sbert.PackTarget{}); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	packed, err := sbert.Load(ctx, dir)
	if err != nil {
		log.Fatal(err)
	}
	plain, err := sbert.Load(ctx, dir, sbert.WithoutPacked())
	if err != nil {
		log.Fatal(err)
	}
	from, _ := packed.LoadedFrom()
	a, errA := packed.Encode(ctx, "data engineer")
	b, errB := plain.Encode(ctx, "data engineer")
	fmt.Println(filepath.Ext(from), packed.VerifyPacked(), errors.Join(errA, errB), slices.Equal(a, b))
	// Output: .pack <nil> <nil> true
}

// Work tells what a stretch of calls cost the model: texts, tokens and
// floating-point operations. Divided by the CPU's multiply-add rate, the
// FLOPs give the least time that any implementation of the model needs for
// the same texts.
func ExampleModel_Work() {
	ctx := context.Background()
	m, err := sbert.Load(ctx, "testdata/tiny-max")
	if err != nil {
		log.Fatal(err)
	}
	before := m.Work()
	if _, err := m.EncodeBatch(ctx, []string{"Go developer", "Kubernetes", "AWS Lambda and Terraform"}); err != nil {
		log.Fatal(err)
	}
	w := m.Work().Sub(before)
	fmt.Printf("%d texts, %d tokens, %.2f MFLOP\n", w.Sequences, w.Tokens, float64(w.FLOPs)/1e6)
	// Output: 3 texts, 37 tokens, 1.36 MFLOP
}
