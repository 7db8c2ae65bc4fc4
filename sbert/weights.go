package sbert

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/jobmatch/jobmatch/sbert/internal/safetensors"
	"github.com/jobmatch/jobmatch/sbert/internal/torchzip"
)

// tensorFile is what Load needs from a weights file.
type tensorFile interface {
	Info(name string) (dtype string, shape []int, ok bool)
	ReadFloat32(name string, dst []float32) error
	Close() error
}

// openWeights opens model.safetensors in dir, or pytorch_model.bin when
// there is no safetensors file, as Hugging Face transformers does.
func openWeights(dir string) (tensorFile, string, error) {
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
		return nil, st, fmt.Errorf("sbert: load %s: %w (nor pytorch_model.bin)", st, ErrMissingFile)
	}
	tf, err := torchzip.Open(bin)
	if err != nil {
		return nil, bin, classify(bin, err)
	}
	return tf, bin, nil
}

// classify wraps an error of the weights readers with the sentinel of this
// package that matches it.
func classify(path string, err error) error {
	switch {
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
		if base, ok := cutSuffix(full, new); ok {
			if _, _, ok := r.f.Info(base + old); ok {
				return base + old, true
			}
		}
	}
	return "", false
}

func cutSuffix(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
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

// tensorSpec names one tensor of the model, its shape and where it goes.
type tensorSpec struct {
	name  string
	shape []int
	dst   []float32
}

// loadWeights allocates the parameters of m for cfg and reads them.
func loadWeights(m *Model, r *weightReader) error {
	c := &m.cfg
	h, in := c.HiddenSize, c.IntermediateSize
	specs := []tensorSpec{
		{"embeddings.word_embeddings.weight", []int{c.VocabSize, h}, nil},
		{"embeddings.position_embeddings.weight", []int{c.MaxPositionEmbeddings, h}, nil},
		{"embeddings.token_type_embeddings.weight", []int{c.TypeVocabSize, h}, nil},
		{"embeddings.LayerNorm.weight", []int{h}, nil},
		{"embeddings.LayerNorm.bias", []int{h}, nil},
	}
	for i := range c.NumHiddenLayers {
		p := fmt.Sprintf("encoder.layer.%d.", i)
		specs = append(specs,
			tensorSpec{p + "attention.self.query.weight", []int{h, h}, nil},
			tensorSpec{p + "attention.self.key.weight", []int{h, h}, nil},
			tensorSpec{p + "attention.self.value.weight", []int{h, h}, nil},
			tensorSpec{p + "attention.self.query.bias", []int{h}, nil},
			tensorSpec{p + "attention.self.key.bias", []int{h}, nil},
			tensorSpec{p + "attention.self.value.bias", []int{h}, nil},
			tensorSpec{p + "attention.output.dense.weight", []int{h, h}, nil},
			tensorSpec{p + "attention.output.dense.bias", []int{h}, nil},
			tensorSpec{p + "attention.output.LayerNorm.weight", []int{h}, nil},
			tensorSpec{p + "attention.output.LayerNorm.bias", []int{h}, nil},
			tensorSpec{p + "intermediate.dense.weight", []int{in, h}, nil},
			tensorSpec{p + "intermediate.dense.bias", []int{in}, nil},
			tensorSpec{p + "output.dense.weight", []int{h, in}, nil},
			tensorSpec{p + "output.dense.bias", []int{h}, nil},
			tensorSpec{p + "output.LayerNorm.weight", []int{h}, nil},
			tensorSpec{p + "output.LayerNorm.bias", []int{h}, nil},
		)
	}
	// Check every tensor before allocating, so that a file that does not
	// match its config.json fails fast and without large allocations.
	total := 0
	for _, s := range specs {
		if err := r.check(s.name, s.shape...); err != nil {
			return err
		}
		total += prod(s.shape)
	}
	// One allocation for all parameters, in the order of specs: q, k and v
	// of a layer are adjacent, so they form one fused [3h, h] matrix and one
	// [3h] bias (see joined).
	buf := make([]float32, total)
	for i := range specs {
		n := prod(specs[i].shape)
		specs[i].dst, buf = buf[:n], buf[n:]
	}
	for _, s := range specs {
		if err := r.read(s.name, s.dst); err != nil {
			return err
		}
	}
	m.wordEmb, m.posEmb, m.typeEmb = specs[0].dst, specs[1].dst, specs[2].dst
	m.embLN = layerNorm{gamma: specs[3].dst, beta: specs[4].dst}
	m.layers = make([]layer, c.NumHiddenLayers)
	for i := range m.layers {
		s := specs[5+16*i:]
		m.layers[i] = layer{
			qkvW:   joined(s[0].dst, s[1].dst, s[2].dst),
			qkvB:   joined(s[3].dst, s[4].dst, s[5].dst),
			attnW:  s[6].dst,
			attnB:  s[7].dst,
			attnLN: layerNorm{gamma: s[8].dst, beta: s[9].dst},
			ffnW1:  s[10].dst,
			ffnB1:  s[11].dst,
			ffnW2:  s[12].dst,
			ffnB2:  s[13].dst,
			ffnLN:  layerNorm{gamma: s[14].dst, beta: s[15].dst},
		}
	}
	return nil
}

func prod(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// joined returns the slice that spans parts, which must be adjacent slices
// cut in order from one buffer and keep its capacity.
func joined(parts ...[]float32) []float32 {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	return parts[0][:n:n]
}
