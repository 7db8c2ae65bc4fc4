package compare

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/internal/kernels"
	"github.com/nlpodyssey/spago/mat"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

var shapes = []struct{ m, n, k int }{
	{16, 384, 384}, {128, 384, 384}, {128, 1536, 384}, {128, 384, 1536}, {1024, 384, 384},
}

func randMat(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = r.Float32()*2 - 1
	}
	return x
}

func report(b *testing.B, m, n, k int) {
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkLinear runs c = x·Wᵀ (x m×k, W n×k) with each library.
func BenchmarkLinear(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	var gn gonum.Implementation
	for _, s := range shapes {
		x, w := randMat(r, s.m*s.k), randMat(r, s.n*s.k)
		c := make([]float32, s.m*s.n)
		name := fmt.Sprintf("%dx%dx%d", s.m, s.n, s.k)
		b.Run(name+"/kernels", func(b *testing.B) {
			pw := kernels.PackB(w, s.n, s.k)
			b.ReportAllocs()
			for b.Loop() {
				kernels.GemmNTPacked(s.m, x, s.k, pw, c, s.n)
			}
			report(b, s.m, s.n, s.k)
		})
		b.Run(name+"/gonum", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				gn.Sgemm(blas.NoTrans, blas.Trans, s.m, s.n, s.k, 1, x, s.k, w, s.k, 0, c, s.n)
			}
			report(b, s.m, s.n, s.k)
		})
		b.Run(name+"/spago", func(b *testing.B) {
			// spago multiplies by a k×n matrix: Wᵀ stored row-major.
			xm := mat.NewDense[float32](mat.WithShape(s.m, s.k), mat.WithBacking(x))
			wt := mat.NewDense[float32](mat.WithShape(s.k, s.n), mat.WithBacking(randMat(r, s.k*s.n)))
			b.ReportAllocs()
			for b.Loop() {
				_ = xm.Mul(wt)
			}
			report(b, s.m, s.n, s.k)
		})
	}
}
