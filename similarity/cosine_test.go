package similarity

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// naiveCosine is the textbook formula in float64, the reference for Cosine.
func naiveCosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}

func randVec(r *rand.Rand, n int, scale float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(r.NormFloat64() * scale)
	}
	return v
}

func TestCosineHandComputed(t *testing.T) {
	tests := []struct {
		name string
		a, b []float32
		want float64
	}{
		{"orthogonal", []float32{1, 0}, []float32{0, 1}, 0},
		{"identical", []float32{0.6, 0.8}, []float32{0.6, 0.8}, 1},
		{"opposite", []float32{1, 1}, []float32{-1, -1}, -1},
		{"parallel, different length", []float32{3, 4}, []float32{6, 8}, 1},
		{"45 degrees", []float32{1, 0}, []float32{1, 1}, 1 / math.Sqrt2},
		// 32 / (√14 · √77)
		{"1 2 3 · 4 5 6", []float32{1, 2, 3}, []float32{4, 5, 6}, 32 / math.Sqrt(14*77)},
		{"one dimension, negative", []float32{-2}, []float32{5}, -1},
		// Squares overflow float32 here; float64 accumulation must not.
		{"huge components", []float32{3e38, 3e38}, []float32{3e38, 0}, 1 / math.Sqrt2},
		// Squares underflow float32 (even as denormals) here.
		{"tiny components", []float32{1e-40, 1e-40}, []float32{0, 2e-41}, 1 / math.Sqrt2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Cosine(tt.a, tt.b)
			if err != nil {
				t.Fatalf("Cosine(%v, %v): %v", tt.a, tt.b, err)
			}
			if math.Abs(got-tt.want) > 1e-15 {
				t.Errorf("Cosine(%v, %v) = %.17g, want %.17g", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestCosineErrors(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	tests := []struct {
		name string
		a, b []float32
		want error
	}{
		{"lengths differ", []float32{1, 2}, []float32{1, 2, 3}, ErrDimensionMismatch},
		{"empty and non-empty", nil, []float32{1}, ErrDimensionMismatch},
		{"both empty", nil, nil, ErrZeroVector},
		{"first zero", []float32{0, 0}, []float32{1, 2}, ErrZeroVector},
		{"second zero", []float32{1, 2}, []float32{0, 0}, ErrZeroVector},
		{"NaN", []float32{1, nan}, []float32{1, 2}, ErrNotFinite},
		{"+Inf", []float32{1, 2}, []float32{inf, 2}, ErrNotFinite},
		{"-Inf", []float32{-inf, 2}, []float32{1, 2}, ErrNotFinite},
		{"NaN beside zero vector", []float32{0, 0}, []float32{nan, 0}, ErrZeroVector},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Cosine(tt.a, tt.b)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Cosine(%v, %v) = %v, %v; want error %v", tt.a, tt.b, got, err, tt.want)
			}
		})
	}
}

func TestCosineAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 200 {
		dim := 1 + r.IntN(500)
		scale := math.Pow(10, float64(r.IntN(31)-15))
		a, b := randVec(r, dim, scale), randVec(r, dim, scale)
		if n%3 == 0 { // nearly parallel vectors, where cancellation would show
			for i := range b {
				b[i] = a[i] + b[i]*1e-3
			}
		}
		got, err := Cosine(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if want := naiveCosine(a, b); math.Abs(got-want) > 1e-12 {
			t.Fatalf("dim %d scale %g: Cosine = %.17g, naive = %.17g", dim, scale, got, want)
		}
	}
}

func TestCosineProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		dim := 1 + r.IntN(400)
		a, b := randVec(r, dim, 1), randVec(r, dim, 1)
		ab, err := Cosine(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if ab < -1 || ab > 1 {
			t.Fatalf("Cosine = %g, outside [-1, 1]", ab)
		}
		if ba, _ := Cosine(b, a); ba != ab {
			t.Fatalf("not symmetric: %.17g and %.17g", ab, ba)
		}
		if aa, _ := Cosine(a, a); math.Abs(aa-1) > 1e-15 || aa > 1 {
			t.Fatalf("Cosine(a, a) = %.17g, want 1", aa)
		}
		// Scaling by a power of two is exact in float32, so the cosine is
		// unchanged bit for bit; other factors change it by rounding only.
		c := float32(r.Float64()*100 + 0.01)
		for _, f := range []float32{4, 0.125, c, -c} {
			s := make([]float32, dim)
			for i, x := range a {
				s[i] = x * f
			}
			got, err := Cosine(s, b)
			if err != nil {
				t.Fatal(err)
			}
			want := ab
			if f < 0 {
				want = -ab
			}
			tol := 1e-6
			if f == 4 || f == 0.125 {
				tol = 0
			}
			if math.Abs(got-want) > tol {
				t.Fatalf("Cosine(%g·a, b) = %.17g, want %.17g", f, got, want)
			}
		}
	}
}

func BenchmarkCosine384(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	x, y := randVec(r, 384, 1), randVec(r, 384, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Cosine(x, y); err != nil {
			b.Fatal(err)
		}
	}
}
