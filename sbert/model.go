package sbert

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
	"github.com/jobmatch/jobmatch/sbert/internal/packfile"
	"github.com/jobmatch/jobmatch/sbert/wordpiece"
)

// Model is a loaded sentence-transformers model: a BERT encoder followed by
// pooling and, optionally, L2 normalisation. A Model is immutable and safe
// for concurrent use. A Model loaded from a pack file uses the file's
// mapping, which is unmapped once the Model is unreachable; the file must
// not be truncated or rewritten in place meanwhile (replace it by a
// rename, as cmd/pack does).
type Model struct {
	cfg       bertConfig
	pooling   poolingConfig
	normalize bool
	maxSeqLen int
	batchTok  int // tokens per forward pass in EncodeBatch

	wordEmb, posEmb, typeEmb []float32
	embLN                    layerNorm
	layers                   []layer

	int8    bool // the linear layers are quantised (WithInt8)
	tok     *wordpiece.Tokenizer
	scratch sync.Pool // *scratch
	ids     sync.Pool // *[]int32

	arena   []float32      // wordEmb ... ffnLN, consecutive
	id      packModel      // the identity of the model files, for pack files
	from    string         // the file the weights came from
	pack    *packfile.File // the mapped pack file, when from is one
	guard   *packGuard     // verifies pack's data before first use
	packErr error          // why a pack file in the directory was not used

	work work // what the forward passes computed, for Work
}

// Option configures [Load].
type Option func(*options)

type options struct {
	batchTokens int
	int8        bool
	limits      Limits
	packed      string // WithPacked
	noPacked    bool   // WithoutPacked
}

// WithBatchTokens bounds the number of tokens that one forward pass of
// [Model.EncodeBatch] processes at once (default 1024, at least MaxSeqLen).
// Scratch memory grows with it, by 4·(6·hidden+intermediate) bytes per
// token (15 KB for all-MiniLM-L6-v2), while the matrix products gain little
// beyond a few hundred rows.
func WithBatchTokens(n int) Option {
	return func(o *options) { o.batchTokens = n }
}

// WithInt8 stores the weights of the linear layers as int8, with one scale
// per output channel and group of 128 inputs, and quantises their inputs on
// the fly, each token with its own scale and zero point, after a
// Walsh–Hadamard rotation of both that spreads outlier channels. Load then
// runs a dozen short calibration texts through the float32 model and
// corrects the mean rounding error of the rows of the first and the last
// token of each sequence ([CLS] and [SEP], which every token attends to).
// Embeddings are then approximate: for all-MiniLM-L6-v2 on the golden
// texts, a cosine to the float32 ones of 0.99978 on average and 0.99932 at
// worst (on the shortest texts), instead of 1-1e-11, so the model is no
// longer faithful to sentence-transformers. It is 2 to 4 times as fast
// on one core only on CPUs with int8 dot-product instructions (x86 AVX-512
// VNNI, arm64 dot product); with AVX2 alone, about as fast as float32
// (see [Int8Accelerated]). Loading from the weights file takes about
// four times as long (the calibration); from an int8 pack file (see
// WritePacked), which holds the calibrated weights, no longer than
// float32.
func WithInt8() Option {
	return func(o *options) { o.int8 = true }
}

// newOptions applies opts to the defaults.
func newOptions(opts []Option) *options {
	o := &options{batchTokens: 1024}
	for _, opt := range opts {
		opt(o)
	}
	o.limits = o.limits.withDefaults()
	return o
}

// readModelLayout reads the JSON files of the model in dir and returns
// what they say, with the hex SHA-256 of their contents (see packModel).
func readModelLayout(dir string, lim *Limits) (*layout, string, error) {
	h := sha256.New()
	l, err := readLayout(hashingReader(modelfile.ReadFile, dir, h), dir, lim)
	if err != nil {
		return nil, "", err
	}
	return l, hex.EncodeToString(h.Sum(nil)), nil
}

// loadModel reads the weights of the model in dir, whose JSON files said l
// and have the identity config: from the pack file for this process when
// there is one that matches (see WithPacked), else from the weights file.
func loadModel(ctx context.Context, dir string, l *layout, config string, o *options) (*Model, error) {
	lim := &o.limits
	m := &Model{cfg: l.cfg, pooling: l.pooling, normalize: l.normalize, maxSeqLen: l.maxSeqLen, int8: o.int8}
	if m.maxSeqLen == 0 {
		m.maxSeqLen = m.cfg.MaxPositionEmbeddings
	}
	m.batchTok = max(o.batchTokens, m.maxSeqLen)
	m.id = packModel{Config: config, Int8: o.int8}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !o.noPacked {
		path := o.packed
		if path == "" {
			path = filepath.Join(dir, PackFileName(PackTarget{}, o.int8))
		}
		err := loadPacked(ctx, m, path, l, m.id, lim)
		switch {
		case err == nil:
			m.from = path
			return m, nil
		case o.packed != "" || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			return nil, err
		case !errors.Is(err, ErrMissingFile):
			m.packErr = err
		default:
			// Pack files for other machines or options are no error,
			// but worth saying.
			if others, _ := filepath.Glob(filepath.Join(dir, "jobmatch-*.pack")); len(others) > 0 {
				m.packErr = fmt.Errorf("sbert: load %s: %w: no such file; %s made for other machines or options", path, ErrPackMismatch, strings.Join(others, ", "))
			}
		}
	}
	f, path, err := openWeights(l.transformerDir, lim)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := newWeightReader(f, path)
	if err != nil {
		return nil, err
	}
	if err := loadWeights(ctx, m, r, lim); err != nil {
		return nil, err
	}
	m.from, m.id.Weights = path, filepath.Base(path)
	return m, nil
}

// Dim returns the length of the embeddings.
func (m *Model) Dim() int { return m.cfg.HiddenSize * m.pooling.modes() }

// Int8 reports whether the model was loaded with [WithInt8].
func (m *Model) Int8() bool { return m.int8 }

// LoadedFrom returns the file that [Load] took the weights from: a pack
// file (see [WritePacked]) or the weights file. When the model directory
// held a pack file for this process that Load could not use (truncated,
// a damaged header, or made for another program, CPU or model), packErr
// says why, and Load read the weights file instead. Damage in a pack
// file's data shows later, as the calls that would use it fail (see
// [Model.VerifyPacked]).
func (m *Model) LoadedFrom() (path string, packErr error) { return m.from, m.packErr }

// VerifyPacked reads the pack file that m was loaded from, if any, and
// checks all of it now. Without it, each part of the file is checked just
// before its first use, and a damaged part fails the calls that would use
// it with an error wrapping [ErrCorrupt]; call VerifyPacked to find damage
// at start-up instead, at the cost of reading the whole file.
func (m *Model) VerifyPacked() error { return m.guard.all() }

// MaxSeqLen returns the number of tokens, [CLS] and [SEP] included, beyond
// which texts are truncated.
func (m *Model) MaxSeqLen() int { return m.maxSeqLen }

// embedIDs computes the embeddings of token id sequences into out, in
// chunks of at most m.batchTok tokens.
func (m *Model) embedIDs(ctx context.Context, seqs [][]int32, out [][]float32) error {
	for i, s := range seqs {
		if len(s) == 0 || len(s) > m.maxSeqLen {
			return fmt.Errorf("sbert: sequence %d has %d tokens, want 1 to %d", i, len(s), m.maxSeqLen)
		}
		for _, id := range s {
			if id < 0 || int(id) >= m.cfg.VocabSize {
				return fmt.Errorf("sbert: sequence %d: token id %d out of the vocabulary [0, %d)", i, id, m.cfg.VocabSize)
			}
		}
	}
	for start := 0; start < len(seqs); {
		end, tokens := start, 0
		for end < len(seqs) && tokens+len(seqs[end]) <= m.batchTok {
			tokens += len(seqs[end])
			end++
		}
		if err := m.forward(ctx, seqs[start:end], out[start:end]); err != nil {
			return err
		}
		m.count(seqs[start:end])
		start = end
	}
	// The weights may lie in the mapping of m.pack, which m's cleanup
	// unmaps.
	runtime.KeepAlive(m)
	return nil
}
