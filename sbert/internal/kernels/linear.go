package kernels

// Linear sets c = a·wᵀ + bias, the affine map of a linear layer with weight
// w (out×in, packed) over the m rows of a (m×in, row stride lda). bias has
// length out; c is m×out with row stride ldc and must not alias a.
func Linear(m int, a []float32, lda int, w *PackedB, bias, c []float32, ldc int) {
	linear(m, a, lda, w, c, ldc, epilogue{kind: epBias, bias: bias[:w.n]})
}

// LinearGELU sets c = GELU(a·wᵀ + bias) with the exact (erf) GELU of BERT's
// intermediate layer; shapes as in Linear.
func LinearGELU(m int, a []float32, lda int, w *PackedB, bias, c []float32, ldc int) {
	linear(m, a, lda, w, c, ldc, epilogue{kind: epBiasGELU, bias: bias[:w.n]})
}

// LinearResidual sets c = a·wᵀ + bias + res, the output projection of a
// BERT sub-layer followed by its residual connection; res is m×out with row
// stride ldr and must not alias c (the product overwrites c first).
func LinearResidual(m int, a []float32, lda int, w *PackedB, bias, res []float32, ldr int, c []float32, ldc int) {
	if m > 0 {
		checkShape(m, w.n, res, ldr)
	}
	linear(m, a, lda, w, c, ldc, epilogue{kind: epBiasResidual, bias: bias[:w.n], res: res, ldr: ldr})
}

func linear(m int, a []float32, lda int, w *PackedB, c []float32, ldc int, ep epilogue) {
	t := newTask(w.kn, m, w.n, w.k, a, lda, w.data, c, ldc)
	t.ep = ep
	t.exec()
}
