package kernels

// GemmNT sets c = a·bᵀ, where a is m×k with row stride lda, b is n×k with row
// stride ldb and c is m×n with row stride ldc, all row-major. c must not
// alias a or b.
func GemmNT(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		ai := a[i*lda : i*lda+k]
		ci := c[i*ldc : i*ldc+n]
		for j := 0; j < n; j++ {
			bj := b[j*ldb : j*ldb+k]
			var s float32
			for p, av := range ai {
				s += av * bj[p]
			}
			ci[j] = s
		}
	}
}

// GemmNN sets c = a·b, where a is m×k with row stride lda, b is k×n with row
// stride ldb and c is m×n with row stride ldc, all row-major. c must not
// alias a or b.
func GemmNN(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		clear(ci)
		for p := 0; p < k; p++ {
			av := a[i*lda+p]
			bp := b[p*ldb : p*ldb+n]
			for j, bv := range bp {
				ci[j] += av * bv
			}
		}
	}
}
