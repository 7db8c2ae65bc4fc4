//go:build purego || !(amd64 || arm64)

package kernels

func archKernels() []*kernel { return nil }

func microArch(id kernelID, mr, k int, a []float32, lda int, b, c []float32, ldc int, accum bool, _ []float32) {
	microGo(mr, k, a, lda, b, c, ldc, accum)
}

func archInt8Kernels() []*kernel { return nil }

func microInt8Arch(id kernelID, mr, groups, gq int, a []uint8, lda int, b []int8, c []float32, ldc int, bias []int32, sb, sa, zc, cs []float32) {
	microInt8Go(mr, groups, gq, a, lda, b, c, ldc, bias, sb, sa, zc, cs)
}
