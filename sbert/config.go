package sbert

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
)

// Sentinel errors wrapped by the errors of [Load]; test them with errors.Is.
var (
	// ErrMissingFile reports a file of the model directory that is absent,
	// or a tensor that is absent from the weights file.
	ErrMissingFile = errors.New("missing model file or tensor")
	// ErrUnsupported reports a model that is valid but that this package
	// does not implement (architecture, activation, module, pooling, dtype).
	ErrUnsupported = errors.New("unsupported model")
	// ErrCorrupt reports a file that cannot be parsed or whose contents
	// contradict the configuration (truncated data, wrong shapes).
	ErrCorrupt = errors.New("corrupt model file")
)

// bertConfig is the part of a Hugging Face config.json that the forward pass
// depends on.
type bertConfig struct {
	ModelType             string  `json:"model_type"`
	HiddenSize            int     `json:"hidden_size"`
	NumHiddenLayers       int     `json:"num_hidden_layers"`
	NumAttentionHeads     int     `json:"num_attention_heads"`
	IntermediateSize      int     `json:"intermediate_size"`
	HiddenAct             string  `json:"hidden_act"`
	LayerNormEps          float64 `json:"layer_norm_eps"`
	MaxPositionEmbeddings int     `json:"max_position_embeddings"`
	TypeVocabSize         int     `json:"type_vocab_size"`
	VocabSize             int     `json:"vocab_size"`
	PositionEmbeddingType string  `json:"position_embedding_type"`
}

// Bounds on the configuration, far above any BERT-family sentence encoder,
// that reject absurd values early; the memory that the sizes imply is
// bounded by the weights file and Limits.MaxWeightBytes.
const (
	maxHidden = 1 << 14
	maxLayers = 256
	maxPos    = 1 << 16
)

func (c *bertConfig) validate(lim *Limits) error {
	if c.ModelType != "bert" {
		return fmt.Errorf("%w: model_type %q (want \"bert\")", ErrUnsupported, c.ModelType)
	}
	if c.HiddenAct != "gelu" {
		return fmt.Errorf("%w: hidden_act %q (only the exact erf \"gelu\" is implemented)", ErrUnsupported, c.HiddenAct)
	}
	if c.PositionEmbeddingType != "" && c.PositionEmbeddingType != "absolute" {
		return fmt.Errorf("%w: position_embedding_type %q (want \"absolute\")", ErrUnsupported, c.PositionEmbeddingType)
	}
	for _, f := range []struct {
		name   string
		v, max int
	}{
		{"hidden_size", c.HiddenSize, maxHidden},
		{"num_hidden_layers", c.NumHiddenLayers, maxLayers},
		{"num_attention_heads", c.NumAttentionHeads, maxHidden},
		{"intermediate_size", c.IntermediateSize, 8 * maxHidden},
		{"max_position_embeddings", c.MaxPositionEmbeddings, maxPos},
		{"type_vocab_size", c.TypeVocabSize, maxPos},
	} {
		if f.v <= 0 || f.v > f.max {
			return fmt.Errorf("%w: %s = %d out of range [1, %d]", ErrCorrupt, f.name, f.v, f.max)
		}
	}
	if c.VocabSize <= 0 {
		return fmt.Errorf("%w: vocab_size = %d", ErrCorrupt, c.VocabSize)
	}
	if c.VocabSize > lim.MaxVocab {
		return fmt.Errorf("%w: vocab_size = %d, more than Limits.MaxVocab = %d", ErrTooLarge, c.VocabSize, lim.MaxVocab)
	}
	if c.HiddenSize%c.NumAttentionHeads != 0 {
		return fmt.Errorf("%w: hidden_size %d is not a multiple of num_attention_heads %d", ErrCorrupt, c.HiddenSize, c.NumAttentionHeads)
	}
	if !(c.LayerNormEps > 0 && c.LayerNormEps < 1) {
		return fmt.Errorf("%w: layer_norm_eps %g out of range (0, 1)", ErrCorrupt, c.LayerNormEps)
	}
	return nil
}

// module is one entry of modules.json.
type module struct {
	Idx  int    `json:"idx"`
	Name string `json:"name"`
	Path string `json:"path"`
	Type string `json:"type"`
}

const (
	stTransformer = "sentence_transformers.models.Transformer"
	stPooling     = "sentence_transformers.models.Pooling"
	stNormalize   = "sentence_transformers.models.Normalize"
)

// poolingConfig is 1_Pooling/config.json.
type poolingConfig struct {
	Dimension     int   `json:"word_embedding_dimension"`
	CLS           bool  `json:"pooling_mode_cls_token"`
	Mean          bool  `json:"pooling_mode_mean_tokens"`
	Max           bool  `json:"pooling_mode_max_tokens"`
	MeanSqrtLen   bool  `json:"pooling_mode_mean_sqrt_len_tokens"`
	WeightedMean  bool  `json:"pooling_mode_weightedmean_tokens"`
	LastToken     bool  `json:"pooling_mode_lasttoken"`
	IncludePrompt *bool `json:"include_prompt"`
}

// modes returns the number of concatenated pooling outputs.
func (p *poolingConfig) modes() int {
	n := 0
	for _, b := range []bool{p.CLS, p.Mean, p.Max, p.MeanSqrtLen} {
		if b {
			n++
		}
	}
	return n
}

func (p *poolingConfig) validate(hidden int) error {
	if p.WeightedMean || p.LastToken {
		return fmt.Errorf("%w: weighted-mean and last-token pooling are not implemented", ErrUnsupported)
	}
	if p.IncludePrompt != nil && !*p.IncludePrompt {
		return fmt.Errorf("%w: include_prompt false is not implemented", ErrUnsupported)
	}
	if p.modes() == 0 {
		return fmt.Errorf("%w: no pooling mode enabled", ErrCorrupt)
	}
	if p.Dimension != hidden {
		return fmt.Errorf("%w: word_embedding_dimension %d differs from hidden_size %d", ErrCorrupt, p.Dimension, hidden)
	}
	return nil
}

// stConfig is sentence_bert_config.json.
type stConfig struct {
	MaxSeqLength int `json:"max_seq_length"`
}

// readFunc reads a whole file of at most max bytes: modelfile.ReadFile, or
// a map in tests.
type readFunc func(path string, max int64) ([]byte, error)

// readJSON decodes the JSON file at path, of at most max bytes, into v,
// classifying errors.
func readJSON(read readFunc, path string, max int64, v any) error {
	b, err := read(path, max)
	if err != nil {
		return classify(path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("sbert: load %s: %w: %w", path, ErrCorrupt, err)
	}
	return nil
}

// layout is what Load learns from the JSON files of a model directory.
type layout struct {
	transformerDir string
	cfg            bertConfig
	pooling        poolingConfig
	normalize      bool
	maxSeqLen      int // 0 when sentence_bert_config.json is absent
}

func readLayout(read readFunc, dir string, lim *Limits) (*layout, error) {
	modPath := filepath.Join(dir, "modules.json")
	b, err := read(modPath, lim.MaxConfigBytes)
	if err != nil {
		return nil, classify(modPath, err)
	}
	mods, err := modelfile.DecodeArray[module](b, 3)
	switch {
	case errors.Is(err, ErrTooLarge):
		return nil, fmt.Errorf("sbert: load %s: %w: more than 3 modules (want Transformer, Pooling and optionally Normalize)", modPath, ErrUnsupported)
	case err != nil:
		return nil, fmt.Errorf("sbert: load %s: %w: %w", modPath, ErrCorrupt, err)
	}
	l := &layout{}
	switch {
	case len(mods) == 2 && mods[0].Type == stTransformer && mods[1].Type == stPooling:
	case len(mods) == 3 && mods[0].Type == stTransformer && mods[1].Type == stPooling && mods[2].Type == stNormalize:
		// Normalize has no parameters, so its folder may be absent.
		l.normalize = true
	default:
		types := make([]string, len(mods))
		for i, m := range mods {
			types[i] = m.Type
		}
		return nil, fmt.Errorf("sbert: load %s: %w: modules %v (want Transformer, Pooling and optionally Normalize)", modPath, ErrUnsupported, types)
	}
	for _, m := range mods[:2] {
		if m.Path != "" && !filepath.IsLocal(m.Path) {
			return nil, fmt.Errorf("sbert: load %s: %w: module path %q leaves the model directory", modPath, ErrCorrupt, m.Path)
		}
	}
	l.transformerDir = filepath.Join(dir, mods[0].Path)

	cfgPath := filepath.Join(l.transformerDir, "config.json")
	if err := readJSON(read, cfgPath, lim.MaxConfigBytes, &l.cfg); err != nil {
		return nil, err
	}
	if err := l.cfg.validate(lim); err != nil {
		return nil, fmt.Errorf("sbert: load %s: %w", cfgPath, err)
	}

	poolPath := filepath.Join(dir, mods[1].Path, "config.json")
	if err := readJSON(read, poolPath, lim.MaxConfigBytes, &l.pooling); err != nil {
		return nil, err
	}
	if err := l.pooling.validate(l.cfg.HiddenSize); err != nil {
		return nil, fmt.Errorf("sbert: load %s: %w", poolPath, err)
	}

	stPath := filepath.Join(l.transformerDir, "sentence_bert_config.json")
	var st stConfig
	switch err := readJSON(read, stPath, lim.MaxConfigBytes, &st); {
	case errors.Is(err, ErrMissingFile):
	case err != nil:
		return nil, err
	case st.MaxSeqLength <= 0 || st.MaxSeqLength > l.cfg.MaxPositionEmbeddings:
		return nil, fmt.Errorf("sbert: load %s: %w: max_seq_length %d out of range [1, %d]", stPath, ErrCorrupt, st.MaxSeqLength, l.cfg.MaxPositionEmbeddings)
	default:
		l.maxSeqLen = st.MaxSeqLength
	}
	return l, nil
}
