package kernels

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
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
	// The rounding bounds hold for the operands that are rounded: rotated
	// by H (and w by H/128) when k is a multiple of 128.
	ar, wr := a, w
	if rotates(s.k) {
		ar, wr = hadamardRef(a, s.m, s.k, lda, 1), hadamardRef(w, s.n, s.k, s.k, 1.0/hadamardBlock)
		tol = slices.Clone(tol)
		for i := range tol {
			tol[i] += 1e-5 * float64(s.k) // the rotations' own rounding
		}
	}
	bmax, bsum := make([]float64, s.n), make([]float64, s.n)
	for j := range bmax {
		for p := 0; p < s.k; p++ {
			bmax[j] = math.Max(bmax[j], math.Abs(float64(wr[j*s.k+p])))
			bsum[j] += math.Abs(float64(wr[j*s.k+p]))
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
				lo, hi = math.Min(lo, float64(ar[i*lda+p])), math.Max(hi, float64(ar[i*lda+p]))
				asum += math.Abs(float64(ar[i*lda+p]))
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
			for _, k := range []int{0, 1, 3, 4, 5, 17, 64, 256} {
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

// quantPaths runs f with each vector path of the rotation and the
// quantisation of activations that this CPU has ("avx512", "avx2"), then
// with the Go loops ("go").
func quantPaths(f func(path string)) {
	defer func(a, v bool) { quantAsm, quantAVX2 = a, v }(quantAsm, quantAVX2)
	if quantAsm {
		f("avx512")
	}
	quantAsm = false
	if quantAVX2 {
		f("avx2")
	}
	quantAVX2 = false
	f("go")
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
		want, ws, wc := make([]uint8, m*ldq), make([]float32, m), make([]float32, m)
		quantPaths(func(path string) {
			if path == "go" {
				quantizeRows(m, k, a, lda, nil, want, ldq, ws, wc)
			}
		})
		quantPaths(func(path string) {
			got, gs, gc := make([]uint8, m*ldq), make([]float32, m), make([]float32, m)
			quantizeRows(m, k, a, lda, nil, got, ldq, gs, gc)
			for i := range gs {
				if gs[i] != ws[i] || gc[i] != wc[i] {
					t.Fatalf("%s, k=%d: scale, corr [%d] = %v, %v, want %v, %v", path, k, i, gs[i], gc[i], ws[i], wc[i])
				}
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s, k=%d: q[%d] = %d, want %d", path, k, i, got[i], want[i])
				}
			}
		})
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
				Linear(s.m, a, s.k, qw, bias, c, s.n, nil)
			case "gelu":
				LinearGELU(s.m, a, s.k, qw, bias, c, s.n, nil)
			case "residual":
				LinearResidual(s.m, a, s.k, qw, bias, res, s.n, c, s.n, nil)
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

// hadamardRef returns the rows of a (m×k, row stride lda) times s·H, with H
// the block Walsh–Hadamard matrix of fwht built from its definition
// H[i][j] = (-1)^popcount(i&j), summed in float64; the result has row
// stride lda.
func hadamardRef(a []float32, m, k, lda int, s float64) []float32 {
	out := make([]float32, len(a))
	for i := range m {
		for b := 0; b < k; b += hadamardBlock {
			for j := range hadamardBlock {
				var sum float64
				for p := range hadamardBlock {
					h := 1.0
					if bits.OnesCount(uint(p&j))%2 == 1 {
						h = -1
					}
					sum += h * float64(a[i*lda+b+p])
				}
				out[i*lda+b+j] = float32(sum * s)
			}
		}
	}
	return out
}

// TestFWHT checks fwht against the matrix H, and the assembly against Go
// bit for bit.
func TestFWHT(t *testing.T) {
	r := rand.New(rand.NewPCG(40, 41))
	for _, k := range []int{128, 384, 1536} {
		x := randMat(r, 1, k)
		x[5] = 40 // an outlier
		want := hadamardRef(x, 1, k, k, 1)
		got := slices.Clone(x)
		fwht(got)
		for i := range got {
			if d := math.Abs(float64(got[i] - want[i])); d > 1e-4*(1+math.Abs(float64(want[i]))) {
				t.Fatalf("k=%d: fwht[%d] = %v, want %v", k, i, got[i], want[i])
			}
		}
		goOnly := slices.Clone(x)
		quantPaths(func(path string) {
			if path == "go" {
				fwht(goOnly)
			}
		})
		quantPaths(func(path string) {
			y := slices.Clone(x)
			fwht(y)
			for i := range y {
				if math.Float32bits(y[i]) != math.Float32bits(goOnly[i]) {
					t.Fatalf("%s, k=%d: fwht[%d] = %v, the Go loop gives %v", path, k, i, y[i], goOnly[i])
				}
			}
		})
		// H·H = 128·I.
		fwht(got)
		for i := range got {
			if d := math.Abs(float64(got[i]/hadamardBlock - x[i])); d > 1e-4 {
				t.Fatalf("k=%d: H·H·x/128 [%d] = %v, want %v", k, i, got[i]/hadamardBlock, x[i])
			}
		}
	}
}

// TestRowBias checks that the row biases of int8 weights reach the rows of
// their kind before the activation, and the errors of QuantizeBErrors.
func TestRowBias(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 43))
	const m, n, k = 6, 40, 256
	a, w := randMat(r, m, k), randMat(r, n, k)
	bias := randMat(r, 1, n)
	q := QuantizeB(w, n, k)
	plain := make([]float32, m*n)
	LinearGELU(m, a, k, q, bias, plain, n, nil)
	rb1, rb2 := randMat(r, 1, n), randMat(r, 1, n)
	q.SetRowBias(rb1, rb2)
	kinds := []uint8{1, 0, 2, 0, 0, 1}
	got := make([]float32, m*n)
	LinearGELU(m, a, k, q, bias, got, n, kinds)
	base := make([]float32, m*n)
	GemmNTInt8(m, a, k, q, base, n)
	for i := range m {
		for j := range n {
			x := float64(base[i*n+j] + bias[j])
			switch kinds[i] {
			case 1:
				x = float64(base[i*n+j] + rb1[j] + bias[j])
			case 2:
				x = float64(base[i*n+j] + rb2[j] + bias[j])
			}
			x = geluRef(x)
			if d := math.Abs(float64(got[i*n+j]) - x); d > 2e-6*(1+math.Abs(x)) {
				t.Fatalf("row %d (kind %d), col %d = %v, want %v", i, kinds[i], j, got[i*n+j], x)
			}
			if kinds[i] == 0 && got[i*n+j] != plain[i*n+j] {
				t.Fatalf("row %d of kind 0 changed: %v, was %v", i, got[i*n+j], plain[i*n+j])
			}
		}
	}
	// QuantizeBErrors: b·x − B̂·x. For x = 1.5·(e0+e1), whose rotation
	// holds only 0 and 3 and so quantises without loss, the int8 product
	// plus the error is b·x; for a random x the error stays within the
	// weights' rounding.
	x := make([]float32, k)
	x[0], x[1] = 1.5, 1.5
	_, errs := QuantizeBErrors(w, n, k, x, a[:k])
	y := make([]float32, n)
	GemmNTInt8(1, x, k, q, y, n)
	exact, _ := refGemm(true, 1, n, k, x, k, w, k)
	for j := range n {
		if d := math.Abs(float64(y[j]+errs[0][j]) - exact[j]); d > 1e-5*(1+math.Abs(exact[j])) {
			t.Fatalf("lossless x: int8 product %v + error %v = %v, want %v", y[j], errs[0][j], y[j]+errs[0][j], exact[j])
		}
	}
	wr := hadamardRef(w, n, k, k, 1.0/hadamardBlock)
	ar := hadamardRef(a, 1, k, k, 1)
	for j := range n {
		var mx, asum float64
		for p := range k {
			mx = math.Max(mx, math.Abs(float64(wr[j*k+p])))
			asum += math.Abs(float64(ar[p]))
		}
		if e := math.Abs(float64(errs[1][j])); e > mx/127/2*asum+1e-4 {
			t.Fatalf("random x: error %v of row %d, beyond the rounding bound %v", errs[1][j], j, mx/127/2*asum)
		}
	}
}
