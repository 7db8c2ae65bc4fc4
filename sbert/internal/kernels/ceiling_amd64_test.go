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
		b.Run(pk.name, func(b *testing.B) {
			const rounds = 1 << 16
			threads := runtime.GOMAXPROCS(0)
			for range b.N {
				var wg sync.WaitGroup
				for range threads {
					wg.Go(func() { pk.run(rounds) })
				}
				wg.Wait()
			}
			flops := float64(threads) * rounds * 12 * 2 * float64(pk.lanes)
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
