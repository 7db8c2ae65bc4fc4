//go:build purego || !(amd64 || arm64)

package kernels

import "math"

func archKernels() []*kernel { return nil }

func microArch(id kernelID, mr, k int, a []float32, lda int, b, c []float32, ldc int, accum bool) {
	microGo(mr, k, a, lda, b, c, ldc, accum)
}

func archInt8Kernels() []*kernel { return nil }

func microInt8Arch(id kernelID, mr, kq int, a []uint8, lda int, b []int8, c []float32, ldc int, bias []int32, sb, sa []float32) {
	microInt8Go(mr, kq, a, lda, b, c, ldc, bias, sb, sa)
}

var quantAsm = false

func rangePrefix(row []float32) (lo, hi float32, n int) { return 0, 0, 0 }

func quantPrefix(row []float32, inv, off float32, dst []uint8) int { return 0 }

var vecOps = false

func geluBiasPrefix(c, bias []float32) int { return 0 }

func expSumPrefix(x []float32, mx float32) (float32, int) { return 0, 0 }

func addBiasPrefix(c, bias, res []float32) int { return 0 }

func scaleMaxPrefix(x []float32, scale float32) (float32, int) { return float32(math.Inf(-1)), 0 }

func scalePrefix(x []float32, s float32) int { return 0 }

func axpyPrefix(c, x []float32, a float32) int { return 0 }
