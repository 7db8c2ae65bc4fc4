//go:build purego || !(amd64 || arm64)

package kernels

func archKernels() []*kernel { return nil }

func microArch(id kernelID, mr, k int, a []float32, lda int, b, c []float32, ldc int, accum bool) {
	microGo(mr, k, a, lda, b, c, ldc, accum)
}
