//go:build purego || !amd64

package kernels

import "math"

// Without the amd64 element-wise kernels, the ...Prefix functions do no
// element and the Go loops after them do all.

var quantAsm, quantAVX2 = false, false

func rangePrefix(row []float32) (lo, hi float32, n int) { return 0, 0, 0 }

func quantPrefix(row []float32, inv, off float32, dst []uint8) int { return 0 }

func fwhtPrefix(x []float32) int { return 0 }

var vecOps = false

func geluBiasPrefix(c, bias []float32) int { return 0 }

func expSumPrefix(x []float32, mx float32) (float32, int) { return 0, 0 }

func addBiasPrefix(c, bias, res []float32) int { return 0 }

func scaleMaxPrefix(x []float32, scale float32) (float32, int) { return float32(math.Inf(-1)), 0 }

func scalePrefix(x []float32, s float32) int { return 0 }

func sumPrefix(x []float32, c float32, sq bool) (float32, bool) { return 0, false }

func normPrefix(x []float32, mean, inv float32, gamma, beta []float32) int { return 0 }
