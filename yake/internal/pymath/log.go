// Package pymath holds the floating-point kernels that make yake's scores
// bit-identical to CPython + numpy: a correctly rounded natural logarithm
// and numpy's pairwise summation.
package pymath

import "math"

// dd is an unevaluated sum hi+lo of two float64s (double-double), giving
// about 106 bits of precision. Every product is wrapped in float64(...) so
// that the compiler cannot fuse it into an FMA and change the rounding.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func fastTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

// split is Dekker's splitting of a into two 26-bit halves.
func split(a float64) (hi, lo float64) {
	const c = 134217729 // 2^27 + 1
	t := float64(c * a)
	hi = t - (t - a)
	return hi, a - hi
}

func twoProd(a, b float64) dd {
	p := float64(a * b)
	ah, al := split(a)
	bh, bl := split(b)
	e := ((float64(ah*bh) - p) + float64(ah*bl) + float64(al*bh)) + float64(al*bl)
	return dd{p, e}
}

func add(a, b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = fastTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return fastTwoSum(s.hi, s.lo)
}

func mul(a, b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += float64(a.hi*b.lo) + float64(a.lo*b.hi)
	return fastTwoSum(p.hi, p.lo)
}

func div(a, b dd) dd {
	q1 := a.hi / b.hi
	r := add(a, neg(mul(b, dd{q1, 0})))
	q2 := r.hi / b.hi
	r = add(r, neg(mul(b, dd{q2, 0})))
	q3 := r.hi / b.hi
	q := fastTwoSum(q1, q2)
	return add(q, dd{q3, 0})
}

func neg(a dd) dd { return dd{-a.hi, -a.lo} }

// ln2 to 106 bits.
var ln2 = dd{0.6931471805599453, 2.3190468138462996e-17}

// seriesTerms is enough for |s| <= 0.1716 (s² <= 0.0295): 24 terms of the
// atanh series leave an error below 2^-120 relative.
const seriesTerms = 24

// invOdd[k] = 1/(2k+1) in double-double.
var invOdd = func() [seriesTerms]dd {
	var t [seriesTerms]dd
	for k := range t {
		t[k] = div(dd{1, 0}, dd{float64(2*k + 1), 0})
	}
	return t
}()

// Log returns the natural logarithm of x correctly rounded to nearest
// (ties to even), like a correctly rounded libm; glibc's log, which CPython
// uses, agrees with it except in extremely rare hard cases. Special cases
// are those of math.Log.
func Log(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case x == 1:
		return 0
	}
	m, e := math.Frexp(x) // x = m·2^e, m in [0.5, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	// log(m) = 2·atanh(s) with s = (m-1)/(m+1); m-1 is exact.
	s := div(dd{m - 1, 0}, twoSum(m, 1))
	s2 := mul(s, s)
	p := invOdd[seriesTerms-1]
	for k := seriesTerms - 2; k >= 0; k-- {
		p = add(mul(p, s2), invOdd[k])
	}
	r := mul(s, p)
	r = dd{2 * r.hi, 2 * r.lo}
	if e != 0 {
		r = add(mul(dd{float64(e), 0}, ln2), r)
	}
	return r.hi + r.lo
}
