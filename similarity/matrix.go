package similarity

import (
	"fmt"
	"math"
	"sync"

	"gonum.org/v1/gonum/floats"
)

// Match is one column of a [Matrix] row: the column index and its similarity.
type Match struct {
	Index      int
	Similarity float64
}

// Matrix holds the cosine similarity of every row vector with every column
// vector, row-major. Create one with [NewMatrix]; a Matrix is immutable and
// safe for concurrent use.
type Matrix struct {
	rows, cols int
	data       []float64
}

// NewMatrix returns the rows×cols matrix whose element (i, j) is the cosine
// similarity of rows[i] and cols[j]. Every vector must have the same length,
// a non-zero norm and finite components, and neither set may be empty; the
// errors wrap [ErrEmpty], [ErrDimensionMismatch], [ErrZeroVector] or
// [ErrNotFinite] and name the offending vector. The input is not retained.
func NewMatrix(rows, cols [][]float32) (*Matrix, error) {
	if len(rows) == 0 || len(cols) == 0 {
		return nil, fmt.Errorf("%w: %d rows, %d columns", ErrEmpty, len(rows), len(cols))
	}
	dim := len(rows[0])
	buf := scratch.Get().(*[]float64)
	defer scratch.Put(buf)
	if n := (len(rows) + len(cols)) * dim; cap(*buf) < n {
		*buf = make([]float64, n)
	}
	a, b := (*buf)[:len(rows)*dim], (*buf)[len(rows)*dim:(len(rows)+len(cols))*dim]
	if err := normalize(a, rows, dim, "row"); err != nil {
		return nil, err
	}
	if err := normalize(b, cols, dim, "column"); err != nil {
		return nil, err
	}
	m := &Matrix{rows: len(rows), cols: len(cols), data: make([]float64, len(rows)*len(cols))}
	for i := range m.rows {
		ai := a[i*dim : (i+1)*dim]
		out := m.data[i*m.cols : (i+1)*m.cols]
		for j := range out {
			out[j] = clamp(floats.Dot(ai, b[j*dim:(j+1)*dim]))
		}
	}
	return m, nil
}

// scratch holds the float64 copies of the vectors that NewMatrix works on.
var scratch = sync.Pool{New: func() any { return new([]float64) }}

// normalize writes the vectors, scaled to unit norm, into out, one after
// another.
func normalize(out []float64, vs [][]float32, dim int, what string) error {
	for i, v := range vs {
		if len(v) != dim {
			return fmt.Errorf("%s %d: %w: length %d, want %d", what, i, ErrDimensionMismatch, len(v), dim)
		}
		n2 := norm2(v)
		if err := checkNorm2(n2); err != nil {
			return fmt.Errorf("%s %d: %w", what, i, err)
		}
		inv := 1 / math.Sqrt(n2)
		o := out[i*dim : (i+1)*dim]
		for k, x := range v {
			o[k] = float64(x) * inv
		}
	}
	return nil
}

// Dims returns the number of rows and columns.
func (m *Matrix) Dims() (rows, cols int) { return m.rows, m.cols }

// At returns the similarity of row i and column j. It panics if i or j is out
// of range, like indexing a slice.
func (m *Matrix) At(i, j int) float64 {
	if j < 0 || j >= m.cols {
		panic(fmt.Sprintf("similarity: column %d out of range [0, %d)", j, m.cols))
	}
	return m.data[i*m.cols+j]
}

// RawRow returns the similarities of row i with every column. The slice
// shares the matrix's storage and must not be modified.
func (m *Matrix) RawRow(i int) []float64 {
	return m.data[i*m.cols : (i+1)*m.cols : (i+1)*m.cols]
}

// Best returns the column most similar to row i; of equal similarities the
// lowest column index wins.
func (m *Matrix) Best(i int) Match {
	row := m.RawRow(i)
	best := Match{Index: 0, Similarity: row[0]}
	for j, s := range row[1:] {
		if s > best.Similarity {
			best = Match{Index: j + 1, Similarity: s}
		}
	}
	return best
}

// BestPerRow returns [Matrix.Best] for every row.
func (m *Matrix) BestPerRow() []Match {
	out := make([]Match, m.rows)
	for i := range out {
		out[i] = m.Best(i)
	}
	return out
}

// TopK returns the k columns most similar to row i, most similar first; of
// equal similarities the lower column index comes first. k is capped at the
// number of columns; k ≤ 0 gives an empty result.
func (m *Matrix) TopK(i, k int) []Match {
	k = min(k, m.cols)
	if k <= 0 {
		return []Match{}
	}
	top := make([]Match, 0, k)
	for j, s := range m.RawRow(i) {
		if len(top) == k && s <= top[k-1].Similarity {
			continue
		}
		// Insert after every element at least as similar, keeping ties in
		// column order.
		p := len(top)
		for p > 0 && top[p-1].Similarity < s {
			p--
		}
		if len(top) < k {
			top = append(top, Match{})
		}
		copy(top[p+1:], top[p:len(top)-1])
		top[p] = Match{Index: j, Similarity: s}
	}
	return top
}

// TopKPerRow returns [Matrix.TopK] for every row.
func (m *Matrix) TopKPerRow(k int) [][]Match {
	out := make([][]Match, m.rows)
	for i := range out {
		out[i] = m.TopK(i, k)
	}
	return out
}
