package sbert

import "github.com/jobmatch/jobmatch/sbert/internal/kernels"

// Int8Accelerated reports whether [WithInt8] is faster than float32 on this
// CPU: whether its products run on int8 dot-product instructions, AVX-512
// VNNI on x86-64 or the dot-product extension on arm64 (Graviton 2 and
// later, Apple silicon). With AVX2 alone an assembly kernel computes the
// same results at about float32's speed: on the Zen-1 EPYC of
// BENCHMARKS.md, 0.47–1.21 times float32's CPU time per call (0.47 for 8
// tokens, 1.21 for 64 phrases on two threads), where the portable Go
// kernel that runs elsewhere took 35 to 45 times. Callers that offer int8
// should warn when it is false, or load float32 instead.
func Int8Accelerated() bool { return kernels.Int8DotProduct() }

// Int8Warning is the warning for a request of [WithInt8] on a CPU where
// [Int8Accelerated] is false, and "" where it is true.
func Int8Warning() string {
	const noDot = "int8 asked for, but this CPU has no int8 dot-product instructions (AVX-512 VNNI, arm64 dot product): "
	switch {
	case Int8Accelerated():
		return ""
	case kernels.Int8Accelerated():
		return noDot + "int8 runs in AVX2 here, about as fast as float32 (0.47–1.21 times its CPU time on a Zen-1 EPYC), " +
			"slower than float32 on some inputs; it saves memory more than time"
	}
	return noDot + "int8 runs in portable Go here, many times slower than float32"
}
