package sbert

import "sync/atomic"

// Work is what a [Model] has computed since it was loaded: the sequences
// (texts, each [CLS] … [SEP]) it ran through the transformer, their
// tokens, and the floating-point operations of those forward passes. It
// tells how much of a program's time the model can explain: FLOPs divided
// by the CPU's multiply-add rate is the least time any implementation of
// the model needs for the same texts (see BENCHMARKS.md).
type Work struct {
	Sequences int64
	Tokens    int64
	// FLOPs counts each multiply-add of the linear layers and of attention
	// (the query-key scores and their weighted sum of the values) as two
	// operations, in float32 and in int8 alike; the embeddings, layer
	// norms, softmax, GELU and pooling, linear in the tokens and a few
	// percent of the rest, are not counted.
	FLOPs int64
}

// work is the counter behind [Model.Work].
type work struct {
	seqs, tokens, flops atomic.Int64
}

// Work returns what m has computed so far; take two and subtract to
// measure a stretch of work. Safe for concurrent use.
func (m *Model) Work() Work {
	return Work{Sequences: m.work.seqs.Load(), Tokens: m.work.tokens.Load(), FLOPs: m.work.flops.Load()}
}

// Sub returns the work done between o and w (o taken first).
func (w Work) Sub(o Work) Work {
	return Work{Sequences: w.Sequences - o.Sequences, Tokens: w.Tokens - o.Tokens, FLOPs: w.FLOPs - o.FLOPs}
}

// count adds the forward pass over seqs to m's work.
func (m *Model) count(seqs [][]int32) {
	var tokens, flops int64
	for _, s := range seqs {
		tokens += int64(len(s))
		flops += m.cfg.seqFLOPs(len(s))
	}
	m.work.seqs.Add(int64(len(seqs)))
	m.work.tokens.Add(tokens)
	m.work.flops.Add(flops)
}

// seqFLOPs returns the floating-point operations of a forward pass over one
// sequence of n tokens (see [Work]): per layer and token, the query, key,
// value and output projections (4·h² multiply-adds) and the two of the
// feed-forward block (2·h·i), and per layer the scores and the weighted
// values of attention (2·n²·h over all heads).
func (c *bertConfig) seqFLOPs(n int) int64 {
	h, i, l, t := int64(c.HiddenSize), int64(c.IntermediateSize), int64(c.NumHiddenLayers), int64(n)
	return 2 * l * (t*(4*h*h+2*h*i) + 2*t*t*h)
}
