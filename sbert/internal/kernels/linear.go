package kernels

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
// out; c is m×out with row stride ldc and must not alias a.
func Linear(m int, a []float32, lda int, w Weights, bias, c []float32, ldc int) {
	w.run(m, a, lda, c, ldc, epilogue{kind: epBias, bias: bias[:w.N()]})
}

// LinearGELU sets c = GELU(a·wᵀ + bias) with the exact (erf) GELU of BERT's
// intermediate layer; shapes as in Linear.
func LinearGELU(m int, a []float32, lda int, w Weights, bias, c []float32, ldc int) {
	w.run(m, a, lda, c, ldc, epilogue{kind: epBiasGELU, bias: bias[:w.N()]})
}

// LinearResidual sets c = a·wᵀ + bias + res, the output projection of a
// BERT sub-layer followed by its residual connection; res is m×out with row
// stride ldr and must not alias c (the product overwrites c first).
func LinearResidual(m int, a []float32, lda int, w Weights, bias, res []float32, ldr int, c []float32, ldc int) {
	if m > 0 {
		checkShape(m, w.N(), res, ldr)
	}
	w.run(m, a, lda, c, ldc, epilogue{kind: epBiasResidual, bias: bias[:w.N()], res: res, ldr: ldr})
}

func (p *PackedB) run(m int, a []float32, lda int, c []float32, ldc int, ep epilogue) {
	t := newTask(p.kn, m, p.n, p.k, a, lda, p.data, c, ldc)
	t.ep = ep
	t.exec()
}

func (q *QuantizedB) run(m int, a []float32, lda int, c []float32, ldc int, ep epilogue) {
	gemmNTInt8(int8Best, m, a, lda, q, c, ldc, ep)
}
