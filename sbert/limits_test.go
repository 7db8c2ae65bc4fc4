package sbert

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
	"github.com/jobmatch/jobmatch/sbert/internal/torchzip/torchziptest"
	"github.com/jobmatch/jobmatch/sbert/wordpiece"
)

// hostileBin writes, in place of the weights of the model in dir, a
// pytorch_model.bin in which every tensor that config.json asks for is a
// view of storage record data/0: a record that declares numel float32
// elements but holds data.
func hostileBin(t *testing.T, dir string, numel int64, data []byte) {
	t.Helper()
	var cfg bertConfig
	if err := readJSON(modelfile.ReadFile, filepath.Join(dir, "config.json"), 1<<20, &cfg); err != nil {
		t.Fatal(err)
	}
	var ts []torchziptest.Tensor
	for _, s := range specs(&cfg) {
		shape := make([]int64, len(s.shape))
		for i, d := range s.shape {
			shape[i] = int64(d)
		}
		ts = append(ts, torchziptest.Tensor{Name: s.name, Storage: "0", Numel: numel, Shape: shape})
	}
	recs := []torchziptest.Record{
		{Name: "data.pkl", Data: torchziptest.Pickle(ts)},
		{Name: "data/0", Data: data, Size: uint64(4 * numel)},
	}
	os.Remove(filepath.Join(dir, "model.safetensors"))
	writeFile(t, filepath.Join(dir, "pytorch_model.bin"), torchziptest.Zip("pytorch_model", recs))
}

// resize sets the sizes of the model in dir in config.json and the
// Pooling config.
func resize(t *testing.T, dir string, vocab, hidden int) {
	editJSON(t, filepath.Join(dir, "config.json"), func(v map[string]any) {
		v["vocab_size"], v["hidden_size"] = vocab, hidden
	})
	editJSON(t, filepath.Join(dir, "1_Pooling", "config.json"), func(v map[string]any) {
		v["word_embedding_dimension"] = hidden
	})
}

// TestLoadLimits loads hostile model directories: each must fail with the
// right sentinel, within seconds, allocating no more than 16 MiB beyond the
// files (a few KB each).
func TestLoadLimits(t *testing.T) {
	src := filepath.Join("testdata", "tiny-cls")
	const vocab, hidden = 320, 32 // of tiny-cls
	huge := Limits{Limits: wordpiece.Limits{MaxVocab: 1 << 23}, MaxWeightBytes: 1 << 40}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		opts  []Option
		want  error
		msg   string
	}{
		{"issue 12: 34 GB declared", func(t *testing.T, dir string) {
			resize(t, dir, 4194304, 2048)
			hostileBin(t, dir, 4194304*2048, nil)
		}, nil, ErrTooLarge, "vocab_size"},
		{"34 GB declared, limits raised", func(t *testing.T, dir string) {
			resize(t, dir, 4194304, 2048)
			hostileBin(t, dir, 4194304*2048, nil)
		}, []Option{WithLimits(huge)}, ErrCorrupt, "storage data/0"},
		{"record shorter than declared", func(t *testing.T, dir string) {
			hostileBin(t, dir, vocab*hidden, make([]byte, 100))
		}, nil, ErrCorrupt, "storage data/0"},
		{"tensors share a storage", func(t *testing.T, dir string) {
			hostileBin(t, dir, vocab*hidden, make([]byte, 4*vocab*hidden))
		}, nil, ErrCorrupt, "share bytes"},
		{"weights beyond MaxWeightBytes", func(t *testing.T, dir string) {}, []Option{WithLimits(Limits{MaxWeightBytes: 4 * vocab * hidden})}, ErrTooLarge, "MaxWeightBytes"},
		{"vocab_size beyond MaxVocab", func(t *testing.T, dir string) {}, []Option{WithLimits(Limits{Limits: wordpiece.Limits{MaxVocab: vocab - 1}})}, ErrTooLarge, "MaxVocab"},
		{"config.json of 2 MiB", func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, "config.json"))
			writeFile(t, filepath.Join(dir, "config.json"), append(b, strings.Repeat(" ", 2<<20)...))
		}, nil, ErrTooLarge, "config.json"},
		{"config.json nested 500,000 deep", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "config.json"), []byte(`{"x":`+strings.Repeat("[", 500_000)))
		}, nil, ErrCorrupt, "config.json"},
		{"a thousand modules", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "modules.json"), []byte("["+strings.Repeat("{},", 1000)+"{}]"))
		}, nil, ErrUnsupported, "modules"},
		{"vocab.txt beyond MaxTokenizerBytes", func(t *testing.T, dir string) {}, []Option{WithLimits(Limits{Limits: wordpiece.Limits{MaxTokenizerBytes: 1000}})}, ErrTooLarge, "vocab.txt"},
		{"vocab.txt of a million lines", func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, "vocab.txt"))
			writeFile(t, filepath.Join(dir, "vocab.txt"), append(b, strings.Repeat("\n", 1<<20)...))
		}, nil, ErrTooLarge, "vocab.txt"},
		{"tokenizer.json with 2000 added tokens", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "tokenizer.json"), []byte(`{"added_tokens":[`+strings.Repeat(`{"content":"[CLS]"},`, 2000)+`{}]}`))
		}, nil, ErrTooLarge, "added_tokens"},
		{"pytorch_model.bin beyond MaxPickleOps", func(t *testing.T, dir string) {
			hostileBin(t, dir, vocab*hidden, make([]byte, 4*vocab*hidden))
		}, []Option{WithLimits(Limits{MaxPickleOps: 100})}, ErrTooLarge, "opcodes"},
		{"pytorch_model.bin beyond MaxPickleBytes", func(t *testing.T, dir string) {
			hostileBin(t, dir, vocab*hidden, make([]byte, 4*vocab*hidden))
		}, []Option{WithLimits(Limits{MaxPickleBytes: 100})}, ErrTooLarge, "data.pkl"},
		{"model.safetensors is a directory", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "model.safetensors"))
			os.Mkdir(filepath.Join(dir, "model.safetensors"), 0o755)
		}, nil, ErrCorrupt, "regular"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyModel(t, src)
			tc.setup(t, dir)
			err, alloc := boundedLoad(t, dir, tc.opts...)
			t.Logf("%v; %d bytes allocated", err, alloc)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %v, want %v mentioning %q", err, tc.want, tc.msg)
			}
			if alloc > 16<<20 {
				t.Errorf("Load allocated %d bytes, want at most 16 MiB", alloc)
			}
		})
	}
}

// boundedLoad loads the model in dir and returns its error and the bytes it
// allocated, failing t if Load does not return within 20 s.
func boundedLoad(t *testing.T, dir string, opts ...Option) (error, uint64) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	done := make(chan error, 1)
	go func() {
		_, err := Load(context.Background(), dir, opts...)
		done <- err
	}()
	select {
	case err := <-done:
		runtime.ReadMemStats(&after)
		return err, after.TotalAlloc - before.TotalAlloc
	case <-time.After(20 * time.Second):
		t.Fatal("Load still running after 20 s")
	}
	panic(fmt.Sprint("unreachable"))
}

// cancelAfter is a context that reports cancellation from its n-th call
// to Err on, which stops Load at a given point of its work.
type cancelAfter struct {
	context.Context
	n int
}

func (c *cancelAfter) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

// TestLoadCancel checks that Load stops between tensors when its context
// is cancelled, not only before it starts reading the weights.
func TestLoadCancel(t *testing.T) {
	for _, n := range []int{0, 1, 2, 10} {
		_, err := Load(&cancelAfter{context.Background(), n}, filepath.Join("testdata", "tiny-cls"))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Load with a context cancelled at its call %d to Err = %v, want context.Canceled", n, err)
		}
	}
}
