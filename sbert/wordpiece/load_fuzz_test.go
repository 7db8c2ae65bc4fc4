package wordpiece

import (
	"testing"

	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
)

// FuzzLoad feeds arbitrary tokenizer files to the loader, from memory so
// that an iteration costs microseconds: it must return an error or a
// tokenizer within its limits that encodes text to ids in range.
func FuzzLoad(f *testing.F) {
	vocab := "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nda\n##ta\n##a\na\n,\ncafe\n東\n"
	f.Add(vocab,
		`{"added_tokens":[{"content":"[CLS]"},{"content":"[SEP]"}],"normalizer":{"type":"BertNormalizer","clean_text":true},`+
			`"pre_tokenizer":{"type":"BertPreTokenizer"},"model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":5}}`,
		`{"do_lower_case":true,"strip_accents":null,"model_max_length":512,"unk_token":{"content":"[UNK]"}}`,
		`{"cls_token":"[CLS]","sep_token":"[SEP]"}`,
		`{"max_seq_length":8}`)
	f.Add("[UNK]\r\n[CLS]\r\n[SEP]\r\n[PAD]\r\nx", "", `{"do_lower_case":false,"tokenize_chinese_chars":false}`, "", "")
	f.Add("[UNK]\n[CLS]\n[SEP]\n[PAD]", `{"added_tokens":null,"model":{"type":"BPE"}}`, "", "", `{"do_lower_case":true}`)
	lim := Limits{MaxConfigBytes: 512, MaxTokenizerBytes: 1024, MaxVocab: 64, MaxAddedTokens: 8}
	f.Fuzz(func(t *testing.T, vocab, tokJSON, tokConfig, specials, sbConfig string) {
		files := map[string]string{"vocab.txt": vocab, "tokenizer.json": tokJSON, "tokenizer_config.json": tokConfig,
			"special_tokens_map.json": specials, "sentence_bert_config.json": sbConfig}
		l := &loader{dir: "m", lim: lim.WithDefaults(), read: modelfile.MapReader("m", files)}
		tok, err := l.load()
		if err != nil {
			return
		}
		if tok.VocabSize() > lim.MaxVocab || len(tok.specials) > lim.MaxAddedTokens+5 {
			t.Fatalf("loaded %d tokens and %d specials, beyond %+v", tok.VocabSize(), len(tok.specials), lim)
		}
		for _, text := range []string{"The data, café 東京 [CLS] aaaaaaa", vocab} {
			for _, id := range tok.Encode(text) {
				if id < 0 || int(id) >= tok.VocabSize() {
					t.Fatalf("Encode(%q) has id %d out of [0, %d)", text, id, tok.VocabSize())
				}
			}
		}
	})
}
