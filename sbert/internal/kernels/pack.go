package kernels

import (
	"sync"
	"unsafe"
)

// PackedB is a matrix B (n×k, the weight W[out×in] of a linear layer) laid
// out for the micro-kernel of this CPU: panels of nr rows of B, each stored
// k-major (nr consecutive values per k step) and zero-padded to nr rows.
// Packing once per weight takes the copy out of every product. A PackedB is
// immutable and safe for concurrent use.
type PackedB struct {
	n, k int
	kn   *kernel
	data []float32
}

// N returns the number of rows of the packed matrix (columns of the product).
func (p *PackedB) N() int { return p.n }

// K returns the number of columns of the packed matrix (the inner dimension).
func (p *PackedB) K() int { return p.k }

// PackB packs b, an n×k row-major matrix with row stride k, for GemmNTPacked
// and the Linear functions. b is copied; it may be changed afterwards.
func PackB(b []float32, n, k int) *PackedB {
	return packBFor(best, b, n, k, k)
}

// Unpack returns the matrix that was packed, n×k row-major.
func (p *PackedB) Unpack() []float32 {
	nr, k := p.kn.nr, p.k
	b := make([]float32, p.n*k)
	for j := range p.n {
		panel := p.data[j/nr*nr*k:]
		for q := range k {
			b[j*k+q] = panel[q*nr+j%nr]
		}
	}
	return b
}

func packBFor(kn *kernel, b []float32, n, k, ldb int) *PackedB {
	p := &PackedB{n: n, k: k, kn: kn, data: alignedFloats(packedLen(kn, n, k))}
	packNT(kn, n, k, b, ldb, p.data)
	return p
}

// packedLen is the length of a packed n×k matrix for kn.
func packedLen(kn *kernel, n, k int) int {
	return (n + kn.nr - 1) / kn.nr * kn.nr * k
}

// packNT packs b (n×k, row stride ldb) as B-transposed panels: dst[(jp*k+p)*nr+j]
// = b[(jp*nr+j)*ldb+p], zero for jp*nr+j >= n.
func packNT(kn *kernel, n, k int, b []float32, ldb int, dst []float32) {
	nr := kn.nr
	for j0 := 0; j0 < n; j0 += nr {
		panel := dst[j0*k : (j0+nr)*k]
		w := min(nr, n-j0)
		for j := 0; j < w; j++ {
			src := b[(j0+j)*ldb : (j0+j)*ldb+k]
			for p, v := range src {
				panel[p*nr+j] = v
			}
		}
		if w < nr {
			for p := 0; p < k; p++ {
				clear(panel[p*nr+w : p*nr+nr])
			}
		}
	}
}

// packNN packs b (k×n, row stride ldb) into the same panel layout as packNT:
// dst[(jp*k+p)*nr+j] = b[p*ldb+jp*nr+j].
func packNN(kn *kernel, n, k int, b []float32, ldb int, dst []float32) {
	nr := kn.nr
	for j0 := 0; j0 < n; j0 += nr {
		panel := dst[j0*k : (j0+nr)*k]
		w := min(nr, n-j0)
		for p := 0; p < k; p++ {
			d := panel[p*nr : p*nr+nr]
			copy(d, b[p*ldb+j0:p*ldb+j0+w])
			clear(d[w:])
		}
	}
}

// alignedFloats returns n zeroed float32s starting on a 64-byte boundary, so
// that vector loads of packed panels never split a cache line.
func alignedFloats(n int) []float32 {
	buf := make([]float32, n+16)
	off := int(uintptr(unsafe.Pointer(&buf[0]))&63) / 4
	if off != 0 {
		off = 16 - off
	}
	return buf[off : off+n : off+n]
}

// scratch is a pooled packing buffer for the unpacked GEMM entry points.
type scratch struct{ buf []float32 }

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch(n int) *scratch {
	s := scratchPool.Get().(*scratch)
	if cap(s.buf) < n {
		s.buf = alignedFloats(n)
	}
	s.buf = s.buf[:n]
	return s
}
