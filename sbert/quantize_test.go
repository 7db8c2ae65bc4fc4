package sbert

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/internal/kernels"
)

// TestQuantizeLinear checks the row biases of quantizeLinear: on its mean
// input, a row of kind 1 or 2 must come out as the float32 product, the
// same row of kind 0 with the weights' rounding error. The means are made
// so that rounding them loses nothing: (c/2)·(e_i + e_i+1), i a multiple of 128, is c at
// half the entries of its block after the rotation and 0 elsewhere.
func TestQuantizeLinear(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const n, k = 96, 256
	w := make([]float32, n*k)
	for i := range w {
		w[i] = float32(r.NormFloat64())
	}
	var means [2][]float32
	for c, at := range [2]int{0, 128} {
		means[c] = make([]float32, k)
		means[c][at], means[c][at+1] = 1.5-2.5*float32(c), 1.5-2.5*float32(c)
	}
	q := quantizeLinear(kernels.PackB(w, n, k), means)
	if q.N() != n || q.K() != k {
		t.Fatalf("quantised matrix is %d×%d, want %d×%d", q.N(), q.K(), n, k)
	}
	bias := make([]float32, n)
	for c, mean := range means {
		a := make([]float32, 2*k)
		copy(a, mean)
		copy(a[k:], mean)
		out := make([]float32, 2*n)
		kernels.Linear(2, a, k, q, bias, out, n, []uint8{uint8(c + 1), 0})
		var errBias, errPlain, norm float64
		for j := range n {
			var exact float64
			for p, v := range mean {
				exact += float64(w[j*k+p]) * float64(v)
			}
			errBias += sq(float64(out[j]) - exact)
			errPlain += sq(float64(out[n+j]) - exact)
			norm += sq(exact)
		}
		t.Logf("kind %d: relative error %.3g with the row bias, %.3g without", c+1, math.Sqrt(errBias/norm), math.Sqrt(errPlain/norm))
		if !(errBias < errPlain/1e4) || errPlain == 0 {
			t.Errorf("kind %d: squared error %.3g with the row bias, %.3g without", c+1, errBias, errPlain)
		}
	}
}

func sq(x float64) float64 { return x * x }
