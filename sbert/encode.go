package sbert

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
	"github.com/jobmatch/jobmatch/sbert/wordpiece"
)

// Load reads the sentence-transformers model in dir: modules.json, the
// Transformer module's config.json, sentence_bert_config.json, vocabulary
// and weights (model.safetensors, or pytorch_model.bin when there is no
// safetensors file), and the Pooling module's config.json. Weights may be
// stored as F32, F16 or BF16 and are converted to float32. When dir holds
// the pack file of this process (PackFileName, see [WritePacked]) and it
// matches the model, Load maps it instead of reading the weights file;
// [Model.LoadedFrom] says which file it used.
//
// Errors name the offending file and tensor and wrap [ErrMissingFile],
// [ErrUnsupported], [ErrCorrupt] or [ErrTooLarge] when one of them applies.
// The files may come from anyone: what Load reads and allocates is bounded
// by [Limits] (see [WithLimits]), and cancelling ctx stops it between
// files and tensors.
func Load(ctx context.Context, dir string, opts ...Option) (*Model, error) {
	o := newOptions(opts)
	prefetch(dir, o)
	l, config, err := readModelLayout(dir, &o.limits)
	if err != nil {
		return nil, err
	}
	// The tokenizer loads on another core meanwhile: with a pack file,
	// it takes about as long as the weights.
	type loaded struct {
		tok *wordpiece.Tokenizer
		err error
	}
	tc := make(chan loaded, 1)
	go func() {
		tok, err := loadTokenizer(l.transformerDir, &o.limits)
		tc <- loaded{tok, err}
	}()
	m, err := loadModel(ctx, dir, l, config, o)
	t := <-tc
	if err != nil {
		return nil, err
	}
	if t.err != nil {
		return nil, t.err
	}
	tok, tdir := t.tok, l.transformerDir
	if tok.VocabSize() > m.cfg.VocabSize {
		return nil, fmt.Errorf("sbert: load %s: %w: the vocabulary has %d tokens, the model embeds %d", tdir, ErrCorrupt, tok.VocabSize(), m.cfg.VocabSize)
	}
	if n := tok.MaxLen(); n == 0 || n > m.cfg.MaxPositionEmbeddings {
		return nil, fmt.Errorf("sbert: load %s: %w: the tokenizer truncates to %d tokens (0: never), the model embeds positions up to %d", tdir, ErrCorrupt, n, m.cfg.MaxPositionEmbeddings)
	}
	m.tok = tok
	m.maxSeqLen = tok.MaxLen()
	m.batchTok = max(m.batchTok, m.maxSeqLen)
	if m.int8 && m.pack == nil {
		m.quantize()
	}
	return m, nil
}

// prefetch starts reading the files that Load reads in the usual layout
// of a model directory, all at once, in the background: from a cold page
// cache, reading a dozen small files one after the other would wait for
// the disk a dozen times.
func prefetch(dir string, o *options) {
	var spans []modelfile.Span
	for _, name := range []string{"modules.json", "config.json", "sentence_bert_config.json", "1_Pooling/config.json",
		"vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"} {
		spans = append(spans, modelfile.Span{Path: filepath.Join(dir, name)})
	}
	// The weights file's ends, which identify it to a pack file; the pack
	// file's header (its data is prefetched once known, see packGuard).
	weights := filepath.Join(dir, "model.safetensors")
	spans = append(spans, modelfile.Span{Path: weights, Len: fingerprintBytes}, modelfile.Span{Path: weights, Off: -fingerprintBytes, Len: fingerprintBytes})
	if !o.noPacked {
		pack := o.packed
		if pack == "" {
			pack = filepath.Join(dir, PackFileName(PackTarget{}, o.int8))
		}
		spans = append(spans, modelfile.Span{Path: pack, Len: 64 << 10})
	}
	modelfile.Prefetch(spans...)
}

// loadTokenizer loads the tokenizer files in dir, classifying errors.
func loadTokenizer(dir string, lim *Limits) (*wordpiece.Tokenizer, error) {
	tok, err := wordpiece.LoadLimits(dir, lim.Limits)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("sbert: %w: %w", ErrMissingFile, err)
	case errors.Is(err, wordpiece.ErrUnsupported):
		return nil, fmt.Errorf("sbert: %w: %w", ErrUnsupported, err)
	case errors.Is(err, ErrTooLarge):
		return nil, fmt.Errorf("sbert: %w", err)
	case err != nil:
		return nil, fmt.Errorf("sbert: %w: %w", ErrCorrupt, err)
	}
	return tok, nil
}

// Tokenizer returns the tokenizer of the model.
func (m *Model) Tokenizer() *wordpiece.Tokenizer { return m.tok }

// Encode returns the embedding of text, of length [Model.Dim]. Text longer
// than [Model.MaxSeqLen] tokens is truncated, as sentence-transformers does;
// the empty text is valid ([CLS] [SEP]).
func (m *Model) Encode(ctx context.Context, text string) ([]float32, error) {
	out := make([]float32, m.Dim())
	ids := m.getIDs()
	defer m.putIDs(ids)
	*ids = m.tok.AppendEncode((*ids)[:0], text)
	seqs, outs := [1][]int32{*ids}, [1][]float32{out}
	if err := m.embedIDs(ctx, seqs[:], outs[:]); err != nil {
		return nil, err
	}
	return out, nil
}

// EncodeBatch returns the embeddings of texts, in order (an empty slice for
// no texts). The embedding of a text is the same, bit for bit, whatever the
// other texts of the batch: each is computed over its own tokens only,
// never over padding. Cancelling ctx stops the work between layers.
func (m *Model) EncodeBatch(ctx context.Context, texts []string) ([][]float32, error) {
	ids := m.getIDs()
	defer m.putIDs(ids)
	flat := (*ids)[:0]
	ends := make([]int, len(texts))
	for i, text := range texts {
		flat = m.tok.AppendEncode(flat, text)
		ends[i] = len(flat)
	}
	*ids = flat
	seqs := make([][]int32, len(texts))
	start := 0
	for i, end := range ends {
		seqs[i], start = flat[start:end:end], end
	}
	dim := m.Dim()
	buf := make([]float32, len(texts)*dim)
	out := make([][]float32, len(texts))
	for i := range out {
		out[i] = buf[i*dim : (i+1)*dim : (i+1)*dim]
	}
	if err := m.embedIDs(ctx, seqs, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (m *Model) getIDs() *[]int32 {
	if p, ok := m.ids.Get().(*[]int32); ok {
		return p
	}
	return new([]int32)
}

func (m *Model) putIDs(p *[]int32) { m.ids.Put(p) }
