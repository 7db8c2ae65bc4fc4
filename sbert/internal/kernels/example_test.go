package kernels_test

import (
	"fmt"

	"github.com/jobmatch/jobmatch/sbert/internal/kernels"
)

func ExampleGemmNT() {
	a := []float32{ // 2×3
		1, 2, 3,
		4, 5, 6,
	}
	b := []float32{ // 2×3, used transposed
		1, 0, 1,
		0, 1, 0,
	}
	c := make([]float32, 4)
	kernels.GemmNT(2, 2, 3, a, 3, b, 3, c, 2)
	fmt.Println(c)
	// Output: [4 2 10 5]
}

func ExampleLinear() {
	w := kernels.PackB([]float32{ // weight: 2 outputs × 3 inputs
		1, 1, 1,
		0, 2, 0,
	}, 2, 3)
	bias := []float32{0.5, -1}
	x := []float32{1, 2, 3} // one row
	y := make([]float32, 2)
	kernels.Linear(1, x, 3, w, bias, y, 2, nil)
	fmt.Println(y)
	// Output: [6.5 3]
}
