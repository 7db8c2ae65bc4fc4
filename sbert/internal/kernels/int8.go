package kernels

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"unsafe"
)

// QuantizedB is a matrix B (n×k, the weight W[out×in] of a linear layer)
// quantised to symmetric int8 with one scale per row of B (per output
// channel) and group of k values: B[j][p] ≈ q[j][p]·scale[j][p/G], q in
// [-127, 127]. When k is a multiple of 128, B is first rotated along k by
// the block Walsh–Hadamard transform (B·H/128, see fwht), the products
// rotate each row of A by H before quantising it, which leaves a·bᵀ
// unchanged and the rounding errors much smaller, and G is 128; otherwise
// G is k. The data is laid out in panels of 32 rows of B, each holding
// groups of 4 consecutive k values per row, the operand order of VPDPBUSD.
// A QuantizedB is immutable once its row biases are set, and then safe for
// concurrent use.
type QuantizedB struct {
	n, k   int
	kq     int       // k rounded up to a multiple of 4, divided by 4
	gq     int       // k values per scale, divided by 4
	groups int       // kq / gq
	data   []int8    // panels × kq × 32 × 4
	bias   []int32   // panels × groups × 32: -128·Σ_{p in group} q[j][p], undoing A's zero point 128
	scale  []float32 // panels × groups × 32; 0 past n
	csum   []float32 // per padded column: Σ_p q[j][p]·scale[j][p/G], for other zero points

	rowBias [][]float32 // see SetRowBias
}

// int8NR is the panel width of QuantizedB for every int8 kernel.
const int8NR = 32

// N returns the number of rows of the quantised matrix.
func (q *QuantizedB) N() int { return q.n }

// K returns the number of columns of the quantised matrix.
func (q *QuantizedB) K() int { return q.k }

// QuantizeB quantises b, an n×k row-major matrix with row stride k, for
// GemmNTInt8, as described at QuantizedB: a scale of max|group|/127 per
// row and group, after the rotation when k is a multiple of 128.
func QuantizeB(b []float32, n, k int) *QuantizedB {
	q, _ := QuantizeBErrors(b, n, k)
	return q
}

// QuantizeBErrors is QuantizeB that also returns, for each vector x of
// length k in xs, the error that rounding the weights makes on the product
// with x: e = b·x − B̂·x, where B̂ is the matrix that the products see
// (the int8 values times their scales, the rotation undone), summed in
// float64 over the (rotated) weights before and after rounding. x itself
// is not rounded: e is what SetRowBias needs to remove the weights' error
// on rows near x.
func QuantizeBErrors(b []float32, n, k int, xs ...[]float32) (*QuantizedB, [][]float32) {
	checkShape(n, k, b, k)
	for i, x := range xs {
		if len(x) != k {
			panic(fmt.Sprintf("kernels: QuantizeBErrors: vector %d has length %d, want %d", i, len(x), k))
		}
	}
	kq, gq := quantGroups(k)
	panels := (n + int8NR - 1) / int8NR
	var tmp []float32
	if rotates(k) {
		tmp = make([]float32, k)
	}
	groups := (kq + gq - 1) / gq
	q := &QuantizedB{
		n: n, k: k, kq: kq, gq: gq, groups: groups,
		data:  alignedInt8s(panels * kq * int8NR * 4),
		bias:  make([]int32, panels*groups*int8NR),
		scale: make([]float32, panels*groups*int8NR),
		csum:  make([]float32, panels*int8NR),
	}
	// The errors are sums over the rotated rows, so the vectors are
	// rotated too: b·x = (b·H/128)·(x·H).
	xr := make([][]float32, len(xs))
	errs := make([][]float32, len(xs))
	for i, x := range xs {
		xr[i] = append([]float32(nil), x...)
		if tmp != nil {
			fwht(xr[i])
		}
		errs[i] = make([]float32, n)
	}
	esum := make([]float64, len(xs))
	qrow := make([]int8, max(gq*4, 1))
	for j := 0; j < n && k > 0; j++ {
		row := b[j*k : j*k+k]
		if tmp != nil {
			copy(tmp, row)
			fwht(tmp)
			for p := range tmp {
				tmp[p] *= 1.0 / hadamardBlock // exact: a power of 2
			}
			row = tmp
		}
		// Column j of its panel: 4 bytes every int8NR·4.
		col := q.data[j/int8NR*kq*int8NR*4+j%int8NR*4:]
		for g := range groups {
			lo, hi := min(g*gq*4, k), min((g+1)*gq*4, k)
			part := row[lo:hi]
			var mx float32
			for _, v := range part {
				if a := abs32(v); a > mx {
					mx = a
				}
			}
			if mx == 0 {
				continue
			}
			at := (j/int8NR*groups+g)*int8NR + j%int8NR
			q.scale[at] = mx / 127
			inv := 127 / mx
			qs := qrow[:len(part)]
			var sum int32
			for i, v := range part {
				x := roundInt8(v * inv)
				qs[i] = x
				sum += int32(x)
			}
			// lo is a multiple of 4: whole groups of 4 go to the panel.
			for i := 0; i < len(qs); i += 4 {
				copy(col[(lo+i)*int8NR:(lo+i)*int8NR+4], qs[i:])
			}
			for c, x := range xr {
				esum[c] += roundingError(part, qs, float64(q.scale[at]), x[lo:hi])
			}
			q.bias[at] = -128 * sum
			q.csum[j] += float32(sum) * q.scale[at]
		}
		for c := range errs {
			errs[c][j] = float32(esum[c])
			esum[c] = 0
		}
	}
	return q, errs
}

// roundingError returns Σ (v[i] − q[i]·s)·x[i] in float64, in four running
// sums.
func roundingError(v []float32, q []int8, s float64, x []float32) float64 {
	var e [4]float64
	i := 0
	for ; i+4 <= len(v); i += 4 {
		vv, qq, xx := v[i:i+4:i+4], q[i:i+4:i+4], x[i:i+4:i+4]
		for l := range 4 {
			e[l] += (float64(vv[l]) - float64(qq[l])*s) * float64(xx[l])
		}
	}
	for ; i < len(v); i++ {
		e[0] += (float64(v[i]) - float64(q[i])*s) * float64(x[i])
	}
	return (e[0] + e[1]) + (e[2] + e[3])
}

// SetRowBias sets the vectors, of length N each, that the Linear functions
// add to the rows of their product whose kind is 1, 2, ... (v[0] for kind
// 1), before the activation: corrections, such as the mean rounding error
// of rows that hold a sequence's first or last token. It must be called
// before the matrix is used.
func (q *QuantizedB) SetRowBias(v ...[]float32) {
	for i, b := range v {
		if len(b) != q.n {
			panic(fmt.Sprintf("kernels: row bias %d has length %d, want %d", i, len(b), q.n))
		}
	}
	q.rowBias = v
}

// GemmNTInt8 sets c ≈ a·bᵀ for the quantised n×k matrix qb, where a is m×k
// with row stride lda and c is m×n with row stride ldc. Each row of a is
// quantised on the fly to uint8 with its own scale and zero point (dynamic
// asymmetric quantisation over the row's range, 0 included), products are
// summed exactly in int32 and scaled back to float32. The error is about
// 1% of the row norms; check the model's output before using it in place
// of GemmNTPacked. It runs in assembly with AVX-512 VNNI, AVX2 or the
// arm64 dot product (see Int8Accelerated); elsewhere a portable kernel
// runs.
func GemmNTInt8(m int, a []float32, lda int, qb *QuantizedB, c []float32, ldc int) {
	gemmNTInt8(int8Best, m, a, lda, qb, c, ldc, epilogue{})
}

// Int8Accelerated reports whether GemmNTInt8 runs an assembly kernel on
// this CPU.
func Int8Accelerated() bool { return int8Best != goInt8Kernel }

// Int8DotProduct reports whether GemmNTInt8 runs on int8 dot-product
// instructions (AVX-512 VNNI, the arm64 dot product), which do four times
// the work of a float32 multiply-add; the AVX2 kernel does not.
func Int8DotProduct() bool { return int8Best.id == idVNNI || int8Best.id == idSDOT }

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
	qj := quantPool.Get().(*quantJob)
	*qj = quantJob{m: m, k: qb.k, a: a, lda: lda, dst: s.a, ldq: qlda, scale: s.scale, corr: s.corr}
	if blocks := (m + quantRows - 1) / quantRows; blocks > 1 && m*qb.k >= parMinQuant {
		runShared(qj, blocks-1, &qj.pending)
	} else {
		qj.work()
	}
	*qj = quantJob{}
	quantPool.Put(qj)
	t := newTask(kn, m, qb.n, qb.k, nil, 0, nil, c, ldc)
	t.q, t.qa, t.qsa, t.qcorr, t.qlda = qb, s.a, s.scale, s.corr, qlda
	t.ep = ep
	t.exec()
	qscratchPool.Put(s)
}

// quantRows is the number of rows of A that a goroutine quantises at a
// time, and parMinQuant the number of values of A below which the caller
// quantises them alone.
const (
	quantRows   = 16
	parMinQuant = 1 << 15
)

// quantJob quantises the rows of A for one int8 product: goroutines claim
// blocks of quantRows rows through next.
type quantJob struct {
	m, k    int
	a       []float32
	lda     int
	dst     []uint8
	ldq     int
	scale   []float32
	corr    []float32
	next    atomic.Int64
	pending atomic.Int32 // helpers working on j
}

var quantPool = sync.Pool{New: func() any { return new(quantJob) }}

// work quantises blocks until none are left, rotating rows (see
// QuantizedB) in its own buffer.
func (j *quantJob) work() {
	var rot []float32
	if rotates(j.k) {
		s := getScratch(j.k)
		defer scratchPool.Put(s)
		rot = s.buf
	}
	for {
		b := int(j.next.Add(1)-1) * quantRows
		if b >= j.m {
			return
		}
		e := min(j.m, b+quantRows)
		quantizeRows(e-b, j.k, j.a[b*j.lda:], j.lda, rot, j.dst[b*j.ldq:], j.ldq, j.scale[b:e], j.corr[b:e])
	}
}

// quantizeRows writes each row of a as uint8 into dst (row stride ldq,
// padded with the zero point): x ≈ (q-z)·scale with scale = (hi-lo)/255
// over the row's range [lo, hi] widened to hold 0, and z the rounded q of
// 0. corr[i] receives (128-z)·scale, which turns the products of the
// kernels, made for the zero point 128, into those for z. When rot is not
// nil (length k), each row is copied there and rotated by H first.
func quantizeRows(m, k int, a []float32, lda int, rot []float32, dst []uint8, ldq int, scale, corr []float32) {
	for i := 0; i < m; i++ {
		row := a[i*lda : i*lda+k]
		if rot != nil {
			copy(rot, row)
			fwht(rot)
			row = rot
		}
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
	mr, kq, ng := kn.mr, q.kq, q.groups*int8NR
	for jp := p0; jp < p1; jp++ {
		b := q.data[jp*kq*int8NR*4 : (jp+1)*kq*int8NR*4]
		j := jp * int8NR
		bias, sb, cs := q.bias[jp*ng:(jp+1)*ng], q.scale[jp*ng:(jp+1)*ng], q.csum[j:j+int8NR]
		nv := min(int8NR, t.n-j)
		for i := i0; i < i1; i += mr {
			mrr := min(mr, i1-i)
			a, sa, zc := t.qa[i*t.qlda:], t.qsa[i:i+mrr], t.qcorr[i:i+mrr]
			if nv == int8NR {
				microInt8(kn, mrr, q, a, t.qlda, b, t.c[i*t.ldc+j:], t.ldc, bias, sb, sa, zc, cs)
			} else {
				microInt8(kn, mrr, q, a, t.qlda, b, tile, int8NR, bias, sb, sa, zc, cs)
				for r := 0; r < mrr; r++ {
					copy(t.c[(i+r)*t.ldc+j:(i+r)*t.ldc+j+nv], tile[r*int8NR:])
				}
			}
			t.epilogue(i, mrr, j, nv)
		}
	}
}

// microInt8 sets the mr×32 tile of c to, per element,
//
//	s = Σ_g float32(float32(bias[g][j] + Σ_{p in g} a[i][p]·b[p][j]) · sb[g][j])
//	c[i][j] = float32(s·sa[i]) + float32(zc[i]·cs[j])
//
// with s summed from 0 in the order of the groups g of q, a uint8 (row
// stride lda bytes), b one int8 panel, and bias and sb the panel's groups
// of 32. zc[i]·cs[j] moves the zero point 128 of the kernels to the row's.
func microInt8(kn *kernel, mr int, q *QuantizedB, a []uint8, lda int, b []int8, c []float32, ldc int, bias []int32, sb, sa, zc, cs []float32) {
	kq, gq, ng := q.kq, q.gq, q.groups
	_ = a[(mr-1)*lda+kq*4-1]
	_ = b[kq*int8NR*4-1]
	_ = c[(mr-1)*ldc+int8NR-1]
	_, _, _, _, _ = bias[ng*int8NR-1], sb[ng*int8NR-1], sa[mr-1], zc[mr-1], cs[int8NR-1]
	if kn.id == idGo {
		microInt8Go(mr, ng, gq, a, lda, b, c, ldc, bias, sb, sa, zc, cs)
		return
	}
	microInt8Arch(kn.id, mr, ng, gq, a, lda, b, c, ldc, bias, sb, sa, zc, cs)
}

// microInt8Go is the portable int8 micro-kernel; its int32 sums are exact,
// and it rounds in the order of the assembly (the explicit conversions
// keep the compiler from fusing a multiply and an add), so results match
// bit for bit.
func microInt8Go(mr, groups, gq int, a []uint8, lda int, b []int8, c []float32, ldc int, bias []int32, sb, sa, zc, cs []float32) {
	for i := 0; i < mr; i++ {
		var sum [int8NR]float32
		for g := range groups {
			var acc [int8NR]int32
			copy(acc[:], bias[g*int8NR:(g+1)*int8NR])
			sumInt8Go(&acc, a[i*lda+g*gq*4:], b[g*gq*int8NR*4:], gq)
			scaleAdd(&sum, &acc, sb[g*int8NR:(g+1)*int8NR])
		}
		finishInt8(c[i*ldc:i*ldc+int8NR], &sum, sa[i], zc[i], cs)
	}
}

// sumInt8Go adds Σ_p a[p]·b[p][j] over kq groups of 4 k values to acc.
func sumInt8Go(acc *[int8NR]int32, a []uint8, b []int8, kq int) {
	for q := 0; q < kq; q++ {
		a0, a1, a2, a3 := int32(a[4*q]), int32(a[4*q+1]), int32(a[4*q+2]), int32(a[4*q+3])
		bq := b[q*int8NR*4 : (q+1)*int8NR*4]
		for j := range acc {
			w := bq[4*j : 4*j+4 : 4*j+4]
			acc[j] += a0*int32(w[0]) + a1*int32(w[1]) + a2*int32(w[2]) + a3*int32(w[3])
		}
	}
}

// scaleAdd adds float32(float32(acc[j])·sb[j]) to sum[j].
func scaleAdd(sum *[int8NR]float32, acc *[int8NR]int32, sb []float32) {
	for j, v := range acc {
		sum[j] += float32(float32(v) * sb[j])
	}
}

// finishInt8 sets c[j] = float32(sum[j]·sa) + float32(zc·cs[j]).
func finishInt8(c []float32, sum *[int8NR]float32, sa, zc float32, cs []float32) {
	for j, v := range sum {
		c[j] = float32(v*sa) + float32(zc*cs[j])
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
