package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// refGemm returns a·op(b) in float64 and, per element, the bound on the
// float32 rounding error of any summation order: γ_k·Σ|a_ip·b_pj| with
// γ_k ≈ (k+2)·2⁻²⁴.
func refGemm(trans bool, m, n, k int, a []float32, lda int, b []float32, ldb int) (want, tol []float64) {
	want = make([]float64, m*n)
	tol = make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, abs float64
			for p := 0; p < k; p++ {
				var bv float32
				if trans {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				x := float64(a[i*lda+p]) * float64(bv)
				s += x
				abs += math.Abs(x)
			}
			want[i*n+j] = s
			tol[i*n+j] = float64(k+2)*0x1p-24*abs + 1e-30
		}
	}
	return want, tol
}

func randMat(r *rand.Rand, rows, ld int) []float32 {
	x := make([]float32, rows*ld)
	for i := range x {
		x[i] = r.Float32()*2 - 1
	}
	return x
}

// sentinel marks the gaps of c between rows, which a product must not touch.
var sentinel = float32(math.Float32frombits(0x7fc0dead))

type shape struct {
	m, n, k       int
	lda, ldb, ldc int // 0 = tight
}

func (s shape) String() string {
	return fmt.Sprintf("m%d_n%d_k%d_lda%d_ldb%d_ldc%d", s.m, s.n, s.k, s.lda, s.ldb, s.ldc)
}

// gemmCase is one product with random inputs and its float64 reference.
type gemmCase struct {
	s             shape
	trans         bool
	lda, ldb, ldc int
	a, b          []float32
	want, tol     []float64
}

func newCase(trans bool, s shape, r *rand.Rand) *gemmCase {
	g := &gemmCase{s: s, trans: trans, lda: max(s.lda, s.k), ldc: max(s.ldc, s.n)}
	brows, bcols := s.k, s.n
	if trans {
		brows, bcols = s.n, s.k
	}
	g.ldb = max(s.ldb, bcols)
	g.a = randMat(r, s.m, g.lda)
	g.b = randMat(r, brows, g.ldb)
	g.want, g.tol = refGemm(trans, s.m, s.n, s.k, g.a, g.lda, g.b, g.ldb)
	return g
}

// check runs kernel kn on g and compares with the reference, reporting the
// first element out of bounds or the first gap of c that was written.
func (g *gemmCase) check(t *testing.T, kn *kernel) {
	t.Helper()
	s, ldc := g.s, g.ldc
	c := make([]float32, s.m*ldc)
	for i := range c {
		c[i] = sentinel
	}
	for i := 0; i < s.m; i++ {
		for j := 0; j < s.n; j++ {
			c[i*ldc+j] = 1e30 // garbage the product must overwrite
		}
	}
	if g.trans {
		gemmNT(kn, s.m, s.n, s.k, g.a, g.lda, g.b, g.ldb, c, ldc)
	} else {
		gemmNN(kn, s.m, s.n, s.k, g.a, g.lda, g.b, g.ldb, c, ldc)
	}
	for i := 0; i < s.m; i++ {
		for j := 0; j < ldc; j++ {
			got := c[i*ldc+j]
			if j >= s.n {
				if math.Float32bits(got) != math.Float32bits(sentinel) {
					t.Fatalf("%s %s trans=%v: c[%d][%d] beyond n overwritten with %v", kn.name, s, g.trans, i, j, got)
				}
				continue
			}
			if d := math.Abs(float64(got) - g.want[i*s.n+j]); !(d <= g.tol[i*s.n+j]) {
				t.Fatalf("%s %s trans=%v: c[%d][%d] = %v, want %v (tolerance %g)", kn.name, s, g.trans, i, j, got, g.want[i*s.n+j], g.tol[i*s.n+j])
			}
		}
	}
}

// checkGemm checks every kernel on one random instance of s.
func checkGemm(t *testing.T, trans bool, s shape, r *rand.Rand) {
	t.Helper()
	g := newCase(trans, s, r)
	for _, kn := range kernelsAvail {
		g.check(t, kn)
	}
}

func TestGemmSmallShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for m := 1; m <= 17; m++ {
		for n := 1; n <= 17; n++ {
			for k := 0; k <= 17; k++ {
				checkGemm(t, true, shape{m: m, n: n, k: k}, r)
				checkGemm(t, false, shape{m: m, n: n, k: k}, r)
			}
		}
	}
}

func TestGemmStrides(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	shapes := []shape{
		{m: 5, n: 7, k: 9, lda: 13, ldb: 11, ldc: 10},
		{m: 13, n: 33, k: 17, lda: 19, ldb: 23, ldc: 35},
		{m: 17, n: 65, k: 31, lda: 33, ldb: 37, ldc: 67},
		{m: 1, n: 1, k: 1, lda: 3, ldb: 5, ldc: 7},
		{m: 29, n: 3, k: 300, lda: 301, ldb: 303, ldc: 5},
	}
	for _, s := range shapes {
		checkGemm(t, true, s, r)
		checkGemm(t, false, s, r)
	}
}

// modelShapes are the products of a MiniLM-L6 forward pass: linear layers
// (x·Wᵀ, NT) and attention per head inside the QKV buffer (stride 384 or
// 1152): scores Q·Kᵀ (NT, k = 32) and P·V (NN, n = 32).
func modelShapes() (nt, nn []shape) {
	for _, m := range []int{1, 3, 16, 77, 128, 256} {
		if m <= 77 {
			nt = append(nt,
				shape{m: m, n: 1152, k: 384},
				shape{m: m, n: 1536, k: 384},
				shape{m: m, n: 384, k: 1536},
			)
		}
		nt = append(nt,
			shape{m: m, n: m, k: 32, lda: 1152, ldb: 1152},
			shape{m: m, n: m, k: 32, lda: 384, ldb: 384},
		)
		nn = append(nn,
			shape{m: m, n: 32, k: m, ldb: 1152, ldc: 384},
			shape{m: m, n: 32, k: m, lda: 257, ldb: 384},
		)
	}
	nt = append(nt, shape{m: 128, n: 384, k: 384}, shape{m: 1024, n: 384, k: 384})
	return nt, nn
}

// TestGemmAttention covers every sequence length up to 40 and a few longer
// ones for one head's Q·Kᵀ and P·V inside a fused QKV buffer.
func TestGemmAttention(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 15))
	seqs := []int{64, 100, 129, 256}
	for seq := 1; seq <= 40; seq++ {
		seqs = append(seqs, seq)
	}
	for _, seq := range seqs {
		if testing.Short() && seq > 64 {
			continue
		}
		checkGemm(t, true, shape{m: seq, n: seq, k: 32, lda: 1152, ldb: 1152, ldc: seq + 1}, r)
		checkGemm(t, false, shape{m: seq, n: 32, k: seq, lda: seq, ldb: 1152, ldc: 384}, r)
	}
}

func TestGemmModelShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	nt, nn := modelShapes()
	for _, s := range nt {
		if testing.Short() && s.m*s.n*s.k > 1<<21 {
			continue
		}
		checkGemm(t, true, s, r)
	}
	for _, s := range nn {
		if testing.Short() && s.m*s.n*s.k > 1<<21 {
			continue
		}
		checkGemm(t, false, s, r)
	}
}

// TestGemmSplit forces every product to be split across goroutines and
// runs several callers at once, so that chunks race for the helpers.
func TestGemmSplit(t *testing.T) {
	defer func(v int) { parMinFlops = v }(parMinFlops)
	parMinFlops = 0
	shapes := []shape{{m: 37, n: 300, k: 600}, {m: 300, n: 45, k: 70}, {m: 8, n: 1000, k: 5}}
	if testing.Short() {
		shapes = []shape{{m: 37, n: 100, k: 60}, {m: 8, n: 300, k: 5}}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(7, uint64(g)))
			for _, s := range shapes {
				checkGemm(t, true, s, r)
				checkGemm(t, false, s, r)
			}
		}()
	}
	wg.Wait()
}

// TestHelpersFollowGOMAXPROCS checks that a product big enough to share is
// shared with a helper whenever GOMAXPROCS allows, never at GOMAXPROCS 1
// (also after helpers have started), and that the result is the same bits
// whoever computes which chunk.
func TestHelpersFollowGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	r := rand.New(rand.NewPCG(12, 13))
	m, n, k := 64, 512, 384
	a, w := randMat(r, m, k), randMat(r, n, k)
	pw := PackB(w, n, k)
	runtime.GOMAXPROCS(1)
	want := make([]float32, m*n)
	GemmNTPacked(m, a, k, pw, want, n)
	got := make([]float32, m*n)
	for _, procs := range []int{4, 1, 2, 3, 1} {
		runtime.GOMAXPROCS(procs)
		before := seatsTaken.Load()
		shared := false
		// A parked helper takes a while to wake; a spinning one takes the
		// next offer.
		for start := time.Now(); !shared && time.Since(start) < 2*time.Second; {
			clear(got)
			GemmNTPacked(m, a, k, pw, got, n)
			if !slices.Equal(got, want) {
				t.Fatalf("GOMAXPROCS %d: product differs from the single-thread one", procs)
			}
			shared = seatsTaken.Load() > before
			if procs == 1 && time.Since(start) > 100*time.Millisecond {
				break
			}
		}
		if procs == 1 && shared {
			t.Errorf("GOMAXPROCS 1: a helper took part in a product")
		}
		if procs > 1 && !shared {
			t.Errorf("GOMAXPROCS %d: no helper took part in 2 s of products", procs)
		}
	}
}

// TestKernelsAgree checks each assembly kernel against the portable one on
// identical inputs, element by element.
func TestKernelsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	m, n, k := 45, 77, 530
	a, b := randMat(r, m, k), randMat(r, n, k)
	want := make([]float32, m*n)
	gemmNT(goKernel, m, n, k, a, k, b, k, want, n)
	_, tol := refGemm(true, m, n, k, a, k, b, k)
	for _, kn := range kernelsAvail {
		got := make([]float32, m*n)
		gemmNT(kn, m, n, k, a, k, b, k, got, n)
		for i := range got {
			if d := math.Abs(float64(got[i] - want[i])); d > 2*tol[i] {
				t.Fatalf("%s vs go: element %d = %v, want %v", kn.name, i, got[i], want[i])
			}
		}
	}
}

func TestPacked(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	for _, s := range []shape{{m: 3, n: 384, k: 384}, {m: 20, n: 37, k: 1536}, {m: 1, n: 1, k: 1}} {
		a, w := randMat(r, s.m, s.k), randMat(r, s.n, s.k)
		pw := PackB(w, s.n, s.k)
		if pw.N() != s.n || pw.K() != s.k {
			t.Fatalf("%s: PackB dims = %d×%d", s, pw.N(), pw.K())
		}
		clear(w) // PackB must have copied
		got := make([]float32, s.m*s.n)
		GemmNTPacked(s.m, a, s.k, pw, got, s.n)
		want := make([]float32, s.m*s.n)
		wcopy := pw.Unpack()
		GemmNT(s.m, s.n, s.k, a, s.k, wcopy, s.k, want, s.n)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: packed c[%d] = %v, unpacked %v", s, i, got[i], want[i])
			}
		}
	}
}

func TestZeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	r := rand.New(rand.NewPCG(12, 13))
	m, n, k := 16, 384, 384 // big enough to be split
	a, w := randMat(r, m, k), randMat(r, n, k)
	c := make([]float32, m*n)
	pw := PackB(w, n, k)
	q := QuantizeB(w, n, k)
	q.SetRowBias(w[:n], w[n:2*n])
	kinds := make([]uint8, m)
	kinds[0], kinds[m-1] = 1, 2
	for name, f := range map[string]func(){
		"GemmNT":       func() { GemmNT(m, n, k, a, k, w, k, c, n) },
		"GemmNN":       func() { GemmNN(m, k, n, c, n, w, k, a, k) },
		"GemmNTPacked": func() { GemmNTPacked(m, a, k, pw, c, n) },
		"Linear":       func() { LinearGELU(m, a, k, pw, w[:n], c, n, nil) },
		"LinearInt8":   func() { LinearGELU(m, a, k, q, w[:n], c, n, kinds) },
	} {
		f()
		if allocs := testing.AllocsPerRun(20, f); allocs != 0 {
			t.Errorf("%s: %v allocations per call, want 0", name, allocs)
		}
	}
}
