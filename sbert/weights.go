package sbert

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jobmatch/jobmatch/sbert/internal/kernels"
	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
	"github.com/jobmatch/jobmatch/sbert/internal/safetensors"
	"github.com/jobmatch/jobmatch/sbert/internal/torchzip"
)

// tensorFile is what Load needs from a weights file.
type tensorFile interface {
	Info(name string) (dtype string, shape []int, ok bool)
	Span(name string) (off, n int64) // byte range in the file
	ReadFloat32(name string, dst []float32) error
	Close() error
}

// openWeights opens model.safetensors in dir, or pytorch_model.bin when
// there is no safetensors file, as Hugging Face transformers does.
func openWeights(dir string, lim *Limits) (tensorFile, string, error) {
	st := filepath.Join(dir, "model.safetensors")
	f, err := safetensors.Open(st)
	if err == nil {
		return f, st, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, st, classify(st, err)
	}
	bin := filepath.Join(dir, "pytorch_model.bin")
	if _, err := os.Stat(bin); errors.Is(err, fs.ErrNotExist) {
		return nil, st, fmt.Errorf("sbert: load %s: %w (and no pytorch_model.bin)", st, ErrMissingFile)
	}
	tf, err := torchzip.Open(bin, torchzip.Limits{PickleBytes: lim.MaxPickleBytes, PickleOps: lim.MaxPickleOps})
	if err != nil {
		return nil, bin, classify(bin, err)
	}
	return tf, bin, nil
}

// classify wraps an error of the file readers with the sentinel of this
// package that matches it.
func classify(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("sbert: load %s: %w: %w", path, ErrMissingFile, err)
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrCorrupt), errors.Is(err, ErrUnsupported):
		return fmt.Errorf("sbert: load %s: %w", path, err)
	case errors.Is(err, modelfile.ErrNotRegular):
		return fmt.Errorf("sbert: load %s: %w: %w", path, ErrCorrupt, err)
	case errors.Is(err, safetensors.ErrDType):
		return fmt.Errorf("sbert: load %s: %w: %w", path, ErrUnsupported, err)
	case errors.Is(err, safetensors.ErrCorrupt), errors.Is(err, torchzip.ErrCorrupt):
		return fmt.Errorf("sbert: load %s: %w: %w", path, ErrCorrupt, err)
	}
	return fmt.Errorf("sbert: load %s: %w", path, err)
}

// weightReader reads the tensors of a BertModel from a weights file, with
// or without the "bert." prefix of the task-head checkpoints, checking each
// shape against the configuration before anything is allocated.
type weightReader struct {
	f      tensorFile
	path   string
	prefix string
}

func newWeightReader(f tensorFile, path string) (*weightReader, error) {
	for _, prefix := range []string{"", "bert."} {
		if _, _, ok := f.Info(prefix + "embeddings.word_embeddings.weight"); ok {
			return &weightReader{f: f, path: path, prefix: prefix}, nil
		}
	}
	return nil, fmt.Errorf("sbert: load %s: %w: tensor embeddings.word_embeddings.weight (with or without the bert. prefix)", path, ErrMissingFile)
}

// resolve returns the name under which the tensor is stored; LayerNorm
// parameters of old checkpoints are called gamma and beta.
func (r *weightReader) resolve(name string) (string, bool) {
	full := r.prefix + name
	if _, _, ok := r.f.Info(full); ok {
		return full, true
	}
	for old, new := range map[string]string{".LayerNorm.gamma": ".LayerNorm.weight", ".LayerNorm.beta": ".LayerNorm.bias"} {
		if base, ok := strings.CutSuffix(full, new); ok {
			if _, _, ok := r.f.Info(base + old); ok {
				return base + old, true
			}
		}
	}
	return "", false
}

// check verifies that the named tensor exists with the given shape and a
// float dtype.
func (r *weightReader) check(name string, shape ...int) error {
	full, ok := r.resolve(name)
	if !ok {
		return fmt.Errorf("sbert: load %s: %w: tensor %s%s", r.path, ErrMissingFile, r.prefix, name)
	}
	dtype, got, _ := r.f.Info(full)
	if !slices.Equal(got, shape) {
		return fmt.Errorf("sbert: load %s: %w: tensor %s has shape %v, want %v", r.path, ErrCorrupt, full, got, shape)
	}
	if safetensors.ElemSize(dtype) == 0 {
		return fmt.Errorf("sbert: load %s: %w: tensor %s has dtype %s (want F32, F16 or BF16)", r.path, ErrUnsupported, full, dtype)
	}
	return nil
}

// read reads the named tensor, already checked, into dst.
func (r *weightReader) read(name string, dst []float32) error {
	full, _ := r.resolve(name)
	if err := r.f.ReadFloat32(full, dst); err != nil {
		return classify(r.path, err)
	}
	return nil
}

// tensorSpec names one tensor of the model and its shape.
type tensorSpec struct {
	name  string
	shape []int
}

// specs lists the tensors of the encoder of cfg: the embeddings, then per
// layer the sixteen tensors that loadWeights reads in this order.
func specs(c *bertConfig) []tensorSpec {
	h, in := c.HiddenSize, c.IntermediateSize
	s := []tensorSpec{
		{"embeddings.word_embeddings.weight", []int{c.VocabSize, h}},
		{"embeddings.position_embeddings.weight", []int{c.MaxPositionEmbeddings, h}},
		{"embeddings.token_type_embeddings.weight", []int{c.TypeVocabSize, h}},
		{"embeddings.LayerNorm.weight", []int{h}},
		{"embeddings.LayerNorm.bias", []int{h}},
	}
	for i := range c.NumHiddenLayers {
		p := fmt.Sprintf("encoder.layer.%d.", i)
		s = append(s,
			tensorSpec{p + "attention.self.query.weight", []int{h, h}},
			tensorSpec{p + "attention.self.key.weight", []int{h, h}},
			tensorSpec{p + "attention.self.value.weight", []int{h, h}},
			tensorSpec{p + "attention.self.query.bias", []int{h}},
			tensorSpec{p + "attention.self.key.bias", []int{h}},
			tensorSpec{p + "attention.self.value.bias", []int{h}},
			tensorSpec{p + "attention.output.dense.weight", []int{h, h}},
			tensorSpec{p + "attention.output.dense.bias", []int{h}},
			tensorSpec{p + "attention.output.LayerNorm.weight", []int{h}},
			tensorSpec{p + "attention.output.LayerNorm.bias", []int{h}},
			tensorSpec{p + "intermediate.dense.weight", []int{in, h}},
			tensorSpec{p + "intermediate.dense.bias", []int{in}},
			tensorSpec{p + "output.dense.weight", []int{h, in}},
			tensorSpec{p + "output.dense.bias", []int{h}},
			tensorSpec{p + "output.LayerNorm.weight", []int{h}},
			tensorSpec{p + "output.LayerNorm.bias", []int{h}},
		)
	}
	return s
}

// cursor walks the tensors of specs in order, the vectors and embedding
// tables taking consecutive space of arena.
type cursor struct {
	specs []tensorSpec
	arena []float32 // embeddings, biases and LayerNorm parameters
}

// vec returns the next tensor and its space in the arena, with the
// capacity of the rest of the arena (for vecs).
func (c *cursor) vec() (tensorSpec, []float32) {
	s := c.specs[0]
	c.specs = c.specs[1:]
	n := prod(s.shape)
	dst := c.arena[:n]
	c.arena = c.arena[n:]
	return s, dst
}

// matrices skips the next k matrices, of the same width, and returns the
// shape of their stack.
func (c *cursor) matrices(k int) (rows, cols int) {
	cols = c.specs[0].shape[1]
	for _, s := range c.specs[:k] {
		rows += s.shape[0]
	}
	c.specs = c.specs[k:]
	return rows, cols
}

// isVec reports whether the tensor s lives in the arena rather than being
// prepared for the kernels.
func isVec(s tensorSpec) bool {
	return len(s.shape) == 1 || strings.HasPrefix(s.name, "embeddings.")
}

// source gives assemble the parameters of a model in the order of specs.
type source interface {
	vec() []float32               // the next vector or embedding table
	matrix(k int) kernels.Weights // the next k matrices, stacked
}

// vecs returns the next k tensors of s, adjacent in its arena, as one
// slice.
func vecs(s source, k int) []float32 {
	first := s.vec()
	n := len(first)
	for range k - 1 {
		n += len(s.vec())
	}
	return first[:n:n]
}

// assemble sets the parameters of m, whose configuration is set, from s.
func assemble(m *Model, s source) {
	m.wordEmb, m.posEmb, m.typeEmb = s.vec(), s.vec(), s.vec()
	m.embLN = layerNorm{gamma: s.vec(), beta: s.vec()}
	m.layers = make([]layer, m.cfg.NumHiddenLayers)
	for i := range m.layers {
		ly := &m.layers[i]
		ly.qkvW = s.matrix(3) // query, key and value as one [3h, h] product
		ly.qkvB = vecs(s, 3)
		ly.attnW, ly.attnB = s.matrix(1), s.vec()
		ly.attnLN = layerNorm{gamma: s.vec(), beta: s.vec()}
		ly.ffnW1, ly.ffnB1 = s.matrix(1), s.vec()
		ly.ffnW2, ly.ffnB2 = s.matrix(1), s.vec()
		ly.ffnLN = layerNorm{gamma: s.vec(), beta: s.vec()}
	}
}

// loader reads tensors in order from a weights file, keeping the first
// error.
type loader struct {
	cursor
	ctx context.Context
	r   *weightReader
	tmp []float32 // matrices before packing
	err error
}

// read reads the named tensor into dst unless an error came before;
// cancelling l.ctx stops it.
func (l *loader) read(name string, dst []float32) {
	if l.err == nil {
		l.err = l.ctx.Err()
	}
	if l.err == nil {
		l.err = l.r.read(name, dst)
	}
}

// vec reads the next tensor into the arena.
func (l *loader) vec() []float32 {
	s, dst := l.cursor.vec()
	l.read(s.name, dst)
	return dst
}

// matrix reads the next k matrices of the same width, stacks them and
// prepares the result for the kernels.
func (l *loader) matrix(k int) kernels.Weights {
	specs := l.specs[:k]
	rows, cols := l.matrices(k)
	l.tmp = grow(l.tmp, rows*cols)
	off := 0
	for _, s := range specs {
		n := prod(s.shape)
		l.read(s.name, l.tmp[off:off+n])
		off += n
	}
	return kernels.PackB(l.tmp, rows, cols)
}

// loadWeights reads the parameters of m, whose configuration is set.
func loadWeights(ctx context.Context, m *Model, r *weightReader, lim *Limits) error {
	all := specs(&m.cfg)
	arena, err := r.checkAll(all, lim)
	if err != nil {
		return err
	}
	m.arena = make([]float32, arena)
	l := &loader{ctx: ctx, r: r, cursor: cursor{specs: all, arena: m.arena}}
	assemble(m, l)
	return l.err
}

// checkAll checks every tensor of specs before anything is allocated, so
// that a file that does not match its config.json fails fast and without
// large allocations: each must exist with its shape and a float dtype, the
// tensors must fit Limits.MaxWeightBytes and occupy distinct bytes of the
// file, so that they never claim more memory than the file has bytes
// (twice that for half precision). It returns the length of the arena of
// vectors and embeddings.
func (r *weightReader) checkAll(specs []tensorSpec, lim *Limits) (arena int, err error) {
	type span struct {
		off, n int64
		name   string
	}
	spans := make([]span, 0, len(specs))
	var total int64
	for _, s := range specs {
		if err := r.check(s.name, s.shape...); err != nil {
			return 0, err
		}
		n := prod(s.shape)
		if isVec(s) {
			arena += n
		}
		if total += 4 * int64(n); total > lim.MaxWeightBytes {
			return 0, fmt.Errorf("sbert: load %s: %w: the parameters up to %s take more than Limits.MaxWeightBytes = %d bytes", r.path, ErrTooLarge, s.name, lim.MaxWeightBytes)
		}
		full, _ := r.resolve(s.name)
		off, size := r.f.Span(full)
		spans = append(spans, span{off, size, full})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.off, b.off) })
	for i := 1; i < len(spans); i++ {
		if a, b := spans[i-1], spans[i]; a.off+a.n > b.off && b.n > 0 {
			return 0, fmt.Errorf("sbert: load %s: %w: tensors %s and %s share bytes of the file", r.path, ErrCorrupt, a.name, b.name)
		}
	}
	return arena, nil
}

func prod(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
