package similarity_test

import (
	"errors"
	"fmt"

	"github.com/jobmatch/jobmatch/similarity"
)

func ExampleCosine() {
	c, err := similarity.Cosine([]float32{1, 2, 3}, []float32{2, 4, 6.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", c)

	_, err = similarity.Cosine([]float32{1, 2}, []float32{0, 0})
	fmt.Println(errors.Is(err, similarity.ErrZeroVector))
	// Output:
	// 0.9993
	// true
}

func ExampleNewMatrix() {
	jobKeywords := [][]float32{{1, 0, 0}, {0, 1, 1}}
	resumeKeywords := [][]float32{{0, 0, 1}, {0.9, 0.1, 0}, {0, 1, 0.8}}
	m, err := similarity.NewMatrix(jobKeywords, resumeKeywords)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, best := range m.BestPerRow() {
		fmt.Printf("job %d: resume %d (%.3f)\n", i, best.Index, best.Similarity)
	}
	// Output:
	// job 0: resume 1 (0.994)
	// job 1: resume 2 (0.994)
}

func ExampleMatrix_TopK() {
	m, err := similarity.NewMatrix(
		[][]float32{{1, 1}},
		[][]float32{{1, 0}, {-1, 0}, {1, 1.2}, {0, 3}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range m.TopK(0, 3) {
		fmt.Printf("column %d: %.3f\n", t.Index, t.Similarity)
	}
	// Output:
	// column 2: 0.996
	// column 0: 0.707
	// column 3: 0.707
}
