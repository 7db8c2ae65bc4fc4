package kernels

import (
	"sync"
	"sync/atomic"
)

// Attention computes multi-head scaled dot-product self-attention over
// sequences packed one after another without padding. Sequence s has the
// lens[s] rows starting at row offs[s] of qkv and of ctx. A row of qkv (row
// stride ldq) holds the queries of every head, then the keys, then the
// values, dh columns per head; for each sequence and head, Attention sets
// the head's dh columns of ctx (row stride ldc) to softmax(scale·q·kᵀ)·v.
// Every query attends to the keys of its own sequence only. ctx must not
// alias qkv.
//
// The (sequence, head) pairs are shared with idle helpers when there is
// enough work; each pair is computed by one goroutine in a fixed order, so
// the result does not depend on the threads.
func Attention(offs, lens []int, heads, dh int, scale float32, qkv []float32, ldq int, ctx []float32, ldc int) {
	j := attnPool.Get().(*attnJob)
	*j = attnJob{offs: offs, lens: lens[:len(offs)], heads: heads, dh: dh, scale: scale, qkv: qkv, ldq: ldq, ctx: ctx, ldc: ldc}
	flops := 0
	for _, n := range j.lens {
		j.maxLen = max(j.maxLen, n)
		flops += 4 * n * n * dh * heads
	}
	if items := len(offs) * heads; items > 1 && flops >= parMinFlops {
		runShared(j, items-1, &j.pending)
	} else {
		j.work()
	}
	*j = attnJob{}
	attnPool.Put(j)
}

// attnJob is one call of Attention; goroutines claim (sequence, head)
// pairs through next.
type attnJob struct {
	offs, lens []int
	heads, dh  int
	maxLen     int
	scale      float32
	qkv        []float32
	ldq        int
	ctx        []float32
	ldc        int
	next       atomic.Int64
	pending    atomic.Int32 // helpers working on j
}

var attnPool = sync.Pool{New: func() any { return new(attnJob) }}

// work computes pairs until none are left, with its own room for scores.
func (j *attnJob) work() {
	s := getScratch(j.maxLen * j.maxLen)
	defer scratchPool.Put(s)
	h := j.heads * j.dh
	for {
		i := int(j.next.Add(1) - 1)
		if i >= len(j.offs)*j.heads {
			return
		}
		seq, hd := i/j.heads, i%j.heads
		n, off := j.lens[seq], j.offs[seq]
		sc := s.buf[:n*n]
		q := j.qkv[off*j.ldq+hd*j.dh:]
		k := j.qkv[off*j.ldq+h+hd*j.dh:]
		v := j.qkv[off*j.ldq+2*h+hd*j.dh:]
		gemmNT(best, n, n, j.dh, q, j.ldq, k, j.ldq, sc, n)
		SoftmaxRows(n, n, sc, n, j.scale, nil)
		gemmNN(best, n, j.dh, n, sc, n, v, j.ldq, j.ctx[off*j.ldc+hd*j.dh:], j.ldc)
	}
}
