package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestErff(t *testing.T) {
	for x := -6.0; x <= 6; x += 1.0 / 1024 {
		got, want := erff(float32(x)), math.Erf(x)
		if d := math.Abs(float64(got) - want); d > 5e-7 {
			t.Fatalf("erff(%v) = %v, want %v", x, got, want)
		}
	}
}

func TestExpf(t *testing.T) {
	for x := -87.0; x <= 88.7; x += 1.0 / 512 {
		got, want := float64(expf(float32(x))), math.Exp(float64(float32(x)))
		if d := math.Abs(got-want) / want; d > 2e-7 {
			t.Fatalf("expf(%v) = %v, want %v (relative error %g)", x, got, want, d)
		}
	}
	for _, tt := range []struct{ x, want float32 }{
		{float32(math.Inf(-1)), 0}, {-100, 0}, {float32(math.Inf(1)), float32(math.Inf(1))}, {89, float32(math.Inf(1))}, {0, 1},
	} {
		if got := expf(tt.x); got != tt.want {
			t.Errorf("expf(%v) = %v, want %v", tt.x, got, tt.want)
		}
	}
	if got := expf(float32(math.NaN())); got == got {
		t.Errorf("expf(NaN) = %v, want NaN", got)
	}
}

func geluRef(x float64) float64 { return x / 2 * (1 + math.Erf(x/math.Sqrt2)) }

func TestLinear(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 21))
	shapes := []shape{{m: 1, n: 1, k: 1}, {m: 7, n: 45, k: 33, lda: 40, ldc: 50}, {m: 130, n: 384, k: 384}}
	if testing.Short() {
		shapes = shapes[:2]
	}
	for _, s := range shapes {
		lda, ldc := max(s.lda, s.k), max(s.ldc, s.n)
		a, w := randMat(r, s.m, lda), randMat(r, s.n, s.k)
		bias, res := randMat(r, 1, s.n), randMat(r, s.m, s.n+3)
		want, tol := refGemm(true, s.m, s.n, s.k, a, lda, w, s.k)
		var ws []Weights
		for _, kn := range kernelsAvail {
			ws = append(ws, packBFor(kn, w, s.n, s.k, s.k))
		}
		for _, pw := range ws {
			name := pw.(*PackedB).kn.name
			for _, kind := range []string{"bias", "gelu", "residual"} {
				c := make([]float32, s.m*ldc)
				switch kind {
				case "bias":
					Linear(s.m, a, lda, pw, bias, c, ldc, nil)
				case "gelu":
					LinearGELU(s.m, a, lda, pw, bias, c, ldc, nil)
				case "residual":
					LinearResidual(s.m, a, lda, pw, bias, res, s.n+3, c, ldc, nil)
				}
				for i := 0; i < s.m; i++ {
					for j := 0; j < s.n; j++ {
						x := want[i*s.n+j] + float64(bias[j])
						switch kind {
						case "gelu":
							x = geluRef(x)
						case "residual":
							x += float64(res[i*(s.n+3)+j])
						}
						if d := math.Abs(float64(c[i*ldc+j]) - x); d > tol[i*s.n+j]+2e-6*(1+math.Abs(x)) {
							t.Fatalf("%s %s %s: c[%d][%d] = %v, want %v", name, kind, s, i, j, c[i*ldc+j], x)
						}
					}
				}
			}
		}
	}
}

func TestSoftmaxRows(t *testing.T) {
	inf := float32(math.Inf(-1))
	tests := []struct {
		name string
		n    int
		mask []float32
	}{
		{"nomask", 7, nil},
		{"padding", 5, []float32{0, 0, 0, -10000, inf}},
		{"allmasked", 3, []float32{inf, inf, inf}},
		{"one", 1, nil},
		{"long", 37, nil},
		{"longmask", 64, append(make([]float32, 40), []float32{-10000, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf}...)},
	}
	r := rand.New(rand.NewPCG(22, 23))
	for _, tt := range tests {
		m, ldx := 4, tt.n+2
		x := randMat(r, m, ldx)
		for i := range x {
			x[i] *= 20
		}
		orig := append([]float32(nil), x...)
		SoftmaxRows(m, tt.n, x, ldx, 0.25, tt.mask)
		for i := 0; i < m; i++ {
			mx := math.Inf(-1)
			v := make([]float64, tt.n)
			for j := range v {
				v[j] = 0.25 * float64(orig[i*ldx+j])
				if tt.mask != nil {
					v[j] += float64(tt.mask[j])
				}
				mx = math.Max(mx, v[j])
			}
			var sum float64
			for j := range v {
				v[j] = math.Exp(v[j] - mx)
				sum += v[j]
			}
			for j := 0; j < ldx; j++ {
				got := x[i*ldx+j]
				if j >= tt.n {
					if got != orig[i*ldx+j] {
						t.Fatalf("%s: x[%d][%d] beyond n changed", tt.name, i, j)
					}
					continue
				}
				want := v[j] / sum
				if math.IsInf(mx, -1) {
					want = 0
				}
				if d := math.Abs(float64(got) - want); !(d <= 1e-6) {
					t.Fatalf("%s: x[%d][%d] = %v, want %v", tt.name, i, j, got, want)
				}
			}
		}
	}
}

func TestLayerNorm(t *testing.T) {
	r := rand.New(rand.NewPCG(24, 25))
	for _, n := range []int{1, 7, 8, 21, 384} {
		checkLayerNorm(t, r, 5, n, n+6)
	}
}

// TestLayerNormAsm checks that LayerNorm gives the same bits with and
// without the vector kernels, for every length up to 40 and the model's.
func TestLayerNormAsm(t *testing.T) {
	if !vecOps {
		t.Skip("no vector element-wise kernels on this CPU")
	}
	r := rand.New(rand.NewPCG(28, 29))
	for _, n := range append(seq(1, 40), 384) {
		x := randMat(r, 3, n)
		for i := range x {
			x[i] = x[i]*5 + 2
		}
		gamma, beta := randMat(r, 1, n), randMat(r, 1, n)
		asm := append([]float32(nil), x...)
		LayerNorm(3, n, asm, n, gamma, beta, 1e-12)
		func() {
			defer func(v bool) { vecOps = v }(vecOps)
			vecOps = false
			LayerNorm(3, n, x, n, gamma, beta, 1e-12)
		}()
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(asm[i]) {
				t.Fatalf("n=%d: x[%d] = %v with the vector kernels, %v in Go", n, i, asm[i], x[i])
			}
		}
	}
}

// seq returns lo, lo+1, ..., hi.
func seq(lo, hi int) []int {
	var s []int
	for i := lo; i <= hi; i++ {
		s = append(s, i)
	}
	return s
}

func checkLayerNorm(t *testing.T, r *rand.Rand, m, n, ldx int) {
	t.Helper()
	x := randMat(r, m, ldx)
	for i := range x {
		x[i] = x[i]*3 + 1
	}
	gamma, beta := randMat(r, 1, n), randMat(r, 1, n)
	orig := append([]float32(nil), x...)
	LayerNorm(m, n, x, ldx, gamma, beta, 1e-12)
	for i := 0; i < m; i++ {
		var mean, vr float64
		for j := 0; j < n; j++ {
			mean += float64(orig[i*ldx+j])
		}
		mean /= float64(n)
		for j := 0; j < n; j++ {
			d := float64(orig[i*ldx+j]) - mean
			vr += d * d
		}
		inv := 1 / math.Sqrt(vr/float64(n)+1e-12)
		for j := 0; j < ldx; j++ {
			got := x[i*ldx+j]
			if j >= n {
				if got != orig[i*ldx+j] {
					t.Fatalf("n=%d: x[%d][%d] beyond n changed", n, i, j)
				}
				continue
			}
			want := (float64(orig[i*ldx+j])-mean)*inv*float64(gamma[j]) + float64(beta[j])
			if d := math.Abs(float64(got) - want); d > 1e-5 {
				t.Fatalf("n=%d: x[%d][%d] = %v, want %v", n, i, j, got, want)
			}
		}
	}
}

// TestVectorOps checks the vectorised GELU and exp against the scalar code
// for every length up to 40, with and without them.
func TestVectorOps(t *testing.T) {
	if !vecOps {
		t.Skip("no vector element-wise kernels on this CPU")
	}
	r := rand.New(rand.NewPCG(26, 27))
	for n := 1; n <= 40; n++ {
		c, bias := randMat(r, 1, n), randMat(r, 1, n)
		for i := range c {
			c[i] *= 12
		}
		c[0] = 300 // beyond the clamp of erf
		got := append([]float32(nil), c...)
		done := geluBiasPrefix(got, bias)
		if done != n&^7 {
			t.Fatalf("n=%d: geluBiasPrefix did %d elements", n, done)
		}
		for j := 0; j < done; j++ {
			want := gelu(c[j] + bias[j])
			ref := geluRef(float64(c[j] + bias[j]))
			if d := math.Abs(float64(got[j] - want)); d > 1e-6*(1+math.Abs(ref)) {
				t.Fatalf("n=%d: gelu(%v) = %v, scalar %v, exact %v", n, c[j]+bias[j], got[j], want, ref)
			}
		}
		x := randMat(r, 1, n)
		for i := range x {
			x[i] *= 30
		}
		x[n/2] = float32(math.Inf(-1))
		mx := float32(2)
		ex := append([]float32(nil), x...)
		sum, done := expSumPrefix(ex, mx)
		var want float64
		for j := 0; j < done; j++ {
			e := math.Exp(float64(x[j] - mx)) // the kernel subtracts in float32
			if x[j]-mx < softmaxFlush {
				e = 0 // flushed, as SoftmaxRows documents
			}
			want += e
			if d := math.Abs(float64(ex[j]) - e); d > 2e-7*e+1e-37 {
				t.Fatalf("n=%d: exp(%v) = %v, want %v", n, x[j]-mx, ex[j], e)
			}
		}
		if d := math.Abs(float64(sum) - want); d > 1e-6*want {
			t.Fatalf("n=%d: sum = %v, want %v", n, sum, want)
		}
	}
}

// TestAttention checks Attention over packed sequences against attention
// in float64, and that sharing the work with helpers changes no bit.
func TestAttention(t *testing.T) {
	const heads, dh = 3, 8
	h := heads * dh
	lens := []int{1, 5, 17, 40}
	var offs []int
	rows := 0
	for _, n := range lens {
		offs = append(offs, rows)
		rows += n
	}
	ldq, ldc := 3*h+2, h+1
	qkv := randMat(rand.New(rand.NewPCG(40, 41)), rows, ldq)
	scale := float32(1 / math.Sqrt(dh))
	run := func(par bool) []float32 {
		defer func(v int) { parMinFlops = v }(parMinFlops)
		parMinFlops = math.MaxInt
		if par {
			parMinFlops = 0
		}
		ctx := make([]float32, rows*ldc)
		Attention(offs, lens, heads, dh, scale, qkv, ldq, ctx, ldc)
		return ctx
	}
	got := run(false)
	for s, n := range lens {
		for hd := range heads {
			for i := range n {
				qi := qkv[(offs[s]+i)*ldq+hd*dh:]
				w := make([]float64, n)
				var mx, sum float64 = math.Inf(-1), 0
				for j := range n {
					kj := qkv[(offs[s]+j)*ldq+h+hd*dh:]
					for d := range dh {
						w[j] += float64(qi[d]) * float64(kj[d])
					}
					w[j] *= float64(scale)
					mx = math.Max(mx, w[j])
				}
				for j := range w {
					w[j] = math.Exp(w[j] - mx)
					sum += w[j]
				}
				for d := range dh {
					var want float64
					for j := range n {
						want += w[j] / sum * float64(qkv[(offs[s]+j)*ldq+2*h+hd*dh+d])
					}
					g := got[(offs[s]+i)*ldc+hd*dh+d]
					if math.Abs(float64(g)-want) > 1e-5 {
						t.Fatalf("seq %d head %d row %d col %d: %v, want %v", s, hd, i, d, g, want)
					}
				}
			}
		}
	}
	for r := range rows {
		if v := got[r*ldc+h]; v != 0 {
			t.Fatalf("row %d: column past the heads written (%v)", r, v)
		}
	}
	par := run(true)
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(par[i]) {
			t.Fatalf("element %d: %v alone, %v shared", i, got[i], par[i])
		}
	}
}

// TestSoftmaxFlush checks that SoftmaxRows sets to exactly 0 the entries
// more than -softmaxFlush below their row's maximum, in the vectorised part
// of a row and in its scalar tail, keeps the others, and leaves no denormal.
func TestSoftmaxFlush(t *testing.T) {
	rel := []float32{0, -1, -63.9, -64.1, -70, -87, -90, -200, -5, -63.5, -64.5, -30, -100, -2, -66, -10, -63.99, -64.01, -95}
	x := make([]float32, len(rel))
	for j, r := range rel {
		x[j] = 3 + r
	}
	SoftmaxRows(1, len(x), x, len(x), 1, nil)
	var sum float64
	for _, r := range rel {
		if r >= softmaxFlush {
			sum += math.Exp(float64(r))
		}
	}
	for j, r := range rel {
		want := 0.0
		if r >= softmaxFlush {
			want = math.Exp(float64(r)) / sum
		}
		if d := math.Abs(float64(x[j]) - want); d > 1e-6*want || (want == 0 && x[j] != 0) {
			t.Errorf("entry %d (%v below the maximum) = %v, want %v", j, -r, x[j], want)
		}
		if x[j] != 0 && math.Abs(float64(x[j])) < 0x1p-126 {
			t.Errorf("entry %d = %v is denormal", j, x[j])
		}
	}
}
