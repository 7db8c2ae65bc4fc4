package kernels

import (
	"fmt"
	"unsafe"
)

// Layout names what the prepared weights of this process depend on, so
// that weights prepared once, stored and mapped back (see package
// sbert/internal/packfile) are used only by a process that would have
// prepared the same bytes.
type Layout struct {
	// Kernel is the float32 micro-kernel whose panels PackB writes, and NR
	// its panel width: the only thing a PackedB's bytes depend on.
	Kernel string `json:"kernel"`
	NR     int    `json:"nr"`
	// VecOps reports whether GELU, softmax and LayerNorm run in assembly,
	// which rounds GELU and exp differently from the Go loops: a model
	// calibrated for int8 by a float32 forward pass depends on it, and on
	// Kernel.
	VecOps bool `json:"vec_ops"`
	// Int8 describes QuantizedB's layout: the panel width and the group of
	// k values per scale, rotated by the Walsh–Hadamard transform.
	Int8 string `json:"int8"`
}

// int8Layout is Layout.Int8 for this version of QuantizeB.
var int8Layout = fmt.Sprintf("nr%d-group%d-fwht", int8NR, hadamardBlock)

// CurrentLayout returns the layout of the weights that PackB and QuantizeB
// prepare in this process, on this CPU.
func CurrentLayout() Layout {
	return Layout{Kernel: best.name, NR: best.nr, VecOps: vecOps, Int8: int8Layout}
}

// panelWidths holds the panel width of every float32 kernel of every
// architecture, for packing weights for another machine (PackFor).
var panelWidths = map[string]int{"go": 4, "avx2": 16, "avx512": 32, "neon": 12}

// FloatLayout returns the layout of float32 weights packed for the named
// kernel ("go", "avx2", "avx512", "neon"), which need not run here; VecOps
// is false, since float32 weights do not depend on it.
func FloatLayout(kernel string) (Layout, bool) {
	nr, ok := panelWidths[kernel]
	return Layout{Kernel: kernel, NR: nr, Int8: int8Layout}, ok
}

// Data returns the packed values of p, in the layout of its kernel. They
// must not be modified.
func (p *PackedB) Data() []float32 { return p.data }

// PackFor returns the values of p packed for the kernel of l instead, as
// PackB on that machine would lay them out.
func (p *PackedB) PackFor(l Layout) []float32 {
	if l.NR == p.kn.nr {
		return p.data
	}
	kn := &kernel{name: l.Kernel, nr: l.NR}
	dst := alignedFloats(packedLen(kn, p.n, p.k))
	packNT(kn, p.n, p.k, p.Unpack(), p.k, dst)
	return dst
}

// PackedLen returns the length of the data of an n×k matrix packed by
// PackB for the kernel of l.
func PackedLen(l Layout, n, k int) int {
	return (n + l.NR - 1) / l.NR * l.NR * k
}

// PackedBFrom returns the n×k matrix whose packed values, laid out by
// PackB in this process, are data, which is used in place and must not
// change while the matrix is in use. data must start on a 64-byte boundary.
func PackedBFrom(n, k int, data []float32) (*PackedB, error) {
	if n <= 0 || k <= 0 {
		return nil, fmt.Errorf("kernels: packed matrix %d×%d", n, k)
	}
	if want := packedLen(best, n, k); len(data) != want {
		return nil, fmt.Errorf("kernels: packed %d×%d matrix for %s has %d values, want %d", n, k, best.name, len(data), want)
	}
	if !aligned64(unsafe.Pointer(unsafe.SliceData(data))) {
		return nil, fmt.Errorf("kernels: packed matrix data is not 64-byte aligned")
	}
	return &PackedB{n: n, k: k, kn: best, data: data}, nil
}

// QuantizedParts are the arrays of a QuantizedB, for storing it and
// mapping it back (QuantizedBFrom).
type QuantizedParts struct {
	N, K    int
	Data    []int8
	Bias    []int32
	Scale   []float32
	Csum    []float32
	RowBias [][]float32
}

// Parts returns the arrays of q; they must not be modified.
func (q *QuantizedB) Parts() QuantizedParts {
	return QuantizedParts{N: q.n, K: q.k, Data: q.data, Bias: q.bias, Scale: q.scale, Csum: q.csum, RowBias: q.rowBias}
}

// QuantizedLens returns the lengths of the arrays of an n×k QuantizedB:
// data, then bias and scale (each), then csum.
func QuantizedLens(n, k int) (data, groups, csum int) {
	kq, gq := quantGroups(k)
	panels := (n + int8NR - 1) / int8NR
	return panels * kq * int8NR * 4, panels * ((kq + gq - 1) / gq) * int8NR, panels * int8NR
}

// quantGroups returns kq and gq of a QuantizedB with k columns.
func quantGroups(k int) (kq, gq int) {
	kq = (k + 3) / 4
	gq = max(kq, 1)
	if rotates(k) {
		gq = hadamardBlock / 4
	}
	return kq, gq
}

// QuantizedBFrom returns the quantised matrix made of p's arrays, as Parts
// returned them in a process of the same Layout. The arrays are used in
// place and must not change while the matrix is in use; Data must start on
// a 64-byte boundary.
func QuantizedBFrom(p QuantizedParts) (*QuantizedB, error) {
	if p.N <= 0 || p.K <= 0 {
		return nil, fmt.Errorf("kernels: quantised matrix %d×%d", p.N, p.K)
	}
	nd, ng, nc := QuantizedLens(p.N, p.K)
	if len(p.Data) != nd || len(p.Bias) != ng || len(p.Scale) != ng || len(p.Csum) != nc {
		return nil, fmt.Errorf("kernels: quantised %d×%d matrix has arrays of %d, %d, %d and %d values, want %d, %d, %d and %d",
			p.N, p.K, len(p.Data), len(p.Bias), len(p.Scale), len(p.Csum), nd, ng, ng, nc)
	}
	for i, b := range p.RowBias {
		if len(b) != p.N {
			return nil, fmt.Errorf("kernels: row bias %d has length %d, want %d", i, len(b), p.N)
		}
	}
	if !aligned64(unsafe.Pointer(unsafe.SliceData(p.Data))) {
		return nil, fmt.Errorf("kernels: quantised matrix data is not 64-byte aligned")
	}
	kq, gq := quantGroups(p.K)
	return &QuantizedB{
		n: p.N, k: p.K, kq: kq, gq: gq, groups: (kq + gq - 1) / gq,
		data: p.Data, bias: p.Bias, scale: p.Scale, csum: p.Csum, rowBias: p.RowBias,
	}, nil
}

func aligned64(p unsafe.Pointer) bool { return uintptr(p)&63 == 0 }
