package sbert

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
)

// FuzzConfig feeds arbitrary modules.json, config.json, Pooling config and
// sentence_bert_config.json to readLayout, from memory so that an
// iteration costs microseconds: it must return an error or a layout that
// Load can trust (sizes in range, the Transformer inside the directory).
func FuzzConfig(f *testing.F) {
	// Short seeds: the fuzzer minimizes every new input it keeps, with a
	// number of runs that grows with the square of its length.
	const st = "sentence_transformers.models."
	modules := `[{"type":"` + st + `Transformer"},{"path":"1_Pooling","type":"` + st + `Pooling"},{"type":"` + st + `Normalize"}]`
	config := `{"model_type":"bert","hidden_act":"gelu","hidden_size":32,"num_hidden_layers":2,"num_attention_heads":4,` +
		`"intermediate_size":64,"layer_norm_eps":1e-12,"max_position_embeddings":64,"type_vocab_size":2,"vocab_size":320}`
	pooling := `{"word_embedding_dimension":32,"pooling_mode_mean_tokens":true}`
	f.Add(modules, config, pooling, `{"max_seq_length":32}`)
	f.Add(modules[:strings.LastIndex(modules, ",")]+"]", strings.Replace(config, `"num_hidden_layers":2`, `"num_hidden_layers":3`, 1), `{"word_embedding_dimension":32,"pooling_mode_cls_token":true}`, "")
	f.Add(`[{"path":"../x","type":"`+st+`Transformer"},{"type":"`+st+`Pooling"}]`, config, pooling, `{"max_seq_length":65}`)
	lim := DefaultLimits.withDefaults()
	lim.MaxConfigBytes = 1024
	f.Fuzz(func(t *testing.T, modules, config, pooling, stConfig string) {
		files := map[string]string{"modules.json": modules, "config.json": config, "1_Pooling/config.json": pooling, "sentence_bert_config.json": stConfig}
		l, err := readLayout(modelfile.MapReader("m", files), "m", &lim)
		if err != nil {
			return
		}
		c := &l.cfg
		if rel, err := filepath.Rel("m", l.transformerDir); err != nil || !filepath.IsLocal(rel) && rel != "." {
			t.Fatalf("Transformer directory %q outside the model", l.transformerDir)
		}
		if c.HiddenSize <= 0 || c.NumAttentionHeads <= 0 || c.HiddenSize%c.NumAttentionHeads != 0 || c.VocabSize > lim.MaxVocab ||
			c.NumHiddenLayers <= 0 || c.IntermediateSize <= 0 || c.TypeVocabSize <= 0 || c.MaxPositionEmbeddings <= 0 {
			t.Fatalf("accepted %+v", *c)
		}
		if l.maxSeqLen < 0 || l.maxSeqLen > c.MaxPositionEmbeddings || l.pooling.modes() == 0 || l.pooling.Dimension != c.HiddenSize {
			t.Fatalf("accepted max_seq_length %d, pooling %+v for %+v", l.maxSeqLen, l.pooling, *c)
		}
	})
}
