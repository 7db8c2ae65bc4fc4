package similarity

import (
	"errors"
	"fmt"
	"math"
)

// Errors returned for input whose cosine similarity is undefined.
var (
	// ErrDimensionMismatch means two vectors have different lengths.
	ErrDimensionMismatch = errors.New("similarity: dimension mismatch")
	// ErrZeroVector means a vector has norm zero (this includes an empty vector).
	ErrZeroVector = errors.New("similarity: zero vector")
	// ErrNotFinite means a vector has a NaN or infinite component.
	ErrNotFinite = errors.New("similarity: NaN or infinite component")
	// ErrEmpty means a set of vectors given to NewMatrix is empty.
	ErrEmpty = errors.New("similarity: empty set of vectors")
)

// Cosine returns the cosine similarity of a and b, the dot product divided
// by the product of the norms, in [-1, 1].
func Cosine(a, b []float32) (float64, error) {
	if len(a) != len(b) {
		return 0, fmt.Errorf("%w: %d and %d", ErrDimensionMismatch, len(a), len(b))
	}
	var dot, na, nb float64
	for i, x := range a {
		x, y := float64(x), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
	}
	if err := checkNorm2(na); err != nil {
		return 0, fmt.Errorf("first vector: %w", err)
	}
	if err := checkNorm2(nb); err != nil {
		return 0, fmt.Errorf("second vector: %w", err)
	}
	return clamp(dot / (math.Sqrt(na) * math.Sqrt(nb))), nil
}

// checkNorm2 reports whether a squared norm comes from a usable vector. A sum
// of squares of float32 values cannot overflow a float64, so a NaN or an
// infinity here comes from a NaN or infinite component.
func checkNorm2(n2 float64) error {
	switch {
	case math.IsNaN(n2) || math.IsInf(n2, 0):
		return ErrNotFinite
	case n2 == 0:
		return ErrZeroVector
	}
	return nil
}

// clamp keeps a rounded cosine within [-1, 1].
func clamp(c float64) float64 {
	return min(1, max(-1, c))
}

// norm2 returns the squared Euclidean norm of v in float64.
func norm2(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return s
}
