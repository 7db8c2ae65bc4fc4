package pymath

import "math"

// pwBlock is numpy's PW_BLOCKSIZE.
const pwBlock = 128

// Sum returns the sum of a exactly as numpy.sum does for a contiguous
// float64 array: pairwise summation with eight accumulators over blocks of
// at most 128 elements.
func Sum(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		res := 0.0
		for _, x := range a {
			res += x
		}
		return res
	case n <= pwBlock:
		var r [8]float64
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range r {
				r[j] += a[i+j]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return Sum(a[:n2]) + Sum(a[n2:])
	}
}

// MeanStd returns numpy.mean(a) and numpy.std(a) (ddof 0) bit for bit.
// scratch, if long enough, is used for the squared deviations.
func MeanStd(a, scratch []float64) (mean, std float64) {
	n := float64(len(a))
	mean = Sum(a) / n
	if cap(scratch) < len(a) {
		scratch = make([]float64, len(a))
	}
	sq := scratch[:len(a)]
	for i, x := range a {
		d := x - mean
		sq[i] = float64(d * d)
	}
	return mean, math.Sqrt(Sum(sq) / n)
}
