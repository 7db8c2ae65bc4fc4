// Package kernels holds the dense linear-algebra kernels of the sbert forward
// pass: row-major single-precision matrix products over flat []float32
// buffers, with explicit row strides so that attention heads can be addressed
// inside a wider buffer without copying, plus the element-wise steps that
// follow them (bias, GELU, residual, softmax, LayerNorm).
//
// The model code calls only the functions of this package, so that faster
// kernels replace these without touching the model.
//
// # Products
//
// GemmNT (c = a·bᵀ) and GemmNN (c = a·b) take any shapes and strides.
// Linear layers should prepare their weight once (PackB, or QuantizeB for
// int8) and call GemmNTPacked, or Linear, LinearGELU and LinearResidual,
// which apply the bias, the exact GELU or the residual connection to each
// tile of c while it is still in cache.
//
// Attention runs multi-head self-attention over sequences packed without
// padding, straight from the fused query-key-value buffer: per sequence and
// head, scores = q·kᵀ (GemmNT), SoftmaxRows, then scores·v (GemmNN), with
// the (sequence, head) pairs shared among threads.
//
// SoftmaxRows and LayerNorm cover the rest of a BERT layer. erf and exp are
// float32 polynomial approximations (within 5e-7 absolute and 2e-7
// relative of the math package), several times cheaper than math.Erf and
// math.Exp; on amd64 with AVX2 and FMA, GELU, bias, residual, the steps
// of softmax and of LayerNorm run eight lanes at a time in assembly
// (kernel_amd64.s; all but GELU and exp round exactly as the Go loops,
// which sum in the same eight lanes), the rest in Go.
//
// # Int8
//
// QuantizeB, GemmNTInt8 and the Linear functions on a *QuantizedB are a
// second, optional path for linear layers: weights quantised to int8 with
// one scale per output channel and group of 128 k values, activations per
// row on each call (uint8 over the row's range, with its own scale and
// zero point), exact int32 sums per group, float32 results. When k is a
// multiple of 128, both operands are first rotated by a block
// Walsh–Hadamard transform (fwht, in assembly on AVX-512: about 90 vector
// operations per 128 values; on AVX2 with FMA, about 160), which leaves the product unchanged and
// spreads the outlier channels of BERT's hidden states over their block.
// On all-MiniLM-L6-v2, in a float simulation of this rounding
// (scripts/bench/int8_sim.py), the rotation takes the worst cosine of the
// embeddings to float32 from 0.992 (one scale per channel, as before) to
// 0.9988, the group scales to 0.9990, and the sbert package's row biases
// for the [CLS] and [SEP] rows (SetRowBias) to 0.9993; the kernels give
// 0.99932. The kernels add a fixed column term for the zero point 128
// and correct it for the row's zero point, with one multiply-add per
// element, when they store. The error is bounded by the rounding of both
// operands (the tests check that bound); whether the embeddings stay close
// enough must be checked on the model before use. Kernels: vnni (AVX-512 VNNI, VPDPBUSD, 12×32 tile),
// avx2-int8 (AVX2, 2×32 tile) and sdot (arm64 dot-product extension, 2×32
// tile); elsewhere a portable Go kernel runs, many times slower than the
// float32 assembly, so callers should use int8 only when Int8Accelerated
// reports true. All give the same results, bit for bit. VPMADDUBSW, the
// AVX2 byte product, would saturate its 16-bit pair sums on uint8×int8,
// so avx2-int8 multiplies |a−128| by b with the sign of a−128 (at most
// 2·128·127 per pair) and adds the pairs with VPMADDWD: Σ (a−128)·b is
// exactly what VPDPBUSD sums from the bias. That is four vector
// operations, two of them multiplies, per 32 products, where VPDPBUSD
// does 64 in one: on the Zen-1 EPYC of BENCHMARKS.md, whose vector
// integer multiplies share one pipe, it runs the products at about the
// speed of float32 FMA.
//
// # Design
//
// The products follow the BLIS/GotoBLAS scheme, cut down to what MiniLM
// needs (m up to a few thousand rows, n and k up to 1536):
//
//   - B is packed into panels of nr rows of B (nr columns of c), each stored
//     k-major: the nr values of one k step are adjacent, zero-padded past n.
//     PackB does this once per weight; GemmNT and GemmNN pack into a pooled
//     buffer on every call (cheap next to the product unless m is tiny).
//   - A is read in place through its row stride: the micro-kernel broadcasts
//     one value of each of its mr rows per k step, so A needs no packing.
//     Callers should avoid row strides of A and c that are multiples of
//     2 KB: the rows of a tile then share a few L1 sets (a 1536-float
//     stride halved the speed of a 128×384×1536 product).
//   - The micro-kernel keeps an mr×nr tile of c in registers over a k block
//     of kc steps (kc·nr floats of B stay in L1), then stores or adds the tile.
//     The right edge (n not a multiple of nr) goes through a tile on the
//     stack; the bottom edge uses a micro-kernel variant with fewer rows.
//     The x86 kernels prefetch their tile of c when they start, and the
//     last tile of a panel prefetches the next panel: on a Zen core, whose
//     L2 holds neither c nor B of the 1152- and 1536-wide layers, that
//     took those products from about 80% to about 90% of the FMA ceiling.
//   - Rows are cut into blocks of about mc rows (an mc×kc block of A stays in
//     L2); row blocks × groups of panels form the chunks of the work.
//
// Float32 micro-kernels, chosen once at start-up, fastest first:
//
//	avx512  amd64 with AVX-512F          12×32 tile, zmm registers
//	avx2    amd64 with AVX2 and FMA       6×16 tile, ymm registers
//	neon    arm64 (NEON is always there)  8×12 tile, LD1R + FMLA
//	go      everywhere                    4×4 tile, portable Go
//
// The assembly is generated: gen_x86.go writes kernel_amd64.s and
// gen_neon.go writes kernel_arm64.s (go run gen_x86.go; go run gen_neon.go). CPU features come
// from golang.org/x/sys/cpu. Building with the purego tag leaves out all
// assembly and uses the go kernel; so do architectures without a kernel.
// The go kernel is compiled into every build, and the tests compare every
// kernel the CPU can run with it and with a float64 reference.
//
// # Threads
//
// A product of at least about 2 MFLOP (8 MFLOP in int8 with VNNI or SDOT,
// which do four times the work per instruction), or an Attention call with
// as much work, is split into chunks that the caller and helper goroutines
// claim in turn; so is quantising the rows of A for an int8 product of at
// least 32768 values. At most GOMAXPROCS-1 helpers (and 64) work at once,
// the count read on every call, so that a change of GOMAXPROCS takes effect
// at once. One job is on
// offer at a time and only idle helpers take it, and nothing is offered
// while callers already run on every P, so many concurrent callers (one per
// request) never oversubscribe the CPUs and a lone caller still uses them
// all.
//
// Helpers and callers wait for each other by spinning on PAUSE (YIELD on
// arm64), not by parking: waking a parked goroutine costs tens of
// microseconds on a virtual machine and the scheduler readies it on the
// waker's P, while a forward pass offers a job every few microseconds. An
// idle helper spins for 200 µs after the last job, then parks until a
// caller wakes it. On the 2-vCPU development machine this took two threads
// from 1.0 to 1.8 times one thread's speed for 8 tokens, and from 1.7 to 1.9
// for 128 (BENCHMARKS.md). Tasks, packing buffers and edge tiles come from
// pools or the stack: steady-state calls allocate nothing.
//
// # Why not spago or gonum
//
// Both are pure Go and were the project's first choice, but spago's float32 Mul
// allocates its result and multiplies with a dot-product kernel over an
// unpacked matrix, and gonum's Sgemm is scalar Go with goroutines spawned per
// call. On the linear shapes of MiniLM (see compare/) they reach 6–15
// GFLOP/s where these kernels reach about 100 per core; they also offer no
// strided views for attention heads and no fused epilogues.
package kernels
