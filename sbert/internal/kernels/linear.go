package kernels

import "fmt"

// Weights is the weight matrix W[out×in] of a linear layer, prepared for
// the products of this package: a *PackedB (float32, from PackB) or a
// *QuantizedB (int8, from QuantizeB).
type Weights interface {
	N() int // out
	K() int // in
	run(m int, a []float32, lda int, c []float32, ldc int, ep epilogue)
}

// Linear sets c = a·wᵀ + bias, the affine map of a linear layer with weight
// w (out×in) over the m rows of a (m×in, row stride lda). bias has length
// out; c is m×out with row stride ldc and must not alias a. kinds, nil or
// of length m, gives each row a kind: for int8 weights, the row bias of
// that kind (see QuantizedB.SetRowBias) is added to the row; 0 and other
// weights add nothing.
func Linear(m int, a []float32, lda int, w Weights, bias, c []float32, ldc int, kinds []uint8) {
	linear(m, a, lda, w, c, ldc, epilogue{kind: epBias, bias: bias[:w.N()], kinds: kinds})
}

// LinearGELU sets c = GELU(a·wᵀ + bias) with the exact (erf) GELU of BERT's
// intermediate layer; the row biases of kinds come before the GELU.
// Shapes as in Linear.
func LinearGELU(m int, a []float32, lda int, w Weights, bias, c []float32, ldc int, kinds []uint8) {
	linear(m, a, lda, w, c, ldc, epilogue{kind: epBiasGELU, bias: bias[:w.N()], kinds: kinds})
}

// LinearResidual sets c = a·wᵀ + bias + res, the output projection of a
// BERT sub-layer followed by its residual connection; res is m×out with row
// stride ldr and must not alias c (the product overwrites c first).
func LinearResidual(m int, a []float32, lda int, w Weights, bias, res []float32, ldr int, c []float32, ldc int, kinds []uint8) {
	if m > 0 {
		checkShape(m, w.N(), res, ldr)
	}
	linear(m, a, lda, w, c, ldc, epilogue{kind: epBiasResidual, bias: bias[:w.N()], res: res, ldr: ldr, kinds: kinds})
}

// linear checks the row kinds of ep and runs the product with w.
func linear(m int, a []float32, lda int, w Weights, c []float32, ldc int, ep epilogue) {
	if ep.kinds != nil && len(ep.kinds) != m {
		panic(fmt.Sprintf("kernels: %d row kinds for %d rows", len(ep.kinds), m))
	}
	w.run(m, a, lda, c, ldc, ep)
}

func (p *PackedB) run(m int, a []float32, lda int, c []float32, ldc int, ep epilogue) {
	t := newTask(p.kn, m, p.n, p.k, a, lda, p.data, c, ldc)
	t.ep = ep
	t.exec()
}

func (q *QuantizedB) run(m int, a []float32, lda int, c []float32, ldc int, ep epilogue) {
	if ep.kinds != nil {
		ep.rowBias = q.rowBias
	}
	gemmNTInt8(int8Best, m, a, lda, q, c, ldc, ep)
}
