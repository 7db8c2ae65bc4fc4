package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
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
	pending   atomic.Int32 // helpers working on t
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
		if t.schedule() {
			// At most one helper per chunk beyond the caller's own.
			runShared(t, t.nchunks-1, &t.pending)
		} else {
			t.work()
		}
	}
	t.a, t.b, t.c = nil, nil, nil
	t.q, t.qa, t.qsa, t.qcorr = nil, nil, nil, nil
	t.ep = epilogue{}
	taskPool.Put(t)
}

// schedule splits the product into row blocks of at most kn.mc rows and, when
// the work is large enough to share, into groups of column panels. It
// reports whether helpers should be asked.
func (t *task) schedule() bool {
	kn := t.kn
	t.panels = (t.n + kn.nr - 1) / kn.nr
	t.rowBlocks = (t.m + kn.mc - 1) / kn.mc
	rows := (t.m + t.rowBlocks - 1) / t.rowBlocks
	t.mc = (rows + kn.mr - 1) / kn.mr * kn.mr
	t.rowBlocks = (t.m + t.mc - 1) / t.mc
	t.colGroups = 1
	flops := 2 * t.m * t.n * t.k
	if t.q != nil && (kn.id == idVNNI || kn.id == idSDOT) {
		flops /= 4 // int8 dot products do four times the work of an FMA
	}
	nh := numHelpers()
	par := nh > 0 && flops >= parMinFlops
	if par {
		want := min(4*(nh+1), flops/chunkFlops)
		t.colGroups = max(1, min(t.panels, (want+t.rowBlocks-1)/t.rowBlocks))
	}
	t.nchunks = t.rowBlocks * t.colGroups
	t.next.Store(0)
	return par && t.nchunks > 1
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
			// The last tile of the panel prefetches the next panel's
			// sub-panel, which then meets the next rows from L1.
			var next []float32
			if jp+1 < p1 {
				next = t.b[(jp+1)*k*nr+pc*nr : (jp+1)*k*nr+(pc+kcur)*nr]
			}
			for i := i0; i < i1; i += mr {
				mrr := min(mr, i1-i)
				a := t.a[i*t.lda+pc:]
				pf := next
				if i+mr < i1 {
					pf = nil
				}
				if nv == nr {
					kn.micro(mrr, kcur, a, t.lda, bp, t.c[i*t.ldc+j:], t.ldc, accum, pf)
				} else {
					// Right edge: compute the full-width tile aside.
					if accum {
						for r := 0; r < mrr; r++ {
							copy(tile[r*nr:r*nr+nv], t.c[(i+r)*t.ldc+j:])
						}
					}
					kn.micro(mrr, kcur, a, t.lda, bp, tile, nr, accum, pf)
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

// job is work that a caller shares with helpers: each helper calls work,
// which claims pieces until none are left.
type job interface {
	work()
}

// Helpers and callers wait by spinning on the PAUSE instruction rather than
// parking: waking a parked goroutine costs tens of microseconds on a virtual
// machine, as much as a whole product of an 8-token text, and a forward pass
// offers work every few microseconds. An idle helper spins for spinTime
// after its last piece of work, then parks until a caller wakes it.
//
// Helpers never call runtime.Gosched, and callers only after joinSpin:
// Gosched puts the goroutine on the global run queue without waking an
// idle P, so a helper and its caller can end up taking turns on one P
// while the other CPU sleeps.
const spinTime = 200 * time.Microsecond

// joinSpin is how long a caller spins for its helpers to finish their last
// pieces (a piece takes well under this) before it yields between checks,
// in case the helpers' threads were descheduled.
const joinSpin = time.Millisecond

// checkEvery is how many relax calls (about 50 ns each) a spinning
// goroutine makes between reading the clock.
const checkEvery = 64

// maxHelpers bounds the helpers ever started (GOMAXPROCS-1 up to it).
const maxHelpers = 64

var (
	helpersMu sync.Mutex
	started   atomic.Int32 // helper goroutines running
	spinning  atomic.Int32 // helpers watching the offer
	active    atomic.Int32 // callers inside a product or Attention big enough to share
	// procs is GOMAXPROCS as numHelpers last read it, on every product:
	// spinning helpers read this instead of runtime.GOMAXPROCS, which
	// takes the scheduler's lock.
	procs atomic.Int32
	// wake[id] wakes helper id when it is parked. Each helper has its own,
	// so that a caller wakes only helpers that GOMAXPROCS lets work.
	wake [maxHelpers]chan struct{}
	// seatsTaken counts the offers helpers have taken, for tests.
	seatsTaken atomic.Int64

	// offer is the one job on offer at a time, with its free seats and the
	// counter of its helpers still working; open mirrors seats > 0 so that
	// spinning helpers can watch it cheaply.
	offer struct {
		sync.Mutex
		j       job
		pending *atomic.Int32
		seats   int
	}
	open atomic.Bool
)

func init() {
	procs.Store(int32(runtime.GOMAXPROCS(0)))
	for i := range wake {
		wake[i] = make(chan struct{}, 1)
	}
}

// numHelpers returns the number of helpers a caller may use, GOMAXPROCS-1
// (at most maxHelpers), so that a caller plus its helpers fill the CPUs.
// Helpers start on first use and whenever GOMAXPROCS grows; when it
// shrinks, the extra ones stay parked. Only idle helpers take an offer,
// and only one job is on offer at a time, so concurrent callers never
// oversubscribe the machine: a caller that finds the offer taken does its
// work alone.
func numHelpers() int {
	p := runtime.GOMAXPROCS(0)
	procs.Store(int32(p))
	n := min(p-1, maxHelpers)
	if int(started.Load()) < n {
		helpersMu.Lock()
		for id := int(started.Load()); id < n; id = int(started.Add(1)) {
			go helper(id)
		}
		helpersMu.Unlock()
	}
	return n
}

// helper runs offered jobs; idle, it spins for spinTime, then parks until
// a caller wakes it. It parks at once when callers already occupy every P,
// as on a server encoding many requests (it could only take a P from
// them), and when GOMAXPROCS no longer counts it.
func helper(id int) {
	for {
		spinning.Add(1)
		for t0, i := time.Now(), 1; ; i++ {
			if open.Load() && take() {
				t0 = time.Now()
				continue
			}
			if i%checkEvery == 0 {
				if id >= int(procs.Load())-1 || busy() {
					break
				}
				if active.Load() > 0 {
					// A caller is still on its last pieces of a job and
					// will soon offer the next.
					t0 = time.Now()
				} else if time.Since(t0) > spinTime {
					break
				}
			}
			relax()
		}
		spinning.Add(-1)
		// An offer made while this helper still counted as spinning woke
		// no one.
		if open.Load() && id < int(procs.Load())-1 && !busy() {
			continue
		}
		<-wake[id]
	}
}

// busy reports whether callers are running kernels on every P.
func busy() bool { return active.Load() >= procs.Load() }

// take claims a seat of the job on offer, if one is left, and runs it.
func take() bool {
	offer.Lock()
	if offer.seats == 0 {
		offer.Unlock()
		return false
	}
	seatsTaken.Add(1)
	j, pending := offer.j, offer.pending
	if offer.seats--; offer.seats == 0 {
		offer.j, offer.pending = nil, nil
		open.Store(false)
	}
	offer.Unlock()
	j.work()
	pending.Add(-1)
	return true
}

// runShared runs j on the calling goroutine and on at most max idle
// helpers, and returns when j is done; pending is j's count of working
// helpers.
func runShared(j job, max int, pending *atomic.Int32) {
	active.Add(1)
	share(j, max, pending)
	j.work()
	join(pending)
	active.Add(-1)
}

// share offers j to at most max idle helpers; pending counts the helpers
// that take it until they are done. The caller then does its own share of
// j and calls join(pending).
func share(j job, max int, pending *atomic.Int32) {
	max = min(max, numHelpers())
	if max <= 0 || busy() {
		return
	}
	offer.Lock()
	if offer.seats > 0 {
		offer.Unlock()
		return
	}
	offer.j, offer.pending, offer.seats = j, pending, max
	pending.Add(int32(max))
	open.Store(true)
	offer.Unlock()
	if int(spinning.Load()) < max {
		for id := range max {
			select {
			case wake[id] <- struct{}{}:
			default: // awake, or a wake-up is already pending
			}
		}
	}
}

// join withdraws the seats of pending's offer that no helper has taken and
// waits for the helpers that took one: they are finishing their last piece.
func join(pending *atomic.Int32) {
	if open.Load() {
		offer.Lock()
		if offer.pending == pending {
			pending.Add(int32(-offer.seats))
			offer.j, offer.pending, offer.seats = nil, nil, 0
			open.Store(false)
		}
		offer.Unlock()
	}
	var t0 time.Time
	for i := 1; pending.Load() > 0; i++ {
		if i%checkEvery == 0 {
			if t0.IsZero() {
				t0 = time.Now()
			} else if time.Since(t0) > joinSpin {
				runtime.Gosched()
			}
		}
		relax()
	}
}
