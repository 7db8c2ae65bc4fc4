package sbert

import (
	"context"
	"math"

	"github.com/jobmatch/jobmatch/sbert/internal/kernels"
)

// layerNorm holds the affine parameters of a LayerNorm over the hidden size.
type layerNorm struct{ gamma, beta []float32 }

// apply normalises the rows of width h of x in place.
func (ln layerNorm) apply(x []float32, h int, eps float32) {
	kernels.LayerNorm(len(x)/h, h, x, h, ln.gamma, ln.beta, eps)
}

// layer holds the parameters of one BERT encoder layer. Weight matrices,
// [out, in] in torch.nn.Linear, are prepared for the kernels.
type layer struct {
	qkvW   kernels.Weights // [3h, h]: query, key, value stacked
	qkvB   []float32       // [3h]
	attnW  kernels.Weights // [h, h]
	attnB  []float32
	attnLN layerNorm
	ffnW1  kernels.Weights // [i, h]
	ffnB1  []float32
	ffnW2  kernels.Weights // [h, i]
	ffnB2  []float32
	ffnLN  layerNorm
}

// scratch is the working memory of one forward pass over a chunk of
// sequences packed without padding: rows of every buffer are tokens.
type scratch struct {
	x     []float32 // [t, h] hidden states
	qkv   []float32 // [t, 3h]
	ctx   []float32 // [t, h] attention context
	tmp   []float32 // [t, h]
	inter []float32 // [t, i], row stride rowStride(i)
	kinds []uint8   // [t]: 1 for a sequence's first token, 2 its last, else 0
	offs  []int     // first token of each sequence
	lens  []int     // length of each sequence
	sum   []float64 // [h] pooling sums
}

// getScratch returns scratch space for tokens rows.
func (m *Model) getScratch(tokens int) *scratch {
	s, _ := m.scratch.Get().(*scratch)
	if s == nil {
		s = new(scratch)
	}
	h, in := m.cfg.HiddenSize, m.cfg.IntermediateSize
	s.x = grow(s.x, tokens*h)
	s.qkv = grow(s.qkv, tokens*3*h)
	s.ctx = grow(s.ctx, tokens*h)
	s.tmp = grow(s.tmp, tokens*h)
	s.inter = grow(s.inter, tokens*rowStride(in))
	if cap(s.sum) < h {
		s.sum = make([]float64, h)
	}
	s.sum = s.sum[:h]
	return s
}

// setKinds sets s.kinds for the rows of seqs when the int8 weights need
// them (see Model.quantize), and to nil otherwise.
func (s *scratch) setKinds(seqs [][]int32, need bool) {
	if !need {
		s.kinds = nil
		return
	}
	s.kinds = s.kinds[:0]
	for _, seq := range seqs {
		n := len(s.kinds)
		s.kinds = append(s.kinds, make([]uint8, len(seq))...)
		s.kinds[n+len(seq)-1] = 2
		s.kinds[n] = 1
	}
}

// rowStride returns the row stride of a scratch matrix with n columns: n,
// or n plus one cache line when n floats are a multiple of 2 KB. With such
// a stride the rows that a micro-kernel reads or writes together fall into
// a few L1 cache sets and evict each other: alone, the 128×384×1536
// product of MiniLM's output layer ran at half speed with a 1536-float
// stride (within the whole model the difference was below the noise).
func rowStride(n int) int {
	if n*4%2048 == 0 {
		return n + 16
	}
	return n
}

func grow(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}

// forward runs the encoder on seqs, token ids of at most MaxSeqLen tokens
// each, and writes the pooled (and normalised) embedding of seqs[i] to
// out[i], which must have length Dim.
//
// Sequences are packed one after the other without padding. Every operation
// but attention works row by row, and attention runs per sequence over its
// own tokens, so the result for a sequence does not depend on the other
// sequences of the chunk. This matches Hugging Face's padded batches, where
// masked keys get the score finfo(float32).min and so the softmax weight 0.
func (m *Model) forward(ctx context.Context, seqs [][]int32, out [][]float32) error {
	tokens := 0
	for _, s := range seqs {
		tokens += len(s)
	}
	s := m.getScratch(tokens)
	defer m.scratch.Put(s)
	s.setKinds(seqs, m.int8)

	if err := m.guard.embeddings(seqs); err != nil {
		return err
	}
	m.embed(seqs, s.x)
	for i := range m.layers {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := m.guard.layer(i); err != nil {
			return err
		}
		m.encoderLayer(&m.layers[i], seqs, tokens, s)
	}
	off := 0
	for i, seq := range seqs {
		m.pool(s.x[off*m.cfg.HiddenSize:(off+len(seq))*m.cfg.HiddenSize], len(seq), s.sum, out[i])
		off += len(seq)
	}
	return nil
}

// embed writes LayerNorm(word + token_type + position) for every token to x.
func (m *Model) embed(seqs [][]int32, x []float32) {
	h := m.cfg.HiddenSize
	typ := m.typeEmb[:h] // token_type_ids are all 0 for single texts
	row := 0
	for _, seq := range seqs {
		for pos, id := range seq {
			xr := x[row*h : (row+1)*h]
			w := m.wordEmb[int(id)*h : (int(id)+1)*h]
			p := m.posEmb[pos*h : (pos+1)*h]
			// The order of the sums is that of BertEmbeddings.forward.
			for j := range xr {
				xr[j] = (w[j] + typ[j]) + p[j]
			}
			row++
		}
	}
	m.embLN.apply(x[:row*h], h, float32(m.cfg.LayerNormEps))
}

func (m *Model) encoderLayer(l *layer, seqs [][]int32, tokens int, s *scratch) {
	h, in := m.cfg.HiddenSize, m.cfg.IntermediateSize
	eps := float32(m.cfg.LayerNormEps)
	x := s.x[:tokens*h]

	// Self-attention: q, k, v in one product, then per sequence and head
	// softmax(q·kᵀ/√dh)·v into ctx.
	qkv := s.qkv[:tokens*3*h]
	kinds := s.kinds
	kernels.Linear(tokens, x, h, l.qkvW, l.qkvB, qkv, 3*h, kinds)
	m.attention(seqs, s)

	// Output projection plus residual, then LayerNorm.
	tmp := s.tmp[:tokens*h]
	kernels.LinearResidual(tokens, s.ctx, h, l.attnW, l.attnB, x, h, tmp, h, kinds)
	l.attnLN.apply(tmp, h, eps)

	// Feed-forward with the exact GELU, residual, LayerNorm, back into x.
	ldi := rowStride(in)
	inter := s.inter[:tokens*ldi]
	kernels.LinearGELU(tokens, tmp, h, l.ffnW1, l.ffnB1, inter, ldi, kinds)
	kernels.LinearResidual(tokens, inter, ldi, l.ffnW2, l.ffnB2, tmp, h, x, h, kinds)
	l.ffnLN.apply(x, h, eps)
}

// attention sets s.ctx to softmax(q·kᵀ/√dh)·v for every sequence and head,
// from q, k and v in s.qkv.
func (m *Model) attention(seqs [][]int32, s *scratch) {
	s.offs, s.lens = s.offs[:0], s.lens[:0]
	off := 0
	for _, seq := range seqs {
		s.offs = append(s.offs, off)
		s.lens = append(s.lens, len(seq))
		off += len(seq)
	}
	h, heads := m.cfg.HiddenSize, m.cfg.NumAttentionHeads
	dh := h / heads
	kernels.Attention(s.offs, s.lens, heads, dh, float32(1/math.Sqrt(float64(dh))), s.qkv, 3*h, s.ctx, h)
}

// pool writes the pooled embedding of one sequence, x [n, h], to out, with
// the pooling modes concatenated in the order of sentence-transformers
// (CLS, max, mean, sum/√n), then L2-normalises it if the model has a
// Normalize module. sum is scratch space of length h.
func (m *Model) pool(x []float32, n int, sum []float64, out []float32) {
	h := m.cfg.HiddenSize
	p := &m.pooling
	o := out
	if p.CLS {
		copy(o[:h], x[:h])
		o = o[h:]
	}
	if p.Max {
		copy(o[:h], x[:h])
		for t := 1; t < n; t++ {
			for j, v := range x[t*h : (t+1)*h] {
				o[j] = max(o[j], v)
			}
		}
		o = o[h:]
	}
	if p.Mean || p.MeanSqrtLen {
		clear(sum)
		for t := range n {
			for j, v := range x[t*h : (t+1)*h] {
				sum[j] += float64(v)
			}
		}
		if p.Mean {
			for j := range sum {
				o[j] = float32(sum[j] / float64(n))
			}
			o = o[h:]
		}
		if p.MeanSqrtLen {
			d := math.Sqrt(float64(n))
			for j := range sum {
				o[j] = float32(sum[j] / d)
			}
		}
	}
	if m.normalize {
		var sq float64
		for _, v := range out {
			sq += float64(v) * float64(v)
		}
		// torch.nn.functional.normalize: x / max(‖x‖, 1e-12).
		inv := 1 / max(math.Sqrt(sq), 1e-12)
		for j, v := range out {
			out[j] = float32(float64(v) * inv)
		}
	}
}
