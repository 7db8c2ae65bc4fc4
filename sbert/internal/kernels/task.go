package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parMinFlops is the work (2·m·n·k) below which a product runs on the
// calling goroutine only: handing work to another core costs a few
// microseconds.
var parMinFlops = 1 << 21

// chunkFlops is the smallest work worth one chunk of a split product.
const chunkFlops = 1 << 19

// maxTile bounds mr×nr over all kernels (12×32 for AVX-512).
const maxTile = 12 * 32

// task is one matrix product c = a·B over a packed B, split into chunks of
// rows×panels that goroutines claim one at a time. Chunks never share a tile
// of c, so they need no synchronisation beyond the claim counter.
type task struct {
	kn      *kernel
	m, n, k int
	a       []float32
	lda     int
	b       []float32 // packed, packedLen(kn, n, k)
	c       []float32
	ldc     int
	ep      epilogue

	// int8 products (GemmNTInt8): q replaces b, qa (row stride qlda bytes)
	// and qsa (row scales) replace a.
	q     *QuantizedB
	qa    []uint8
	qsa   []float32
	qcorr []float32
	qlda  int

	mc        int // rows per chunk, a multiple of kn.mr
	rowBlocks int
	colGroups int
	panels    int
	nchunks   int
	next      atomic.Int64
	wg        sync.WaitGroup
}

var taskPool = sync.Pool{New: func() any { return new(task) }}

func newTask(kn *kernel, m, n, k int, a []float32, lda int, b, c []float32, ldc int) *task {
	if m > 0 && a != nil {
		checkShape(m, k, a, lda)
		checkShape(m, n, c, ldc)
	}
	t := taskPool.Get().(*task)
	t.kn, t.m, t.n, t.k = kn, m, n, k
	t.a, t.lda, t.b, t.c, t.ldc = a, lda, b, c, ldc
	t.ep = epilogue{}
	return t
}

// exec runs the task, with helpers if it is big enough, and recycles it.
func (t *task) exec() {
	if t.m > 0 && t.n > 0 {
		t.schedule()
		if t.nchunks > 1 {
			t.startHelpers()
		}
		t.work()
		t.wg.Wait()
	}
	t.a, t.b, t.c = nil, nil, nil
	t.q, t.qa, t.qsa, t.qcorr = nil, nil, nil, nil
	t.ep = epilogue{}
	taskPool.Put(t)
}

// schedule splits the product into row blocks of at most kn.mc rows and, when
// the work is large enough to share, into groups of column panels.
func (t *task) schedule() {
	kn := t.kn
	t.panels = (t.n + kn.nr - 1) / kn.nr
	t.rowBlocks = (t.m + kn.mc - 1) / kn.mc
	rows := (t.m + t.rowBlocks - 1) / t.rowBlocks
	t.mc = (rows + kn.mr - 1) / kn.mr * kn.mr
	t.rowBlocks = (t.m + t.mc - 1) / t.mc
	t.colGroups = 1
	flops := 2 * t.m * t.n * t.k
	if nh := numHelpers(); nh > 0 && flops >= parMinFlops {
		want := min(4*(nh+1), flops/chunkFlops)
		t.colGroups = max(1, min(t.panels, (want+t.rowBlocks-1)/t.rowBlocks))
	}
	t.nchunks = t.rowBlocks * t.colGroups
	t.next.Store(0)
}

// work claims and computes chunks until none are left.
func (t *task) work() {
	var tile [maxTile]float32
	for {
		ch := int(t.next.Add(1) - 1)
		if ch >= t.nchunks {
			return
		}
		rb, cg := ch/t.colGroups, ch%t.colGroups
		i0 := rb * t.mc
		i1 := min(t.m, i0+t.mc)
		p0 := cg * t.panels / t.colGroups
		p1 := (cg + 1) * t.panels / t.colGroups
		if t.q != nil {
			t.chunkInt8(i0, i1, p0, p1, tile[:])
		} else {
			t.chunk(i0, i1, p0, p1, tile[:])
		}
	}
}

// chunk computes rows [i0,i1) of c for the column panels [p0,p1), one k
// block at a time so that a B sub-panel stays in L1 while it meets every
// row of the block.
func (t *task) chunk(i0, i1, p0, p1 int, tile []float32) {
	kn := t.kn
	mr, nr, k := kn.mr, kn.nr, t.k
	if k == 0 {
		for i := i0; i < i1; i++ {
			clear(t.c[i*t.ldc+p0*nr : i*t.ldc+min(t.n, p1*nr)])
		}
		t.epilogue(i0, i1-i0, p0*nr, min(t.n, p1*nr)-p0*nr)
		return
	}
	nkb := (k + kn.kc - 1) / kn.kc
	kc := (k + nkb - 1) / nkb
	for pc := 0; pc < k; pc += kc {
		kcur := min(kc, k-pc)
		accum := pc > 0
		last := pc+kcur == k
		for jp := p0; jp < p1; jp++ {
			bp := t.b[jp*k*nr+pc*nr : jp*k*nr+(pc+kcur)*nr]
			j := jp * nr
			nv := min(nr, t.n-j)
			for i := i0; i < i1; i += mr {
				mrr := min(mr, i1-i)
				a := t.a[i*t.lda+pc:]
				if nv == nr {
					kn.micro(mrr, kcur, a, t.lda, bp, t.c[i*t.ldc+j:], t.ldc, accum)
				} else {
					// Right edge: compute the full-width tile aside.
					if accum {
						for r := 0; r < mrr; r++ {
							copy(tile[r*nr:r*nr+nv], t.c[(i+r)*t.ldc+j:])
						}
					}
					kn.micro(mrr, kcur, a, t.lda, bp, tile, nr, accum)
					for r := 0; r < mrr; r++ {
						copy(t.c[(i+r)*t.ldc+j:(i+r)*t.ldc+j+nv], tile[r*nr:])
					}
				}
				if last {
					t.epilogue(i, mrr, j, nv)
				}
			}
		}
	}
}

// job is work that the caller shares with helpers: each helper calls
// work, which claims pieces until none are left, then done.
type job interface {
	work()
	done()
}

func (t *task) done() { t.wg.Done() }

var (
	helpersMu sync.Mutex
	helperCh  = make(chan job)
	started   atomic.Int32 // helper goroutines running
	busy      atomic.Int32 // helpers working on a job
)

// numHelpers returns the number of helpers a caller may use, GOMAXPROCS-1,
// so that a caller plus its helpers fill the CPUs. Helpers start on first
// use and whenever GOMAXPROCS grows; when it shrinks, the extra ones stay
// idle. A helper is a token: a caller that finds none idle does the work
// alone, so concurrent callers never oversubscribe the machine.
func numHelpers() int {
	n := runtime.GOMAXPROCS(0) - 1
	if int(started.Load()) < n {
		helpersMu.Lock()
		for int(started.Load()) < n {
			started.Add(1)
			go func() {
				for j := range helperCh {
					j.work()
					busy.Add(-1)
					j.done()
				}
			}()
		}
		helpersMu.Unlock()
	}
	return n
}

// share hands j to at most max idle helpers, never waiting for a busy one,
// and returns how many took it; wg counts them until they are done.
func share(j job, max int, wg *sync.WaitGroup) int {
	limit := int32(numHelpers())
	for k := range max {
		if busy.Add(1) > limit {
			busy.Add(-1)
			return k
		}
		wg.Add(1)
		select {
		case helperCh <- j:
		default:
			busy.Add(-1)
			wg.Done()
			return k
		}
	}
	return max
}

// startHelpers hands t to idle helpers, at most one per chunk beyond the
// caller's own.
func (t *task) startHelpers() {
	share(t, t.nchunks-1, &t.wg)
}
