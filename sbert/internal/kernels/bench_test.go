package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// linearShapes are the linear layers of MiniLM-L6 (m rows of activations
// times W[n×k]ᵀ): QKV fused, attention output, intermediate, output.
var linearShapes = []struct{ m, n, k int }{
	{16, 384, 384}, {128, 384, 384}, {128, 1152, 384}, {128, 1536, 384}, {128, 384, 1536},
	{256, 1536, 384}, {1024, 384, 384}, {1024, 1536, 384},
}

func reportFlops(b *testing.B, m, n, k int) {
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// threadModes runs f once on one core (no helpers) and once with helpers.
func threadModes(b *testing.B, f func(b *testing.B)) {
	for _, mode := range []string{"1core", "par"} {
		b.Run(mode, func(b *testing.B) {
			if mode == "1core" {
				defer func(v int) { parMinFlops = v }(parMinFlops)
				parMinFlops = math.MaxInt
			}
			f(b)
		})
	}
}

// BenchmarkLinear measures GemmNTPacked, the linear layers' path, per kernel.
func BenchmarkLinear(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, s := range linearShapes {
		a, w := randMat(r, s.m, s.k), randMat(r, s.n, s.k)
		c := make([]float32, s.m*s.n)
		for _, kn := range kernelsAvail {
			pw := packBFor(kn, w, s.n, s.k, s.k)
			b.Run(fmt.Sprintf("%dx%dx%d/%s", s.m, s.n, s.k, kn.name), func(b *testing.B) {
				threadModes(b, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						GemmNTPacked(s.m, a, s.k, pw, c, s.n)
					}
					reportFlops(b, s.m, s.n, s.k)
				})
			})
		}
	}
}

// BenchmarkAttention measures one head's scores Q·Kᵀ and context P·V inside
// a fused QKV buffer (row stride 1152), per kernel, on one core.
func BenchmarkAttention(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, seq := range []int{16, 128, 256} {
		qkv := randMat(r, seq, 1152)
		p := randMat(r, seq, seq)
		out := make([]float32, seq*384)
		for _, kn := range kernelsAvail {
			b.Run(fmt.Sprintf("QK/seq%d/%s", seq, kn.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					gemmNT(kn, seq, seq, 32, qkv, 1152, qkv[384:], 1152, p, seq)
				}
				reportFlops(b, seq, seq, 32)
			})
			b.Run(fmt.Sprintf("PV/seq%d/%s", seq, kn.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					gemmNN(kn, seq, 32, seq, p, seq, qkv[768:], 1152, out, 384)
				}
				reportFlops(b, seq, 32, seq)
			})
		}
	}
}

// BenchmarkGonum measures gonum's pure-Go Sgemm (c = a·bᵀ) on the linear
// shapes, for comparison.
func BenchmarkGonum(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	var impl gonum.Implementation
	for _, s := range linearShapes {
		a, w := randMat(r, s.m, s.k), randMat(r, s.n, s.k)
		c := make([]float32, s.m*s.n)
		b.Run(fmt.Sprintf("%dx%dx%d", s.m, s.n, s.k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				impl.Sgemm(blas.NoTrans, blas.Trans, s.m, s.n, s.k, 1, a, s.k, w, s.k, 0, c, s.n)
			}
			reportFlops(b, s.m, s.n, s.k)
		})
	}
}

// BenchmarkLinearInt8 measures GemmNTInt8 (including the quantisation of
// a) per int8 kernel, on one core and with helpers.
func BenchmarkLinearInt8(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, s := range linearShapes {
		a, w := randMat(r, s.m, s.k), randMat(r, s.n, s.k)
		c := make([]float32, s.m*s.n)
		qw := QuantizeB(w, s.n, s.k)
		for _, kn := range int8Avail {
			b.Run(fmt.Sprintf("%dx%dx%d/%s", s.m, s.n, s.k, kn.name), func(b *testing.B) {
				threadModes(b, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						gemmNTInt8(kn, s.m, a, s.k, qw, c, s.n, epilogue{})
					}
					reportFlops(b, s.m, s.n, s.k)
				})
			})
		}
	}
}

// BenchmarkSoftmaxRows measures the attention softmax of one head.
func BenchmarkSoftmaxRows(b *testing.B) {
	for _, seq := range []int{16, 128, 256} {
		x := randMat(rand.New(rand.NewPCG(3, 3)), seq, seq)
		mask := make([]float32, seq)
		b.Run(fmt.Sprintf("seq%d", seq), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				SoftmaxRows(seq, seq, x, seq, 0.125, mask)
			}
			b.ReportMetric(float64(seq*seq)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Melem/s")
		})
	}
}

// BenchmarkQuantizeB measures QuantizeB on the largest matrix of
// all-MiniLM-L6-v2.
func BenchmarkQuantizeB(b *testing.B) {
	w := randMat(rand.New(rand.NewPCG(1, 2)), 1536, 384)
	for b.Loop() {
		QuantizeB(w, 1536, 384)
	}
}

// BenchmarkCeilingRead measures how fast GOMAXPROCS goroutines read memory,
// each summing its own 64 MB (sum8: in assembly where the CPU allows),
// more than a last-level cache holds: the ceiling of a forward pass over
// few tokens, which reads every weight once (42.5 MB in float32 for
// all-MiniLM-L6-v2's encoder).
func BenchmarkCeilingRead(b *testing.B) {
	threads := runtime.GOMAXPROCS(0)
	bufs := make([][]float32, threads)
	for i := range bufs {
		bufs[i] = make([]float32, 16<<20)
		for j := range bufs[i] {
			bufs[i][j] = 1
		}
	}
	b.SetBytes(int64(threads) * 64 << 20)
	for range b.N {
		var wg sync.WaitGroup
		for _, buf := range bufs {
			wg.Go(func() {
				if s := sum8(buf, 0, false); s != float32(len(buf)) {
					panic("sum8 lost values")
				}
			})
		}
		wg.Wait()
	}
}
