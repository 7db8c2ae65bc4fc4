package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// checkInt8 runs every int8 kernel on s and checks it against the float64
// product within the quantisation bound, and against the portable kernel
// bit for bit.
func checkInt8(t *testing.T, s shape, r *rand.Rand) {
	t.Helper()
	lda, ldc := max(s.lda, s.k), max(s.ldc, s.n)
	a, w := randMat(r, s.m, lda), randMat(r, s.n, s.k)
	if s.n > 1 {
		clear(w[:s.k]) // an all-zero weight row
	}
	qb := QuantizeB(w, s.n, s.k)
	want, tol := refGemm(true, s.m, s.n, s.k, a, lda, w, s.k)
	bmax, bsum := make([]float64, s.n), make([]float64, s.n)
	for j := range bmax {
		for p := 0; p < s.k; p++ {
			bmax[j] = math.Max(bmax[j], math.Abs(float64(w[j*s.k+p])))
			bsum[j] += math.Abs(float64(w[j*s.k+p]))
		}
	}
	var ref []float32
	for _, kn := range int8Avail {
		c := make([]float32, s.m*ldc)
		for i := range c {
			c[i] = sentinel
		}
		gemmNTInt8(kn, s.m, a, lda, qb, c, ldc, epilogue{})
		for i := 0; i < s.m; i++ {
			// Rounding moves each a by at most sa/2 and each b by sb/2.
			var lo, hi, asum float64
			for p := 0; p < s.k; p++ {
				lo, hi = math.Min(lo, float64(a[i*lda+p])), math.Max(hi, float64(a[i*lda+p]))
				asum += math.Abs(float64(a[i*lda+p]))
			}
			sa := (hi - lo) / 255
			for j := 0; j < ldc; j++ {
				got := c[i*ldc+j]
				if j >= s.n {
					if math.Float32bits(got) != math.Float32bits(sentinel) {
						t.Fatalf("%s %s: c[%d][%d] beyond n overwritten", kn.name, s, i, j)
					}
					continue
				}
				sb := bmax[j] / 127
				bound := sa/2*bsum[j] + sb/2*asum + float64(s.k)*sa*sb/4 + tol[i*s.n+j] + 1e-6*math.Abs(want[i*s.n+j])
				if d := math.Abs(float64(got) - want[i*s.n+j]); !(d <= bound*1.0001) {
					t.Fatalf("%s %s: c[%d][%d] = %v, want %v (bound %g)", kn.name, s, i, j, got, want[i*s.n+j], bound)
				}
			}
		}
		if ref == nil {
			ref = c
			continue
		}
		for i := range c {
			if math.Float32bits(c[i]) != math.Float32bits(ref[i]) {
				t.Fatalf("%s %s: element %d = %v, %s gives %v", kn.name, s, i, c[i], int8Avail[0].name, ref[i])
			}
		}
	}
}

func TestGemmNTInt8(t *testing.T) {
	r := rand.New(rand.NewPCG(30, 31))
	for m := 1; m <= 14; m++ {
		for _, n := range []int{1, 5, 31, 32, 33, 64, 70} {
			for _, k := range []int{0, 1, 3, 4, 5, 17, 64} {
				checkInt8(t, shape{m: m, n: n, k: k}, r)
			}
		}
	}
	shapes := []shape{
		{m: 7, n: 45, k: 33, lda: 40, ldc: 50},
		{m: 25, n: 384, k: 384},
		{m: 3, n: 384, k: 1536},
	}
	if !testing.Short() {
		shapes = append(shapes, shape{m: 130, n: 1536, k: 384})
	}
	for _, s := range shapes {
		checkInt8(t, s, r)
	}
}

func TestGemmNTInt8Split(t *testing.T) {
	defer func(v int) { parMinFlops = v }(parMinFlops)
	parMinFlops = 0
	checkInt8(t, shape{m: 40, n: 300, k: 100}, rand.New(rand.NewPCG(32, 33)))
}

func TestQuantizeB(t *testing.T) {
	w := []float32{
		0, 0, 0, 0, 0,
		1, -2, 0.5, 2, -0.01,
	}
	q := QuantizeB(w, 2, 5)
	if q.N() != 2 || q.K() != 5 {
		t.Fatalf("dims = %d×%d, want 2×5", q.N(), q.K())
	}
	if q.scale[0] != 0 || q.scale[1] != 2.0/127 {
		t.Fatalf("scales = %v, want [0 %v]", q.scale[:2], 2.0/127)
	}
	// Row 1, k values 0..3 are the first group of 4 bytes of column 1.
	want := []int8{64, -127, 32, 127}
	for p, v := range want {
		if got := q.data[1*4+p]; got != v {
			t.Fatalf("q[1][%d] = %d, want %d", p, got, v)
		}
	}
	if got := q.data[int8NR*4+1*4]; got != -1 {
		t.Fatalf("q[1][4] = %d, want -1", got)
	}
}

// TestQuantizeRows checks the vector quantisation of activations against
// the scalar loop, which must agree exactly, and the zero points.
func TestQuantizeRows(t *testing.T) {
	r := rand.New(rand.NewPCG(34, 35))
	for _, k := range []int{1, 15, 16, 17, 33, 384, 1536} {
		m, lda, ldq := 4, k+5, (k+3)/4*4
		a := randMat(r, m, lda)
		a[lda+k/2] = -3 // a row whose largest magnitude is negative
		for p := range k {
			a[2*lda+p] = float32(p%7) + 0.25 // a positive row: zero point 0
		}
		clear(a[3*lda : 3*lda+k]) // an all-zero row
		got, want := make([]uint8, m*ldq), make([]uint8, m*ldq)
		gs, ws := make([]float32, m), make([]float32, m)
		gc, wc := make([]float32, m), make([]float32, m)
		quantizeRows(m, k, a, lda, got, ldq, gs, gc)
		func() {
			defer func(v bool) { quantAsm = v }(quantAsm)
			quantAsm = false
			quantizeRows(m, k, a, lda, want, ldq, ws, wc)
		}()
		for i := range gs {
			if gs[i] != ws[i] || gc[i] != wc[i] {
				t.Fatalf("k=%d: scale, corr [%d] = %v, %v, want %v, %v", k, i, gs[i], gc[i], ws[i], wc[i])
			}
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("k=%d: q[%d] = %d, want %d", k, i, got[i], want[i])
			}
		}
		if want[k/2+ldq] != 0 {
			t.Fatalf("k=%d: the minimum -3 quantised to %d, want 0", k, want[k/2+ldq])
		}
		// Dequantised values are within half a step of the inputs.
		for i := range m {
			z := 128 - wc[i]/ws[i]
			for p := range k {
				x := (float64(want[i*ldq+p]) - float64(z)) * float64(ws[i])
				if d := math.Abs(x - float64(a[i*lda+p])); d > float64(ws[i])*0.5001 {
					t.Fatalf("k=%d: row %d, a[%d] = %v dequantised to %v", k, i, p, a[i*lda+p], x)
				}
			}
		}
	}
}

// TestLinearInt8 checks the fused epilogues on int8 weights against
// GemmNTInt8 followed by the same steps in Go.
func TestLinearInt8(t *testing.T) {
	r := rand.New(rand.NewPCG(36, 37))
	for _, s := range []shape{{m: 5, n: 45, k: 0}, {m: 13, n: 70, k: 33}, {m: 30, n: 384, k: 384}} {
		a, w := randMat(r, s.m, s.k), randMat(r, s.n, s.k)
		bias, res := randMat(r, 1, s.n), randMat(r, s.m, s.n)
		qw := QuantizeB(w, s.n, s.k)
		base := make([]float32, s.m*s.n)
		GemmNTInt8(s.m, a, s.k, qw, base, s.n)
		for _, kind := range []string{"bias", "gelu", "residual"} {
			c := make([]float32, s.m*s.n)
			switch kind {
			case "bias":
				Linear(s.m, a, s.k, qw, bias, c, s.n)
			case "gelu":
				LinearGELU(s.m, a, s.k, qw, bias, c, s.n)
			case "residual":
				LinearResidual(s.m, a, s.k, qw, bias, res, s.n, c, s.n)
			}
			for i := range c {
				x := float64(base[i] + bias[i%s.n])
				switch kind {
				case "gelu":
					x = geluRef(x)
				case "residual":
					x += float64(res[i])
				}
				if d := math.Abs(float64(c[i]) - x); d > 2e-6*(1+math.Abs(x)) {
					t.Fatalf("%s %s: c[%d] = %v, want %v", kind, s, i, c[i], x)
				}
			}
		}
	}
}
