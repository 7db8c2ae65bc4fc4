package kernels

// GemmNT sets c = a·bᵀ, where a is m×k with row stride lda, b is n×k with row
// stride ldb and c is m×n with row stride ldc, all row-major. c must not
// alias a or b. It panics if a slice is too short for its shape.
func GemmNT(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	gemmNT(best, m, n, k, a, lda, b, ldb, c, ldc)
}

// GemmNN sets c = a·b, where a is m×k with row stride lda, b is k×n with row
// stride ldb and c is m×n with row stride ldc, all row-major. c must not
// alias a or b. It panics if a slice is too short for its shape.
func GemmNN(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	gemmNN(best, m, n, k, a, lda, b, ldb, c, ldc)
}

// GemmNTPacked sets c = a·bᵀ for the packed n×k matrix pb, where a is m×k
// with row stride lda and c is m×n (n = pb.N(), k = pb.K()) with row stride
// ldc. c must not alias a.
func GemmNTPacked(m int, a []float32, lda int, pb *PackedB, c []float32, ldc int) {
	t := newTask(pb.kn, m, pb.n, pb.k, a, lda, pb.data, c, ldc)
	t.exec()
}

func gemmNT(kn *kernel, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	checkShape(n, k, b, ldb)
	s := getScratch(packedLen(kn, n, k))
	packNT(kn, n, k, b, ldb, s.buf)
	newTask(kn, m, n, k, a, lda, s.buf, c, ldc).exec()
	scratchPool.Put(s)
}

func gemmNN(kn *kernel, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	checkShape(k, n, b, ldb)
	s := getScratch(packedLen(kn, n, k))
	packNN(kn, n, k, b, ldb, s.buf)
	newTask(kn, m, n, k, a, lda, s.buf, c, ldc).exec()
	scratchPool.Put(s)
}

// checkShape panics unless x can hold rows×cols with row stride ld.
func checkShape(rows, cols int, x []float32, ld int) {
	if rows > 0 && cols > 0 && (ld < cols || len(x) < (rows-1)*ld+cols) {
		panic("kernels: matrix slice too short for its shape")
	}
}
