package kernels

import (
	"math"
	"sync"
	"unsafe"
)

// QuantizedB is a matrix B (n×k, the weight W[out×in] of a linear layer)
// quantised to int8 with one scale per row of B (per output channel):
// B[j][p] ≈ q[j][p]·scale[j], q in [-127, 127]. It is laid out in panels of
// 32 rows of B, each holding groups of 4 consecutive k values per row, the
// operand order of VPDPBUSD. A QuantizedB is immutable and safe for
// concurrent use.
type QuantizedB struct {
	n, k  int
	kq    int       // k rounded up to a multiple of 4, divided by 4
	data  []int8    // panels × kq × 32 × 4
	bias  []int32   // per padded column: -128·Σ_p q[j][p], undoing A's zero point 128
	scale []float32 // per padded column; 0 past n
	csum  []float32 // per padded column: Σ_p q[j][p]·scale[j], for other zero points
}

// int8NR is the panel width of QuantizedB for every int8 kernel.
const int8NR = 32

// N returns the number of rows of the quantised matrix.
func (q *QuantizedB) N() int { return q.n }

// K returns the number of columns of the quantised matrix.
func (q *QuantizedB) K() int { return q.k }

// QuantizeB quantises b, an n×k row-major matrix with row stride k, for
// GemmNTInt8: symmetric int8 with a scale of max|row|/127 per row.
func QuantizeB(b []float32, n, k int) *QuantizedB {
	checkShape(n, k, b, k)
	kq := (k + 3) / 4
	panels := (n + int8NR - 1) / int8NR
	q := &QuantizedB{
		n: n, k: k, kq: kq,
		data:  alignedInt8s(panels * kq * int8NR * 4),
		bias:  make([]int32, panels*int8NR),
		scale: make([]float32, panels*int8NR),
		csum:  make([]float32, panels*int8NR),
	}
	for j := 0; j < n; j++ {
		row := b[j*k : j*k+k]
		var mx float32
		for _, v := range row {
			mx = max(mx, abs32(v))
		}
		if mx == 0 {
			continue
		}
		q.scale[j] = mx / 127
		inv := 127 / mx
		// Column j of its panel: 4 bytes every int8NR·4.
		col := q.data[j/int8NR*kq*int8NR*4+j%int8NR*4:]
		var sum int32
		for p, v := range row {
			x := roundInt8(v * inv)
			col[p/4*int8NR*4+p%4] = x
			sum += int32(x)
		}
		q.bias[j] = -128 * sum
		q.csum[j] = float32(sum) * q.scale[j]
	}
	return q
}

// GemmNTInt8 sets c ≈ a·bᵀ for the quantised n×k matrix qb, where a is m×k
// with row stride lda and c is m×n with row stride ldc. Each row of a is
// quantised on the fly to uint8 with its own scale and zero point (dynamic
// asymmetric quantisation over the row's range, 0 included), products are
// summed exactly in int32 and scaled back to float32. The error is about
// 1% of the row norms; check the model's output before using it in place
// of GemmNTPacked. It is fast only with AVX-512 VNNI (see
// Int8Accelerated); elsewhere a portable kernel runs.
func GemmNTInt8(m int, a []float32, lda int, qb *QuantizedB, c []float32, ldc int) {
	gemmNTInt8(int8Best, m, a, lda, qb, c, ldc, epilogue{})
}

// Int8Accelerated reports whether GemmNTInt8 runs an assembly kernel on
// this CPU.
func Int8Accelerated() bool { return int8Best != goInt8Kernel }

var goInt8Kernel = &kernel{name: "go-int8", id: idGo, mr: 4, nr: int8NR, mc: 128}

var int8Avail = append(archInt8Kernels(), goInt8Kernel)

var int8Best = int8Avail[0]

// qscratch holds the quantised rows of A for one call.
type qscratch struct {
	a     []uint8
	scale []float32
	corr  []float32 // (128-zero point)·scale per row
}

var qscratchPool = sync.Pool{New: func() any { return new(qscratch) }}

func gemmNTInt8(kn *kernel, m int, a []float32, lda int, qb *QuantizedB, c []float32, ldc int, ep epilogue) {
	if m <= 0 || qb.n <= 0 {
		return
	}
	checkShape(m, qb.k, a, lda)
	checkShape(m, qb.n, c, ldc)
	if qb.k == 0 {
		// c = 0 plus the epilogue: the float32 path handles an empty k.
		t := newTask(goKernel, m, qb.n, 0, nil, 0, nil, c, ldc)
		t.ep = ep
		t.exec()
		return
	}
	s := qscratchPool.Get().(*qscratch)
	qlda := qb.kq * 4
	if cap(s.a) < m*qlda {
		s.a = make([]uint8, m*qlda)
	}
	if cap(s.scale) < m {
		s.scale, s.corr = make([]float32, m), make([]float32, m)
	}
	s.a, s.scale, s.corr = s.a[:m*qlda], s.scale[:m], s.corr[:m]
	quantizeRows(m, qb.k, a, lda, s.a, qlda, s.scale, s.corr)
	t := newTask(kn, m, qb.n, qb.k, nil, 0, nil, c, ldc)
	t.q, t.qa, t.qsa, t.qcorr, t.qlda = qb, s.a, s.scale, s.corr, qlda
	t.ep = ep
	t.exec()
	qscratchPool.Put(s)
}

// quantizeRows writes each row of a as uint8 into dst (row stride ldq,
// padded with the zero point): x ≈ (q-z)·scale with scale = (hi-lo)/255
// over the row's range [lo, hi] widened to hold 0, and z the rounded q of
// 0. corr[i] receives (128-z)·scale, which turns the products of the
// kernels, made for the zero point 128, into those for z.
func quantizeRows(m, k int, a []float32, lda int, dst []uint8, ldq int, scale, corr []float32) {
	for i := 0; i < m; i++ {
		row := a[i*lda : i*lda+k]
		d := dst[i*ldq : i*ldq+ldq]
		lo, hi, n := rangePrefix(row)
		for _, v := range row[n:] {
			lo, hi = min(lo, v), max(hi, v)
		}
		s := (hi - lo) / 255
		if !(s > 0) {
			s = 1 // an all-zero row
		}
		inv := 1 / s
		z := float32(int32(-lo*inv + 0.5))
		scale[i], corr[i] = s, (128-z)*s
		// float32(v·inv)+z+0.5 lies in [0, 256.5): truncation rounds it.
		off := z + 0.5
		n = quantPrefix(row, inv, off, d)
		for p := n; p < k; p++ {
			d[p] = uint8(min(int32(float32(row[p]*inv)+off), 255))
		}
		for p := k; p < ldq; p++ {
			d[p] = uint8(z)
		}
	}
}

// chunkInt8 computes rows [i0,i1) of c for the column panels [p0,p1) of an
// int8 task, in one pass over k.
func (t *task) chunkInt8(i0, i1, p0, p1 int, tile []float32) {
	kn, q := t.kn, t.q
	mr, kq := kn.mr, q.kq
	for jp := p0; jp < p1; jp++ {
		b := q.data[jp*kq*int8NR*4 : (jp+1)*kq*int8NR*4]
		j := jp * int8NR
		bias, sb := q.bias[j:j+int8NR], q.scale[j:j+int8NR]
		nv := min(int8NR, t.n-j)
		for i := i0; i < i1; i += mr {
			mrr := min(mr, i1-i)
			a, sa := t.qa[i*t.qlda:], t.qsa[i:i+mrr]
			if nv == int8NR {
				microInt8(kn, mrr, kq, a, t.qlda, b, t.c[i*t.ldc+j:], t.ldc, bias, sb, sa)
			} else {
				microInt8(kn, mrr, kq, a, t.qlda, b, tile, int8NR, bias, sb, sa)
				for r := 0; r < mrr; r++ {
					copy(t.c[(i+r)*t.ldc+j:(i+r)*t.ldc+j+nv], tile[r*int8NR:])
				}
			}
			// Zero points other than the kernels' 128.
			for r := 0; r < mrr; r++ {
				cr, cs, a := t.c[(i+r)*t.ldc+j:(i+r)*t.ldc+j+nv], q.csum[j:j+nv], t.qcorr[i+r]
				for x := axpyPrefix(cr, cs, a); x < nv; x++ {
					cr[x] += a * cs[x]
				}
			}
			t.epilogue(i, mrr, j, nv)
		}
	}
}

// microInt8 sets the mr×32 tile c[i][j] = float32(bias[j] + Σ a[i][p]·b[p][j])
// ·sb[j]·sa[i], with a uint8 (row stride lda bytes) and b one int8 panel.
func microInt8(kn *kernel, mr, kq int, a []uint8, lda int, b []int8, c []float32, ldc int, bias []int32, sb, sa []float32) {
	_ = a[(mr-1)*lda+kq*4-1]
	_ = b[kq*int8NR*4-1]
	_ = c[(mr-1)*ldc+int8NR-1]
	_, _, _ = bias[int8NR-1], sb[int8NR-1], sa[mr-1]
	if kn.id == idGo {
		microInt8Go(mr, kq, a, lda, b, c, ldc, bias, sb, sa)
		return
	}
	microInt8Arch(kn.id, mr, kq, a, lda, b, c, ldc, bias, sb, sa)
}

// microInt8Go is the portable int8 micro-kernel; its int32 sums are exact,
// and it scales in the same order as the assembly, so results match bit
// for bit.
func microInt8Go(mr, kq int, a []uint8, lda int, b []int8, c []float32, ldc int, bias []int32, sb, sa []float32) {
	for i := 0; i < mr; i++ {
		ar := a[i*lda : i*lda+kq*4]
		var acc [int8NR]int32
		copy(acc[:], bias)
		for q := 0; q < kq; q++ {
			a0, a1, a2, a3 := int32(ar[4*q]), int32(ar[4*q+1]), int32(ar[4*q+2]), int32(ar[4*q+3])
			bq := b[q*int8NR*4 : (q+1)*int8NR*4]
			for j := range acc {
				w := bq[4*j : 4*j+4 : 4*j+4]
				acc[j] += a0*int32(w[0]) + a1*int32(w[1]) + a2*int32(w[2]) + a3*int32(w[3])
			}
		}
		ci := c[i*ldc : i*ldc+int8NR]
		for j, v := range acc {
			ci[j] = float32(v) * sb[j] * sa[i]
		}
	}
}

// alignedInt8s returns n zeroed int8s starting on a 64-byte boundary, so
// that vector loads of B panels never split a cache line.
func alignedInt8s(n int) []int8 {
	buf := make([]int8, n+63)
	off := (64 - int(uintptr(unsafe.Pointer(&buf[0]))&63)) & 63
	return buf[off : off+n : off+n]
}

func abs32(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }

// roundInt8 rounds x (|x| <= 127 up to rounding) half away from zero,
// without a branch: weights have random signs.
func roundInt8(x float32) int8 {
	half := math.Float32frombits(math.Float32bits(x)&(1<<31) | math.Float32bits(0.5))
	return int8(min(max(int32(x+half), -127), 127))
}
