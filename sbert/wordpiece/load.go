package wordpiece

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/jobmatch/jobmatch/sbert/internal/modelfile"
)

// Load reads the tokenizer of a sentence-transformers model directory the
// way sentence-transformers and BertTokenizerFast do:
//
//   - vocab.txt: the vocabulary (required);
//   - tokenizer_config.json: do_lower_case (default true), strip_accents
//     (default null), tokenize_chinese_chars (default true), the special
//     tokens and model_max_length; transformers lets these override the
//     normalizer saved in tokenizer.json;
//   - special_tokens_map.json: special tokens, overriding the above;
//   - tokenizer.json: clean_text, the added tokens matched before
//     normalization, the continuation prefix and max_input_chars_per_word;
//     an error wrapping [ErrUnsupported] if it asks for a normalizer,
//     pre-tokenizer or model other than BERT's WordPiece, or for words of
//     more than 1000 characters;
//   - sentence_bert_config.json: max_seq_length, which overrides
//     model_max_length as the truncation length.
//
// Only vocab.txt must exist. Load applies the default [Limits]; see
// [LoadLimits]. The truncation and padding sections of
// tokenizer.json (max_length 128 in all-MiniLM-L6-v2) are ignored, as
// sentence-transformers overrides them on every call.
func Load(dir string) (*Tokenizer, error) { return LoadLimits(dir, Limits{}) }

// ErrTooLarge is wrapped by the errors of [LoadLimits] for a file, or a
// count in one, beyond its [Limits].
var ErrTooLarge = modelfile.ErrTooLarge

// Limits bounds what [LoadLimits] reads from a tokenizer directory, which
// may come from anyone, so that it allocates about the size of the files
// plus small constants. Only regular files are read (or symbolic links to
// them), never a FIFO or a device. A zero field takes its value in
// [DefaultLimits].
type Limits struct {
	// MaxConfigBytes bounds each small JSON file: tokenizer_config.json,
	// special_tokens_map.json and sentence_bert_config.json.
	MaxConfigBytes int64
	// MaxTokenizerBytes bounds vocab.txt and tokenizer.json.
	MaxTokenizerBytes int64
	// MaxVocab bounds the lines of vocab.txt.
	MaxVocab int
	// MaxAddedTokens bounds the added tokens of tokenizer.json, which
	// Encode tries at every position of a text that starts like one of
	// them.
	MaxAddedTokens int
}

// DefaultLimits are the limits of [Load]. They hold several times the
// largest BERT tokenizers: multilingual ones have 250,000 tokens and a
// tokenizer.json of 17 MB, BERT's has 5 added tokens.
var DefaultLimits = Limits{
	MaxConfigBytes:    1 << 20,
	MaxTokenizerBytes: 64 << 20,
	MaxVocab:          1 << 20,
	MaxAddedTokens:    1024,
}

// WithDefaults returns l with its zero fields set from [DefaultLimits].
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	modelfile.Default(&l.MaxConfigBytes, d.MaxConfigBytes)
	modelfile.Default(&l.MaxTokenizerBytes, d.MaxTokenizerBytes)
	modelfile.Default(&l.MaxVocab, d.MaxVocab)
	modelfile.Default(&l.MaxAddedTokens, d.MaxAddedTokens)
	return l
}

// LoadLimits is [Load] within lim: exceeding one is an error wrapping
// [ErrTooLarge].
func LoadLimits(dir string, lim Limits) (*Tokenizer, error) {
	l := &loader{dir: dir, lim: lim.WithDefaults(), read: modelfile.ReadFile}
	return l.load()
}

// loader reads the files of a tokenizer directory through read, which
// tests replace to read from memory.
type loader struct {
	dir  string
	lim  Limits
	read func(path string, max int64) ([]byte, error)
}

func (l *loader) load() (*Tokenizer, error) {
	dir, lim := l.dir, &l.lim
	path := filepath.Join(dir, "vocab.txt")
	vocab, err := l.readVocab(path)
	if err != nil {
		return nil, fmt.Errorf("wordpiece: load %s: %w", path, err)
	}
	cfg := Config{LowerCase: true, TokenizeCJK: true}

	var tc struct {
		DoLowerCase          *bool           `json:"do_lower_case"`
		StripAccents         *bool           `json:"strip_accents"`
		TokenizeChineseChars *bool           `json:"tokenize_chinese_chars"`
		ModelMaxLength       *float64        `json:"model_max_length"`
		UNK                  json.RawMessage `json:"unk_token"`
		CLS                  json.RawMessage `json:"cls_token"`
		SEP                  json.RawMessage `json:"sep_token"`
		PAD                  json.RawMessage `json:"pad_token"`
	}
	if err := l.readJSON("tokenizer_config.json", lim.MaxConfigBytes, &tc); err != nil {
		return nil, err
	}
	if tc.DoLowerCase != nil {
		cfg.LowerCase = *tc.DoLowerCase
	}
	cfg.StripAccents = tc.StripAccents
	if tc.TokenizeChineseChars != nil {
		cfg.TokenizeCJK = *tc.TokenizeChineseChars
	}
	// transformers uses a huge number for "no limit".
	if m := tc.ModelMaxLength; m != nil && *m >= 2 && *m <= 1<<24 {
		cfg.MaxLen = int(*m)
	}
	var sm struct {
		UNK json.RawMessage `json:"unk_token"`
		CLS json.RawMessage `json:"cls_token"`
		SEP json.RawMessage `json:"sep_token"`
		PAD json.RawMessage `json:"pad_token"`
	}
	if err := l.readJSON("special_tokens_map.json", lim.MaxConfigBytes, &sm); err != nil {
		return nil, err
	}
	for _, s := range []struct {
		dst            *string
		config, tokmap json.RawMessage
	}{
		{&cfg.UNK, tc.UNK, sm.UNK},
		{&cfg.CLS, tc.CLS, sm.CLS},
		{&cfg.SEP, tc.SEP, sm.SEP},
		{&cfg.PAD, tc.PAD, sm.PAD},
	} {
		for _, raw := range []json.RawMessage{s.config, s.tokmap} {
			if tok := tokenContent(raw); tok != "" {
				*s.dst = tok
			}
		}
	}

	if err := l.tokenizerJSON(&cfg); err != nil {
		return nil, err
	}

	var sb struct {
		MaxSeqLength *int `json:"max_seq_length"`
		DoLowerCase  bool `json:"do_lower_case"`
	}
	if err := l.readJSON("sentence_bert_config.json", lim.MaxConfigBytes, &sb); err != nil {
		return nil, err
	}
	if sb.MaxSeqLength != nil {
		cfg.MaxLen = *sb.MaxSeqLength
	}
	if sb.DoLowerCase {
		// sentence-transformers would apply Python's str.lower first.
		return nil, fmt.Errorf("wordpiece: load %s: sentence_bert_config.json do_lower_case=true: %w", dir, ErrUnsupported)
	}
	t, err := New(vocab, cfg)
	if err != nil {
		return nil, fmt.Errorf("wordpiece: load %s: %w", dir, err)
	}
	return t, nil
}

// maxWordCharsLimit bounds max_input_chars_per_word, 100 in BERT.
const maxWordCharsLimit = 1000

// tokenizerJSON applies the parts of tokenizer.json that transformers
// does not override from tokenizer_config.json.
func (l *loader) tokenizerJSON(cfg *Config) error {
	dir, lim := l.dir, &l.lim
	var tj tokenizerFile
	path := filepath.Join(dir, "tokenizer.json")
	data, err := l.read(path, lim.MaxTokenizerBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil {
		err = tj.decode(data)
	}
	if err != nil {
		return fmt.Errorf("wordpiece: load %s: %w", path, err)
	}
	unsupported := func(what string) error {
		return fmt.Errorf("wordpiece: load %s: tokenizer.json %s: %w", path, what, ErrUnsupported)
	}
	if n := tj.Normalizer; n != nil {
		if n.Type != "BertNormalizer" {
			return unsupported("normalizer " + n.Type)
		}
		if n.CleanText != nil {
			cfg.NoCleanText = !*n.CleanText
		}
	}
	if p := tj.PreTokenizer; p != nil && p.Type != "BertPreTokenizer" {
		return unsupported("pre_tokenizer " + p.Type)
	}
	if m := tj.Model; m != nil {
		if m.Type != "WordPiece" {
			return unsupported("model " + m.Type)
		}
		if m.UNK != "" {
			cfg.UNK = m.UNK
		}
		cfg.Prefix = m.Prefix
		// A word costs Encode up to its length squared times the longest
		// token: an unbounded setting lets a hostile vocabulary stall it.
		if m.MaxInputCharsPerWord > maxWordCharsLimit {
			return unsupported(fmt.Sprintf("max_input_chars_per_word %d (at most %d)", m.MaxInputCharsPerWord, maxWordCharsLimit))
		}
		cfg.MaxWordChars = m.MaxInputCharsPerWord
	}
	added, err := modelfile.DecodeArray[struct {
		Content    string `json:"content"`
		SingleWord bool   `json:"single_word"`
		LStrip     bool   `json:"lstrip"`
		RStrip     bool   `json:"rstrip"`
		Normalized bool   `json:"normalized"`
	}](tj.AddedTokens, lim.MaxAddedTokens)
	if err != nil {
		return fmt.Errorf("wordpiece: load %s: added_tokens: %w", path, err)
	}
	cfg.Specials = []string{}
	for _, a := range added {
		if a.SingleWord || a.LStrip || a.RStrip || a.Normalized {
			return unsupported(fmt.Sprintf("added token %q with single_word, lstrip, rstrip or normalized", a.Content))
		}
		cfg.Specials = append(cfg.Specials, a.Content)
	}
	return nil
}

// tokenizerFile is what the loader takes from tokenizer.json.
type tokenizerFile struct {
	// Decoded one by one, up to lim.MaxAddedTokens.
	AddedTokens json.RawMessage
	Normalizer  *struct {
		Type      string `json:"type"`
		CleanText *bool  `json:"clean_text"`
	}
	PreTokenizer *struct {
		Type string `json:"type"`
	}
	Model *wordPieceModel
}

type wordPieceModel struct {
	Type                 string
	UNK                  string
	Prefix               string
	MaxInputCharsPerWord int
}

// decode sets f from tokenizer.json, as json.Unmarshal would with the
// members' names as tags, without decoding the vocabulary (which the
// loader reads from vocab.txt) member by member: that took most of the
// tokenizer's load time.
func (f *tokenizerFile) decode(data []byte) error {
	m, err := modelfile.Members(data, "added_tokens", "normalizer", "pre_tokenizer", "model",
		"model.type", "model.unk_token", "model.continuing_subword_prefix", "model.max_input_chars_per_word")
	if err != nil {
		return err
	}
	if err := unmarshalMembers(m[:3], &f.AddedTokens, &f.Normalizer, &f.PreTokenizer); err != nil {
		return err
	}
	if m[3] == nil || string(m[3]) == "null" {
		return nil
	}
	f.Model = new(wordPieceModel)
	if err := unmarshalMembers(m[4:], &f.Model.Type, &f.Model.UNK, &f.Model.Prefix, &f.Model.MaxInputCharsPerWord); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	return nil
}

// unmarshalMembers decodes each raw value that is present into its
// destination.
func unmarshalMembers(raw [][]byte, dsts ...any) error {
	for i, r := range raw {
		if r != nil {
			if err := json.Unmarshal(r, dsts[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// tokenContent returns a special token given either as a string or as a
// serialized AddedToken {"content": ...}.
func tokenContent(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var tok struct {
		Content string `json:"content"`
	}
	if json.Unmarshal(raw, &tok) == nil {
		return tok.Content
	}
	return ""
}

// readVocab reads vocab.txt, of at most MaxTokenizerBytes bytes and
// MaxVocab lines.
func (l *loader) readVocab(path string) ([]string, error) {
	b, err := l.read(path, l.lim.MaxTokenizerBytes)
	if err != nil {
		return nil, err
	}
	return parseVocab(string(b), l.lim.MaxVocab)
}

// readJSON decodes the file name, of at most max bytes, into v; a missing
// file leaves v as it is.
func (l *loader) readJSON(name string, max int64, v any) error {
	path := filepath.Join(l.dir, name)
	data, err := l.read(path, max)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		return fmt.Errorf("wordpiece: load %s: %w", path, err)
	}
	return nil
}
