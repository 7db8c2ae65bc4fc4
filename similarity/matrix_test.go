package similarity

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func randSet(r *rand.Rand, n, dim int) [][]float32 {
	vs := make([][]float32, n)
	for i := range vs {
		vs[i] = randVec(r, dim, 1+float64(i))
	}
	return vs
}

func TestMatrixAgainstCosine(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, shape := range [][3]int{{1, 1, 1}, {1, 5, 3}, {4, 1, 7}, {13, 29, 384}, {30, 60, 384}} {
		rows, cols := randSet(r, shape[0], shape[2]), randSet(r, shape[1], shape[2])
		m, err := NewMatrix(rows, cols)
		if err != nil {
			t.Fatal(err)
		}
		if gr, gc := m.Dims(); gr != shape[0] || gc != shape[1] {
			t.Fatalf("Dims() = %d, %d; want %d, %d", gr, gc, shape[0], shape[1])
		}
		for i := range rows {
			if len(m.RawRow(i)) != len(cols) {
				t.Fatalf("len(RawRow(%d)) = %d, want %d", i, len(m.RawRow(i)), len(cols))
			}
			for j := range cols {
				want := naiveCosine(rows[i], cols[j])
				if got := m.At(i, j); math.Abs(got-want) > 1e-12 {
					t.Fatalf("shape %v: At(%d, %d) = %.17g, want %.17g", shape, i, j, got, want)
				}
				if m.RawRow(i)[j] != m.At(i, j) {
					t.Fatalf("RawRow(%d)[%d] != At(%d, %d)", i, j, i, j)
				}
			}
		}
	}
}

// gonumMatrix computes the same matrix with gonum: normalise, then A·Bᵀ. It
// is an independent check of NewMatrix and the alternative it is benchmarked
// against.
func gonumMatrix(rows, cols [][]float32) *mat.Dense {
	toDense := func(vs [][]float32) *mat.Dense {
		d := mat.NewDense(len(vs), len(vs[0]), nil)
		for i, v := range vs {
			row := d.RawRowView(i)
			for k, x := range v {
				row[k] = float64(x)
			}
			n := math.Sqrt(mat.Dot(d.RowView(i), d.RowView(i)))
			for k := range row {
				row[k] /= n
			}
		}
		return d
	}
	var out mat.Dense
	out.Mul(toDense(rows), toDense(cols).T())
	return &out
}

func TestMatrixAgainstGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	rows, cols := randSet(r, 20, 384), randSet(r, 50, 384)
	m, err := NewMatrix(rows, cols)
	if err != nil {
		t.Fatal(err)
	}
	g := gonumMatrix(rows, cols)
	for i := range rows {
		for j := range cols {
			if got, want := m.At(i, j), g.At(i, j); math.Abs(got-want) > 1e-13 {
				t.Fatalf("At(%d, %d) = %.17g, gonum %.17g", i, j, got, want)
			}
		}
	}
}

// hand builds a matrix from small integer vectors whose cosines are easy to
// check by hand.
func hand(t *testing.T) *Matrix {
	t.Helper()
	rows := [][]float32{{1, 0}, {0, 1}, {1, 1}}
	cols := [][]float32{{0, 2}, {3, 0}, {-1, 0}, {1, 1}, {0, 5}}
	// cosines:  row 0: 0 1 -1 .7071 0
	//           row 1: 1 0  0 .7071 1
	//           row 2: .7071 .7071 -.7071 1 .7071
	m, err := NewMatrix(rows, cols)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMatrixBest(t *testing.T) {
	m := hand(t)
	want := []Match{{1, 1}, {0, 1}, {3, 1}} // row 1: tie of columns 0 and 4, lower wins
	got := m.BestPerRow()
	for i := range want {
		if got[i].Index != want[i].Index || math.Abs(got[i].Similarity-want[i].Similarity) > 1e-15 {
			t.Errorf("BestPerRow()[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestMatrixTopKHand(t *testing.T) {
	m := hand(t)
	s := 1 / math.Sqrt2
	tests := []struct {
		row, k int
		want   []Match
	}{
		{0, 2, []Match{{1, 1}, {3, s}}},
		{0, 3, []Match{{1, 1}, {3, s}, {0, 0}}}, // 0 ties with column 4; lower first
		{1, 3, []Match{{0, 1}, {4, 1}, {3, s}}},
		{2, 10, []Match{{3, 1}, {0, s}, {1, s}, {4, s}, {2, -s}}},
		{2, 0, []Match{}},
		{2, -1, []Match{}},
	}
	for _, tt := range tests {
		got := m.TopK(tt.row, tt.k)
		if len(got) != len(tt.want) {
			t.Errorf("TopK(%d, %d) = %v, want %v", tt.row, tt.k, got, tt.want)
			continue
		}
		for i := range got {
			if got[i].Index != tt.want[i].Index || math.Abs(got[i].Similarity-tt.want[i].Similarity) > 1e-15 {
				t.Errorf("TopK(%d, %d)[%d] = %+v, want %+v (all: %v)", tt.row, tt.k, i, got[i], tt.want[i], got)
				break
			}
		}
	}
}

// TestMatrixTopKAgainstSort checks TopK, TopKPerRow and Best against a full
// stable sort, on matrices with many ties (few distinct vectors).
func TestMatrixTopKAgainstSort(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for trial := range 50 {
		distinct := randSet(r, 1+r.IntN(6), 8)
		pick := func(n int) [][]float32 {
			vs := make([][]float32, n)
			for i := range vs {
				vs[i] = distinct[r.IntN(len(distinct))]
			}
			return vs
		}
		rows, cols := pick(1+r.IntN(10)), pick(1+r.IntN(40))
		m, err := NewMatrix(rows, cols)
		if err != nil {
			t.Fatal(err)
		}
		k := r.IntN(len(cols) + 3)
		perRow := m.TopKPerRow(k)
		for i := range rows {
			idx := make([]int, len(cols))
			for j := range idx {
				idx[j] = j
			}
			sort.SliceStable(idx, func(x, y int) bool { return m.At(i, idx[x]) > m.At(i, idx[y]) })
			want := idx[:min(k, len(cols))]
			got := m.TopK(i, k)
			if len(got) != len(want) {
				t.Fatalf("trial %d: len(TopK(%d, %d)) = %d, want %d", trial, i, k, len(got), len(want))
			}
			for p := range want {
				if got[p].Index != want[p] || got[p].Similarity != m.At(i, want[p]) || perRow[i][p] != got[p] {
					t.Fatalf("trial %d: TopK(%d, %d) = %v, want indices %v", trial, i, k, got, want)
				}
			}
			if b := m.Best(i); b.Index != idx[0] {
				t.Fatalf("trial %d: Best(%d) = %+v, want index %d", trial, i, b, idx[0])
			}
		}
	}
}

func TestNewMatrixErrors(t *testing.T) {
	ok := []float32{1, 2}
	nan := float32(math.NaN())
	tests := []struct {
		name       string
		rows, cols [][]float32
		want       error
		where      string
	}{
		{"no rows", nil, [][]float32{ok}, ErrEmpty, ""},
		{"no columns", [][]float32{ok}, [][]float32{}, ErrEmpty, ""},
		{"row length", [][]float32{ok, {1}}, [][]float32{ok}, ErrDimensionMismatch, "row 1"},
		{"column length", [][]float32{ok}, [][]float32{ok, ok, {1, 2, 3}}, ErrDimensionMismatch, "column 2"},
		{"zero row", [][]float32{{0, 0}}, [][]float32{ok}, ErrZeroVector, "row 0"},
		{"zero column", [][]float32{ok}, [][]float32{ok, {0, 0}}, ErrZeroVector, "column 1"},
		{"NaN column", [][]float32{ok}, [][]float32{{nan, 1}}, ErrNotFinite, "column 0"},
		{"Inf row", [][]float32{ok, {float32(math.Inf(-1)), 0}}, [][]float32{ok}, ErrNotFinite, "row 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMatrix(tt.rows, tt.cols)
			if !errors.Is(err, tt.want) {
				t.Fatalf("NewMatrix = %v, %v; want error %v", m, err, tt.want)
			}
			if tt.where != "" && !strings.Contains(err.Error(), tt.where) {
				t.Errorf("error %q does not name %q", err, tt.where)
			}
		})
	}
}

// BenchmarkMatrix compares NewMatrix with gonum's A·Bᵀ for the shapes the
// matcher uses (job keywords × resume keywords × 384).
func BenchmarkMatrix(b *testing.B) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, shape := range [][2]int{{20, 50}, {50, 100}, {200, 400}} {
		rows, cols := randSet(r, shape[0], 384), randSet(r, shape[1], 384)
		b.Run(fmt.Sprintf("NewMatrix/%dx%d", shape[0], shape[1]), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewMatrix(rows, cols); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("gonum-mat.Mul/%dx%d", shape[0], shape[1]), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				gonumMatrix(rows, cols)
			}
		})
	}
}

func BenchmarkTopK(b *testing.B) {
	r := rand.New(rand.NewPCG(15, 16))
	m, err := NewMatrix(randSet(r, 20, 384), randSet(r, 200, 384))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.TopKPerRow(5)
	}
}
