//go:build !purego

package kernels

import (
	"runtime"
	"sync"
	"testing"

	"golang.org/x/sys/cpu"
)

// BenchmarkCeilingFMA measures the multiply-add throughput of the CPU with
// nothing else in the loop, on GOMAXPROCS goroutines: the ceiling of the
// float32 kernels. A CPU that splits 512-bit operations in two shows the
// same GFLOP/s for avx2 and avx512.
func BenchmarkCeilingFMA(b *testing.B) {
	peaks := []struct {
		name  string
		ok    bool
		lanes int
		run   func(n int)
	}{
		{"avx2", vecOps, 8, fmaPeakAVX2},
		{"avx512", cpu.X86.HasAVX512F, 16, fmaPeakAVX512},
	}
	for _, pk := range peaks {
		if !pk.ok {
			continue
		}
		b.Run(pk.name, func(b *testing.B) { runPeak(b, pk.run, 1<<16, 12*2*pk.lanes, "GFLOP/s") })
	}
}

// BenchmarkCeilingInt8 is BenchmarkCeilingFMA for the int8 kernels: the
// exact int8 multiply-adds of kernelInt8AVX2 and kernelVNNI with nothing
// else in the loop, reported as GOP/s (two operations a multiply-add, as
// GFLOP/s counts them), the ceiling of int8 products on this CPU.
func BenchmarkCeilingInt8(b *testing.B) {
	peaks := []struct {
		name string
		ok   bool
		macs int // multiply-adds per round
		run  func(n int)
	}{
		{"avx2-int8", vecOps, 256, int8PeakAVX2},
		{"vnni", cpu.X86.HasAVX512F && cpu.X86.HasAVX512VNNI, 768, int8PeakVNNI},
	}
	for _, pk := range peaks {
		if !pk.ok {
			continue
		}
		b.Run(pk.name, func(b *testing.B) { runPeak(b, pk.run, 1<<15, 2*pk.macs, "GOP/s") })
	}
}

// runPeak runs rounds rounds of run on GOMAXPROCS goroutines b.N times and
// reports the operations done a second, in billions, as unit; a round does
// ops operations.
func runPeak(b *testing.B, run func(n int), rounds, ops int, unit string) {
	threads := runtime.GOMAXPROCS(0)
	for range b.N {
		var wg sync.WaitGroup
		for range threads {
			wg.Go(func() { run(rounds) })
		}
		wg.Wait()
	}
	total := float64(threads) * float64(rounds) * float64(ops)
	b.ReportMetric(total*float64(b.N)/b.Elapsed().Seconds()/1e9, unit)
}
