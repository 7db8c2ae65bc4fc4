package sbert

import "github.com/jobmatch/jobmatch/sbert/internal/kernels"

// Int8Accelerated reports whether this CPU runs [WithInt8]'s products in
// assembly: with AVX-512 VNNI on x86-64 or the dot-product extension on
// arm64 (Graviton 2 and later, Apple silicon). Elsewhere, AVX2-only x86-64
// among them, a portable Go kernel runs them, many times slower than the
// float32 assembly (45 times on the AVX2 EPYC of BENCHMARKS.md's ranking
// table): callers that offer int8 should warn, or load float32 instead.
func Int8Accelerated() bool { return kernels.Int8Accelerated() }

// Int8Warning is the warning for a request of [WithInt8] on a CPU where
// [Int8Accelerated] is false, and "" where it is true.
func Int8Warning() string {
	if Int8Accelerated() {
		return ""
	}
	return "int8 asked for, but this CPU has no int8 dot-product instructions (AVX-512 VNNI, arm64 dot product): " +
		"int8 runs in portable Go here, many times slower than float32"
}
