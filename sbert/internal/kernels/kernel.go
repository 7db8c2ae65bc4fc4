package kernels

// kernel describes one micro-kernel implementation: it computes an mr×nr
// tile of C from mr rows of A (read in place, row stride lda) and one
// nr-wide panel of packed B.
type kernel struct {
	name string
	id   kernelID
	mr   int // rows of C per micro-kernel call, at most
	nr   int // columns of C per packed panel
	kc   int // depth of a k block: the B sub-panel kc×nr stays in L1
	mc   int // rows of A per block: the A block mc×kc stays in L2
}

type kernelID int

const (
	idGo kernelID = iota
	idAVX2
	idAVX512
	idNEON
	idVNNI
	idSDOT
	idAVX2Int8
)

// goKernel is the portable micro-kernel, compiled on every platform; it is
// the only one with the purego build tag and the oracle for the others.
var goKernel = &kernel{name: "go", id: idGo, mr: 4, nr: 4, kc: 256, mc: 128}

// kernelsAvail lists the kernels this CPU can run, fastest first.
var kernelsAvail = append(archKernels(), goKernel)

// best is the kernel used by the exported functions.
var best = kernelsAvail[0]

// micro runs the micro-kernel kn on an mr×nr tile: c = a·b (accum false) or
// c += a·b (accum true), where a is mr×k with row stride lda, b is a packed
// k×nr panel and c has row stride ldc. The slices must cover the tile.
// next, nil or a k×nr panel the caller uses next, is a hint: kernels that
// can prefetch it while they compute.
func (kn *kernel) micro(mr, k int, a []float32, lda int, b, c []float32, ldc int, accum bool, next []float32) {
	// Bounds checks once per call keep the assembly memory-safe.
	_ = a[(mr-1)*lda+k-1]
	_ = b[k*kn.nr-1]
	_ = c[(mr-1)*ldc+kn.nr-1]
	if next != nil {
		_ = next[k*kn.nr-1]
	}
	if kn.id == idGo {
		microGo(mr, k, a, lda, b, c, ldc, accum)
		return
	}
	microArch(kn.id, mr, k, a, lda, b, c, ldc, accum, next)
}

// microGo is the portable micro-kernel for goKernel (nr = 4). It keeps a
// 4×4 tile of sums in locals so the compiler can hold them in registers.
func microGo(mr, k int, a []float32, lda int, b, c []float32, ldc int, accum bool) {
	for i := 0; i < mr; i += 2 {
		a0 := a[i*lda : i*lda+k]
		a1 := a0
		two := i+1 < mr
		if two {
			a1 = a[(i+1)*lda : (i+1)*lda+k]
		}
		var s00, s01, s02, s03, s10, s11, s12, s13 float32
		bp := b[:k*4]
		for p, x0 := range a0 {
			x1 := a1[p]
			q := bp[p*4 : p*4+4 : p*4+4]
			b0, b1, b2, b3 := q[0], q[1], q[2], q[3]
			s00 += x0 * b0
			s01 += x0 * b1
			s02 += x0 * b2
			s03 += x0 * b3
			s10 += x1 * b0
			s11 += x1 * b1
			s12 += x1 * b2
			s13 += x1 * b3
		}
		c0 := c[i*ldc : i*ldc+4 : i*ldc+4]
		if accum {
			s00, s01, s02, s03 = s00+c0[0], s01+c0[1], s02+c0[2], s03+c0[3]
		}
		c0[0], c0[1], c0[2], c0[3] = s00, s01, s02, s03
		if two {
			c1 := c[(i+1)*ldc : (i+1)*ldc+4 : (i+1)*ldc+4]
			if accum {
				s10, s11, s12, s13 = s10+c1[0], s11+c1[1], s12+c1[2], s13+c1[3]
			}
			c1[0], c1[1], c1[2], c1[3] = s10, s11, s12, s13
		}
	}
}
