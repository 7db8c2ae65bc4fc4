package kernels

import "math"

// SoftmaxRows replaces each of the m rows x[i][0:n] (row stride ldx) by
// softmax_j(scale·x[i][j] + mask[j]). mask is an additive key mask of length
// n (0 to keep a key, a large negative value or -Inf to drop it) or nil.
// A row whose every entry is -Inf becomes all zeros.
//
// Entries below e^softmaxFlush times the row's largest become exactly 0:
// smaller ones would turn into denormal numbers in the products that
// follow, and Intel cores take about a hundred times longer on those. What
// is dropped is below 2e-28 of the row's weight, far under float32's
// resolution of the sum.
func SoftmaxRows(m, n int, x []float32, ldx int, scale float32, mask []float32) {
	if m <= 0 || n <= 0 {
		return
	}
	checkShape(m, n, x, ldx)
	if mask != nil {
		mask = mask[:n]
	}
	for i := 0; i < m; i++ {
		row := x[i*ldx : i*ldx+n]
		mx, done := float32(math.Inf(-1)), 0
		if mask == nil {
			mx, done = scaleMaxPrefix(row, scale)
		}
		for j := done; j < n; j++ {
			v := row[j]
			v *= scale
			if mask != nil {
				v += mask[j]
			}
			row[j] = v
			if v > mx {
				mx = v
			}
		}
		if math.IsInf(float64(mx), -1) {
			clear(row)
			continue
		}
		sum, done := expSumPrefix(row, mx)
		for j := done; j < n; j++ {
			var e float32
			if x := row[j] - mx; x >= softmaxFlush {
				e = expf(x)
			}
			row[j] = e
			sum += e
		}
		inv := 1 / sum
		for j := scalePrefix(row, inv); j < n; j++ {
			row[j] *= inv
		}
	}
}

// LayerNorm normalises each of the m rows x[i][0:n] (row stride ldx) in
// place: x = (x-mean)/sqrt(var+eps)·gamma + beta, with the biased variance
// of BERT's LayerNorm. gamma and beta have length n. The sums run in eight
// lanes (sum8), in assembly where the CPU allows and in Go otherwise, with
// the same bits either way.
func LayerNorm(m, n int, x []float32, ldx int, gamma, beta []float32, eps float32) {
	if m <= 0 || n <= 0 {
		return
	}
	checkShape(m, n, x, ldx)
	gamma, beta = gamma[:n], beta[:n]
	for i := 0; i < m; i++ {
		row := x[i*ldx : i*ldx+n]
		mean := sum8(row, 0, false) / float32(n)
		variance := sum8(row, mean, true) / float32(n)
		inv := float32(1 / math.Sqrt(float64(variance+eps)))
		for j := normPrefix(row, mean, inv, gamma, beta); j < n; j++ {
			// The conversions keep the compiler from fusing a multiply
			// and an add, which the assembly does not do either.
			row[j] = float32(float32((row[j]-mean)*inv)*gamma[j]) + beta[j]
		}
	}
}

// sum8 returns Σ x[j], or Σ (x[j]-c)² when sq is set, in the order of the
// AVX2 loop: eight running sums (lane j mod 8) over the longest prefix
// whose length is a multiple of 8, folded by fold8, then the rest in
// order. Eight independent sums also keep the additions from waiting on
// each other.
func sum8(x []float32, c float32, sq bool) float32 {
	n := len(x) &^ 7
	s, ok := sumPrefix(x[:n], c, sq)
	if !ok {
		var l [8]float32
		for j := 0; j < n; j += 8 {
			q := x[j : j+8 : j+8]
			for i := range l {
				if sq {
					d := q[i] - c
					l[i] += float32(d * d)
				} else {
					l[i] += q[i]
				}
			}
		}
		s = fold8(&l)
	}
	for _, v := range x[n:] {
		if sq {
			v = float32((v - c) * (v - c))
		}
		s += v
	}
	return s
}

// fold8 adds eight lanes in the order of the AVX2 horizontal reduction.
func fold8(l *[8]float32) float32 {
	a0, a1, a2, a3 := l[0]+l[4], l[1]+l[5], l[2]+l[6], l[3]+l[7]
	return (a0 + a2) + (a1 + a3)
}

// gelu is the exact GELU, x·Φ(x) = x/2·(1+erf(x/√2)).
func gelu(x float32) float32 {
	return 0.5 * x * (1 + erff(x*math.Sqrt2/2))
}

// erff is erf in float32 as a rational approximation on [-4, 4] (the one of
// Eigen and XLA): within 5e-7 of math.Erf and much cheaper.
func erff(x float32) float32 {
	x = min(max(x, -4), 4)
	x2 := x * x
	p := x2*-2.72614225801306e-10 + 2.77068142495902e-08
	p = x2*p + -2.10102402082508e-06
	p = x2*p + -5.69250639462346e-05
	p = x2*p + -7.34990630326855e-04
	p = x2*p + -2.95459980854025e-03
	p = x2*p + -1.60960333262415e-02
	p *= x
	q := x2*-1.45660718464996e-05 + -2.13374055278905e-04
	q = x2*q + -1.68282697438203e-03
	q = x2*q + -7.37332916720468e-03
	q = x2*q + -1.42647390514189e-02
	return p / q
}

// softmaxFlush is the least x, relative to its row's maximum, whose e^x
// SoftmaxRows keeps. Every kept probability is then at least e^-64/512, so
// its products with values of the model's size stay normal numbers.
const softmaxFlush = -64

// expf is e^x in float32 (Cephes' expf): x = n·ln2 + r with |r| <= ln2/2,
// a degree-7 polynomial for e^r, and n added to the exponent. Within 2e-7
// relative of math.Exp and several times cheaper; results below the
// smallest normal float32 flush to zero, which softmax does not notice.
func expf(x float32) float32 {
	switch {
	case x != x:
		return x
	case x > 88.72283:
		return float32(math.Inf(1))
	case x < -87.33654:
		return 0
	}
	t := x * math.Log2E
	if t < 0 {
		t -= 0.5
	} else {
		t += 0.5
	}
	n := float32(int32(t))
	r := x - n*0.693359375 - n*-2.12194440e-4
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	y := p*r*r + r + 1
	e := int32(n)
	if e > 127 { // 2^128 is not a float32; y < 1 here, so y·2·2^127 is finite
		y *= 2
		e--
	}
	return y * math.Float32frombits(uint32(e+127)<<23)
}
