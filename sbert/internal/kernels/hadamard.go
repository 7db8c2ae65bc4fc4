package kernels

// hadamardBlock is the order of the Walsh–Hadamard transform that the int8
// products apply along k, block by block, when k is a multiple of it.
const hadamardBlock = 128

// rotates reports whether the int8 products rotate rows of length k.
func rotates(k int) bool { return k > 0 && k%hadamardBlock == 0 }

// fwht applies the unnormalised Walsh–Hadamard transform H of order 128
// (H·H = 128·I, entries ±1) to each block of 128 consecutive values of x, in
// place; len(x) is a multiple of 128. The butterflies run with strides 1, 2,
// ..., 64 in that order, the order of the assembly, so both give the same
// bits.
//
// A product a·wᵀ equals (a·H)·(w·H/128)ᵀ. The rotation spreads the few
// outlier channels of BERT's hidden states (up to 16 times the median
// magnitude after a LayerNorm) over whole blocks, so that one scale per row
// loses much less to rounding; see QuantizeB.
func fwht(x []float32) {
	for b := fwhtPrefix(x); b < len(x); b += hadamardBlock {
		blk := x[b : b+hadamardBlock : b+hadamardBlock]
		for s := 1; s < hadamardBlock; s *= 2 {
			for i := 0; i < hadamardBlock; i += 2 * s {
				lo, hi := blk[i:i+s], blk[i+s:i+2*s]
				for j := range lo {
					a, c := lo[j], hi[j]
					lo[j], hi[j] = a+c, a-c
				}
			}
		}
	}
}
