package sbert

import (
	"sync"

	"github.com/jobmatch/jobmatch/sbert/internal/kernels"
)

// calibrationTexts are run through the float32 model when WithInt8 loads,
// to measure the mean inputs of the linear layers at the first and the last
// token of a sequence ([CLS] and [SEP]). They are plain job-market texts of
// one to forty words, none from the golden tests.
var calibrationTexts = []string{
	"accountant",
	"supply chain planning",
	"registered nurse",
	"customer service skills",
	"Experience with SQL, Excel and Tableau.",
	"We are looking for a senior software engineer to join our platform team.",
	"Responsible for budgets, vendor contracts and monthly reports to the finance director.",
	"Managed a team of twelve sales representatives across three regions and grew revenue by 20% in two years.",
	"Bachelor's degree in accounting or a related field; CPA preferred.",
	"Design, build and maintain data pipelines in Spark and Airflow, and work with analysts to define metrics.",
	"Teacher",
	"Strong written and verbal communication, attention to detail, and the ability to work independently in a fast-paced environment with changing priorities.",
}

// quantize replaces the float32 weights of the linear layers by int8 ones
// and sets their row biases: for the first and the last token of a
// sequence, the rounding error of the weights on the mean input of those
// rows over calibrationTexts (kernels.QuantizeBErrors), the inputs coming
// from a float32 forward pass.
//
// Why: [CLS] and [SEP] are attention sinks. Every token attends to them, so
// an error in their rows reaches every token alike and survives mean
// pooling, while the errors of other rows mostly average out. On the golden
// texts of all-MiniLM-L6-v2 the correction halves the error of the
// shortest texts (see WithInt8). Their inputs vary little from text to
// text, so the mean is a good guess.
func (m *Model) quantize() {
	var seqs [][]int32
	tokens := 0
	for _, t := range calibrationTexts {
		ids := m.tok.AppendEncode(nil, t)
		seqs = append(seqs, ids)
		tokens += len(ids)
	}
	s := m.getScratch(tokens)
	defer m.scratch.Put(s)
	s.setKinds(seqs, false)
	h, ldi := m.cfg.HiddenSize, rowStride(m.cfg.IntermediateSize)
	m.embed(seqs, s.x)
	var wg sync.WaitGroup
	for i := range m.layers {
		l := &m.layers[i]
		qkvIn := sinkMeans(seqs, s.x, h, h)
		m.encoderLayer(l, seqs, tokens, s)
		// This layer has run in float32 on the calibration texts: its
		// four matrices can now be quantised, side by side.
		for _, job := range []struct {
			w     *kernels.Weights
			means [2][]float32
		}{
			{&l.qkvW, qkvIn},
			{&l.attnW, sinkMeans(seqs, s.ctx, h, h)},
			{&l.ffnW1, sinkMeans(seqs, s.tmp, h, h)},
			{&l.ffnW2, sinkMeans(seqs, s.inter, ldi, m.cfg.IntermediateSize)},
		} {
			raw := (*job.w).(*kernels.PackedB)
			wg.Go(func() { *job.w = quantizeLinear(raw, job.means) })
		}
		wg.Wait()
	}
}

// sinkMeans returns the means, over seqs, of the rows of x (row stride ld,
// width n) at the first and at the last token of each sequence, summed in
// float64.
func sinkMeans(seqs [][]int32, x []float32, ld, n int) [2][]float32 {
	var sums [2][]float64
	for k := range sums {
		sums[k] = make([]float64, n)
	}
	off := 0
	for _, seq := range seqs {
		for k, row := range [2]int{off, off + len(seq) - 1} {
			for j, v := range x[row*ld : row*ld+n] {
				sums[k][j] += float64(v)
			}
		}
		off += len(seq)
	}
	var means [2][]float32
	for k, sum := range sums {
		means[k] = make([]float32, n)
		for j, v := range sum {
			means[k][j] = float32(v / float64(len(seqs)))
		}
	}
	return means
}

// quantizeLinear returns w quantised to int8, with the row biases that
// correct its rounding error on the inputs means (see quantize).
func quantizeLinear(w *kernels.PackedB, means [2][]float32) kernels.Weights {
	q, errs := kernels.QuantizeBErrors(w.Unpack(), w.N(), w.K(), means[0], means[1])
	q.SetRowBias(errs...)
	return q
}
