package sbert

import (
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/jobmatch/jobmatch/sbert/internal/packfile"
)

// packGuard verifies the parts of a pack file's data before their first
// use: the embeddings but the word table and each layer as a whole, the
// word table row by row (a forward pass uses a few hundred of its 30,000
// rows). Load then reads none of the weights, and a process starting from
// a cold page cache reads the pages it uses, once, instead of the whole
// file at load and again as it runs. Damage is reported by the forward
// pass that would have used it, never computed with.
//
// Load also starts verifying the groups in the background, in the order a
// forward pass uses them, so that a first request arriving a little after
// Load finds some or all of them verified and their pages mapped; a
// forward pass that reaches a group being verified waits for it instead of
// verifying it again.
type packGuard struct {
	f      *packfile.File
	groups [][][]byte // 0: embeddings but the word table; 1+i: layer i
	done   []atomic.Bool
	locks  []sync.Mutex // held while a group is being verified
	word   []byte       // the word embedding table
	row    int          // bytes per row of word
}

// newPackGuard returns the guard of m's weights, which assemble took from
// f; mats holds the arrays of each matrix, in the order assemble asked for
// them.
func newPackGuard(f *packfile.File, m *Model, mats [][][]byte) *packGuard {
	g := &packGuard{
		f:      f,
		groups: [][][]byte{{f32Bytes(m.posEmb), f32Bytes(m.typeEmb), f32Bytes(m.embLN.gamma), f32Bytes(m.embLN.beta)}},
		word:   f32Bytes(m.wordEmb),
		row:    4 * m.cfg.HiddenSize,
	}
	per := len(mats) / max(len(m.layers), 1)
	for i, l := range m.layers {
		group := [][]byte{f32Bytes(l.qkvB), f32Bytes(l.attnB), f32Bytes(l.ffnB1), f32Bytes(l.ffnB2)}
		for _, ln := range []layerNorm{l.attnLN, l.ffnLN} {
			group = append(group, f32Bytes(ln.gamma), f32Bytes(ln.beta))
		}
		for _, arrays := range mats[i*per : (i+1)*per] {
			group = append(group, arrays...)
		}
		g.groups = append(g.groups, group)
	}
	g.done = make([]atomic.Bool, len(g.groups))
	g.locks = make([]sync.Mutex, len(g.groups))
	// All of it is read by the first forward pass, but the word table.
	var parts [][]byte
	for _, group := range g.groups {
		parts = append(parts, group...)
	}
	f.Prefetch(parts...)
	return g
}

// embeddings verifies what embedding seqs reads.
func (g *packGuard) embeddings(seqs [][]int32) error {
	if g == nil {
		return nil
	}
	if err := g.group(0); err != nil {
		return err
	}
	for _, seq := range seqs {
		for _, id := range seq {
			if err := g.f.VerifyRange(g.word[int(id)*g.row : (int(id)+1)*g.row]); err != nil {
				return damaged(err)
			}
		}
	}
	return nil
}

// layer verifies the weights of layer i.
func (g *packGuard) layer(i int) error {
	if g == nil {
		return nil
	}
	return g.group(1 + i)
}

func (g *packGuard) group(i int) error {
	if g.done[i].Load() {
		return nil
	}
	g.locks[i].Lock()
	defer g.locks[i].Unlock()
	if g.done[i].Load() {
		return nil
	}
	for _, b := range g.groups[i] {
		if err := g.f.VerifyRange(b); err != nil {
			return damaged(err)
		}
	}
	g.done[i].Store(true)
	return nil
}

// verifyAhead verifies the groups in order, and stops at the first that
// is damaged: the forward pass that needs it reports the damage.
func (g *packGuard) verifyAhead() {
	for i := range g.groups {
		if g.group(i) != nil {
			return
		}
	}
}

// all verifies every chunk of the file.
func (g *packGuard) all() error {
	if g == nil {
		return nil
	}
	if err := g.f.Verify(); err != nil {
		return damaged(err)
	}
	return nil
}

func damaged(err error) error {
	return fmt.Errorf("sbert: %w: %w (delete the pack file, or write it again with go run ./sbert/cmd/pack)", ErrCorrupt, err)
}

func f32Bytes(v []float32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 4*len(v))
}

func i8Bytes(v []int8) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), len(v))
}

func i32Bytes(v []int32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 4*len(v))
}
