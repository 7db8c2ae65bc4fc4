package sbert

import (
	"context"
	"errors"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/internal/kernels"
)

// TestWork checks Model.Work against multiply-adds counted from the shapes
// of the loaded weights, for one text, a batch split over several forward
// passes, and a call that fails before any forward pass.
func TestWork(t *testing.T) {
	for _, int8 := range []bool{false, true} {
		var opts []Option
		if int8 {
			opts = append(opts, WithInt8())
		}
		m := loadTiny(t, "tiny-max", append(opts, WithBatchTokens(16))...)
		// The multiply-adds of one sequence of n tokens, from the weights.
		macs := func(n int) int64 {
			var perToken int64
			for _, l := range m.layers {
				for _, w := range []kernels.Weights{l.qkvW, l.attnW, l.ffnW1, l.ffnW2} {
					perToken += int64(w.N() * w.K())
				}
			}
			h := int64(m.cfg.HiddenSize)
			// Scores q·k and the weighted sum of v: n·n·(h/heads) per head.
			return int64(n)*perToken + int64(len(m.layers))*2*int64(n*n)*h
		}
		ctx := context.Background()
		before := m.Work()
		texts := []string{"alpha beta", "", "gamma delta epsilon zeta eta theta", "iota"}
		var want Work
		for _, text := range texts {
			n := len(m.Tokenizer().Encode(text))
			want.Sequences++
			want.Tokens += int64(n)
			want.FLOPs += 2 * macs(n)
		}
		if _, err := m.Encode(ctx, texts[2]); err != nil {
			t.Fatal(err)
		}
		if _, err := m.EncodeBatch(ctx, texts); err != nil {
			t.Fatal(err)
		}
		one := len(m.Tokenizer().Encode(texts[2]))
		want.Sequences++
		want.Tokens += int64(one)
		want.FLOPs += 2 * macs(one)
		if got := m.Work().Sub(before); got != want || want.FLOPs == 0 {
			t.Errorf("int8 %v: Work after the calls: %+v, want %+v", int8, got, want)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		after := m.Work()
		if _, err := m.EncodeBatch(cancelled, texts); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled EncodeBatch: %v", err)
		}
		if got := m.Work(); got != after {
			t.Errorf("int8 %v: a cancelled call counted %+v", int8, got.Sub(after))
		}
	}
}
