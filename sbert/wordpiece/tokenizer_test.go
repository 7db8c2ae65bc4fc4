package wordpiece_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/wordpiece"
)

// The tests in this file need no model: they use testdata/tiny, a
// 31-token vocabulary with trimmed copies of the model's configuration files
// (max_seq_length 8, max_input_chars_per_word 5). Their expectations follow
// from the WordPiece algorithm by hand.

func tinyVocab(t testing.TB) []string {
	t.Helper()
	f, err := os.Open("testdata/tiny/vocab.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := wordpiece.ReadVocab(f)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func tiny(t testing.TB, cfg wordpiece.Config) *wordpiece.Tokenizer {
	t.Helper()
	tok, err := wordpiece.New(tinyVocab(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestTokenize(t *testing.T) {
	yes, no := true, false
	bert := wordpiece.Config{LowerCase: true, TokenizeCJK: true}
	cased := wordpiece.Config{TokenizeCJK: true}
	stripOnly := wordpiece.Config{StripAccents: &yes, TokenizeCJK: true}
	lowerOnly := wordpiece.Config{LowerCase: true, StripAccents: &no, TokenizeCJK: true}
	noCJK := wordpiece.Config{LowerCase: true}
	for _, tc := range []struct {
		name string
		cfg  wordpiece.Config
		text string
		want string // space-separated pieces
	}{
		{"pieces", bert, "unaffable", "un ##aff ##able"},
		{"suffix", bert, "wanted running!", "want ##ed runn ##ing !"},
		{"lower", bert, "UNAFFABLE Data", "un ##aff ##able data"},
		{"accents", bert, "Café RÉSUMÉ", "cafe resume"},
		{"decomposed accents", bert, "cafe\u0301", "cafe"},
		{"dotted capital I", bert, "İstanbul", "i ##stan ##bul"},
		{"unmatchable tail", bert, "unwanted", "[UNK]"},
		{"hyphen", bert, "machine-learning", "machine - learning"},
		{"punctuation", bert, "data,science.", "data , science ."},
		{"cjk", bert, "東京", "東 京"},
		{"cjk glued", bert, "data東京data", "data 東 京 data"},
		{"no-break space", bert, "data\u00a0science", "data science"},
		{"ideographic space", bert, "data\u3000science", "data science"},
		{"zero width removed", bert, "da\u200bta sci\u00adence", "data science"},
		{"controls removed", bert, "da\x00ta\x07 \ufffdscience", "data science"},
		{"invalid UTF-8 removed", bert, "da\xffta", "data"},
		{"repeat", bert, "aaa", "a ##a ##a"},
		{"special in text", bert, "a[MASK]a", "a [MASK] a"},
		{"special not normalized", bert, "[mask]", "[UNK] [UNK] [UNK]"},
		{"special at ends", bert, "[CLS]data[SEP]", "[CLS] data [SEP]"},
		{"empty", bert, "", ""},
		{"only spaces", bert, " \t\n ", ""},
		{"cased", cased, "Data data", "[UNK] data"},
		{"cased keeps accents", cased, "café", "[UNK]"},
		{"strip without lower", stripOnly, "café Café", "cafe [UNK]"},
		{"lower without strip", lowerOnly, "CAFE CAFÉ", "cafe [UNK]"},
		{"lower without strip, dotted I", lowerOnly, "İ", "[UNK]"},
		{"no cjk split", noCJK, "東京", "[UNK]"},
		{"100 chars", bert, strings.Repeat("a", 100), "a" + strings.Repeat(" ##a", 99)},
		{"101 chars", bert, strings.Repeat("a", 101), "[UNK]"},
		{"101 chars before stripping", bert, strings.Repeat("a", 99) + "á", "a" + strings.Repeat(" ##a", 99)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(tiny(t, tc.cfg).Tokenize(tc.text), " ")
			if got != tc.want {
				t.Errorf("Tokenize(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestEncodeTruncates(t *testing.T) {
	for _, tc := range []struct {
		maxLen int
		text   string
		want   []int32
	}{
		{0, "data science machine learning", []int32{2, 23, 24, 25, 26, 3}},
		{6, "data science machine learning", []int32{2, 23, 24, 25, 26, 3}},
		{5, "data science machine learning", []int32{2, 23, 24, 25, 3}},
		{4, "unaffable", []int32{2, 5, 6, 3}},   // cut inside a word
		{4, "a [MASK] a", []int32{2, 21, 4, 3}}, // specials count
		{3, "unwanted data", []int32{2, 1, 3}},  // [UNK] is one piece
		{2, "data science", []int32{2, 3}},      // room for nothing
		{4, "", []int32{2, 3}},
	} {
		tok := tiny(t, wordpiece.Config{LowerCase: true, TokenizeCJK: true, MaxLen: tc.maxLen})
		if got := tok.Encode(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("MaxLen %d: Encode(%q) = %v, want %v", tc.maxLen, tc.text, got, tc.want)
		}
	}
}

// TestLongText covers texts longer than the parts that are normalized at
// once: words, marks and CJK padding must come out as if in one piece.
func TestLongText(t *testing.T) {
	tok := tiny(t, wordpiece.Config{LowerCase: true, TokenizeCJK: true})
	for _, tc := range []struct {
		name, text, want string
	}{
		{"many words", strings.Repeat("Data ", 500), strings.TrimSpace(strings.Repeat("data ", 500))},
		{"long word first", strings.Repeat("a", 1500) + "\tdata", "[UNK] data"},
		{"long word later", strings.Repeat("the ", 200) + strings.Repeat("x", 2000) + " a",
			strings.Repeat("the ", 200) + "[UNK] a"},
		{"marks", strings.Repeat("cafe\u0301 ", 300), strings.TrimSpace(strings.Repeat("cafe ", 300))},
		{"cjk", strings.Repeat("東京", 600), strings.TrimSpace(strings.Repeat("東 京 ", 600))},
		{"no-break spaces", strings.Repeat("data\u00a0", 400), strings.TrimSpace(strings.Repeat("data ", 400))},
	} {
		if got := strings.Join(tok.Tokenize(tc.text), " "); got != tc.want {
			t.Errorf("%s: Tokenize differs: got %d bytes, want %d", tc.name, len(got), len(tc.want))
		}
	}
}

func TestAppendEncode(t *testing.T) {
	tok := tiny(t, wordpiece.Config{LowerCase: true})
	dst := tok.AppendEncode([]int32{7}, "data")
	dst = tok.AppendEncode(dst, "the")
	if want := []int32{7, 2, 23, 3, 2, 16, 3}; !slices.Equal(dst, want) {
		t.Errorf("got %v, want %v", dst, want)
	}
}

func TestEncodeBatch(t *testing.T) {
	tok := tiny(t, wordpiece.Config{LowerCase: true, MaxLen: 4})
	b := tok.EncodeBatch([]string{"data", "machine learning the end", ""})
	want := wordpiece.Batch{
		IDs:     []int32{2, 23, 3, 0, 2, 25, 26, 3, 2, 3, 0, 0},
		Mask:    []int32{1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0},
		TypeIDs: make([]int32, 12),
		Size:    3,
		SeqLen:  4,
	}
	if !slices.Equal(b.IDs, want.IDs) || !slices.Equal(b.Mask, want.Mask) || !slices.Equal(b.TypeIDs, want.TypeIDs) ||
		b.Size != want.Size || b.SeqLen != want.SeqLen {
		t.Errorf("EncodeBatch = %+v, want %+v", b, want)
	}
	ids, mask := b.Row(1)
	if !slices.Equal(ids, []int32{2, 25, 26, 3}) || !slices.Equal(mask, []int32{1, 1, 1, 1}) {
		t.Errorf("Row(1) = %v, %v", ids, mask)
	}

	// Reuse shrinks the batch and clears stale values.
	b.TypeIDs[0] = 9
	tok.EncodeBatchInto(&b, []string{"the"})
	if !slices.Equal(b.IDs, []int32{2, 16, 3}) || !slices.Equal(b.TypeIDs, []int32{0, 0, 0}) || b.Size != 1 || b.SeqLen != 3 {
		t.Errorf("EncodeBatchInto reuse = %+v", b)
	}
	tok.EncodeBatchInto(&b, nil)
	if b.Size != 0 || b.SeqLen != 0 || len(b.IDs) != 0 {
		t.Errorf("empty batch = %+v", b)
	}
}

func TestNewErrors(t *testing.T) {
	v := tinyVocab(t)
	for _, tc := range []struct {
		name  string
		vocab []string
		cfg   wordpiece.Config
		is    error
	}{
		{"empty vocabulary", nil, wordpiece.Config{}, nil},
		{"MaxLen 1", v, wordpiece.Config{MaxLen: 1}, nil},
		{"negative MaxLen", v, wordpiece.Config{MaxLen: -1}, nil},
		{"negative MaxWordChars", v, wordpiece.Config{MaxWordChars: -1}, nil},
		{"no [UNK]", v[2:], wordpiece.Config{}, wordpiece.ErrMissingToken},
		{"unknown CLS", v, wordpiece.Config{CLS: "<s>"}, wordpiece.ErrMissingToken},
		{"unknown special", v, wordpiece.Config{Specials: []string{"<mask>"}}, wordpiece.ErrMissingToken},
		{"empty special", v, wordpiece.Config{Specials: []string{""}}, nil},
	} {
		_, err := wordpiece.New(tc.vocab, tc.cfg)
		if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%s: err = %v, want an error (%v)", tc.name, err, tc.is)
		}
	}
}

func TestSpecials(t *testing.T) {
	v := tinyVocab(t)
	none, err := wordpiece.New(v, wordpiece.Config{LowerCase: true, Specials: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(none.Tokenize("[MASK]"), " "); got != "[UNK] [UNK] [UNK]" {
		t.Errorf("no specials: Tokenize([MASK]) = %q", got)
	}
	// Of two specials at the same place the longest wins.
	v = append(v, "[MASK]X")
	long, err := wordpiece.New(v, wordpiece.Config{Specials: []string{"[MASK]", "[MASK]X"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(long.Tokenize("a[MASK]Xa[MASK]"), " "); got != "a [MASK]X a [MASK]" {
		t.Errorf("Tokenize = %q", got)
	}
}

func TestLoad(t *testing.T) {
	tok, err := wordpiece.Load("testdata/tiny")
	if err != nil {
		t.Fatal(err)
	}
	if tok.MaxLen() != 8 {
		t.Errorf("MaxLen() = %d, want 8 from sentence_bert_config.json", tok.MaxLen())
	}
	if tok.VocabSize() != 31 {
		t.Errorf("VocabSize() = %d, want 31", tok.VocabSize())
	}
	if tok.PadID() != 0 {
		t.Errorf("PadID() = %d, want 0", tok.PadID())
	}
	for text, want := range map[string]string{
		"Aaaaa":    "a ##a ##a ##a ##a", // max_input_chars_per_word 5
		"aaaaaa":   "[UNK]",
		"Café 東京":  "cafe 東 京",
		"x[MASK]":  "[UNK] [MASK]",
		"the\x00a": "the ##a",
	} {
		if got := strings.Join(tok.Tokenize(text), " "); got != want {
			t.Errorf("Tokenize(%q) = %q, want %q", text, got, want)
		}
	}
}

// writeModel copies testdata/tiny into a temporary directory, replacing or
// (with an empty value) removing files.
func writeModel(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	names := []string{"vocab.txt", "tokenizer_config.json", "tokenizer.json", "sentence_bert_config.json"}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata/tiny", name))
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := files[name]; ok {
			if s == "" {
				continue
			}
			data = []byte(s)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadOptions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		files  map[string]string
		text   string
		want   string
		maxLen int
	}{
		{"only vocab.txt", map[string]string{"tokenizer_config.json": "", "tokenizer.json": "", "sentence_bert_config.json": ""},
			"Café 東京 aaaaaa", "cafe 東 京 a ##a ##a ##a ##a ##a", 0},
		{"model_max_length without sentence_bert_config", map[string]string{"sentence_bert_config.json": ""},
			"data", "data", 512},
		{"huge model_max_length means none", map[string]string{"sentence_bert_config.json": "", "tokenizer_config.json": `{"model_max_length": 1000000000000000019884624838656}`},
			"data", "data", 0},
		{"tokenizer_config overrides tokenizer.json", map[string]string{"tokenizer_config.json": `{"do_lower_case": false}`},
			"Data data", "[UNK] data", 8},
		{"strip_accents true without lower case", map[string]string{"tokenizer_config.json": `{"do_lower_case": false, "strip_accents": true}`},
			"café Café", "cafe [UNK]", 8},
		{"no cjk", map[string]string{"tokenizer_config.json": `{"tokenize_chinese_chars": false}`},
			"東京", "[UNK]", 8},
		{"clean_text false", map[string]string{"tokenizer.json": `{"normalizer": {"type": "BertNormalizer", "clean_text": false}}`},
			"da\u200bta", "[UNK]", 8},
		{"special tokens as objects", map[string]string{"tokenizer_config.json": `{"unk_token": {"content": "[MASK]", "__type": "AddedToken"}}`, "tokenizer.json": ""},
			"xyz", "[MASK]", 8},
		{"special_tokens_map overrides tokenizer_config", map[string]string{"special_tokens_map.json": `{"unk_token": "the"}`, "tokenizer.json": ""},
			"xyz", "the", 8},
		{"tokenizer.json's unk_token wins", map[string]string{"special_tokens_map.json": `{"unk_token": "the"}`},
			"xyz", "[UNK]", 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeModel(t, tc.files)
			if s, ok := tc.files["special_tokens_map.json"]; ok {
				if err := os.WriteFile(filepath.Join(dir, "special_tokens_map.json"), []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tok, err := wordpiece.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(tok.Tokenize(tc.text), " "); got != tc.want {
				t.Errorf("Tokenize(%q) = %q, want %q", tc.text, got, tc.want)
			}
			if tok.MaxLen() != tc.maxLen {
				t.Errorf("MaxLen() = %d, want %d", tok.MaxLen(), tc.maxLen)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		is    error
	}{
		{"no vocab.txt", map[string]string{"vocab.txt": ""}, os.ErrNotExist},
		{"bad json", map[string]string{"tokenizer_config.json": "{"}, nil},
		{"other normalizer", map[string]string{"tokenizer.json": `{"normalizer": {"type": "Sequence"}}`}, wordpiece.ErrUnsupported},
		{"other pre-tokenizer", map[string]string{"tokenizer.json": `{"pre_tokenizer": {"type": "Whitespace"}}`}, wordpiece.ErrUnsupported},
		{"other model", map[string]string{"tokenizer.json": `{"model": {"type": "BPE"}}`}, wordpiece.ErrUnsupported},
		{"normalized added token", map[string]string{"tokenizer.json": `{"added_tokens": [{"content": "[MASK]", "normalized": true}]}`}, wordpiece.ErrUnsupported},
		{"lstrip added token", map[string]string{"tokenizer.json": `{"added_tokens": [{"content": "[MASK]", "lstrip": true}]}`}, wordpiece.ErrUnsupported},
		{"words of a billion characters", map[string]string{"tokenizer.json": `{"model": {"type": "WordPiece", "max_input_chars_per_word": 1000000000}}`}, wordpiece.ErrUnsupported},
		{"sentence-transformers lower case", map[string]string{"sentence_bert_config.json": `{"do_lower_case": true}`}, wordpiece.ErrUnsupported},
		{"missing unk", map[string]string{"tokenizer_config.json": `{"unk_token": "<unk>"}`, "tokenizer.json": ""}, wordpiece.ErrMissingToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := wordpiece.Load(writeModel(t, tc.files))
			if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Errorf("err = %v, want an error (%v)", err, tc.is)
			}
		})
	}
}

// TestLoadLimits crosses each limit of LoadLimits.
func TestLoadLimits(t *testing.T) {
	vocab, err := os.ReadFile("testdata/tiny/vocab.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Count(vocab, []byte("\n"))
	for _, tc := range []struct {
		name  string
		files map[string]string
		lim   wordpiece.Limits
		want  error
	}{
		{"defaults", nil, wordpiece.Limits{}, nil},
		{"vocab.txt at MaxVocab", nil, wordpiece.Limits{MaxVocab: lines}, nil},
		{"vocab.txt beyond MaxVocab", nil, wordpiece.Limits{MaxVocab: lines - 1}, wordpiece.ErrTooLarge},
		{"vocab.txt beyond MaxTokenizerBytes", nil, wordpiece.Limits{MaxTokenizerBytes: int64(len(vocab)) - 1}, wordpiece.ErrTooLarge},
		{"tokenizer.json beyond MaxTokenizerBytes", map[string]string{"tokenizer.json": `{"x":"` + strings.Repeat(" ", len(vocab)) + `"}`},
			wordpiece.Limits{MaxTokenizerBytes: int64(len(vocab))}, wordpiece.ErrTooLarge},
		{"tokenizer_config.json beyond MaxConfigBytes", map[string]string{"tokenizer_config.json": `{"x":"` + strings.Repeat(" ", 100) + `"}`},
			wordpiece.Limits{MaxConfigBytes: 100}, wordpiece.ErrTooLarge},
		{"sentence_bert_config.json beyond MaxConfigBytes", map[string]string{"sentence_bert_config.json": `{"x":"` + strings.Repeat(" ", 100) + `"}`},
			wordpiece.Limits{MaxConfigBytes: 100}, wordpiece.ErrTooLarge},
		{"added tokens beyond MaxAddedTokens", map[string]string{"tokenizer.json": `{"added_tokens": [{"content": "[CLS]"}, {"content": "[SEP]"}]}`},
			wordpiece.Limits{MaxAddedTokens: 1}, wordpiece.ErrTooLarge},
		{"a million empty added tokens", map[string]string{"tokenizer.json": `{"added_tokens": [` + strings.Repeat(`{},`, 1<<20) + `{}]}`},
			wordpiece.Limits{}, wordpiece.ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := wordpiece.LoadLimits(writeModel(t, tc.files), tc.lim)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestReadVocab checks line splitting against bufio.ScanLines, which
// ReadVocab used, with one more "\r" dropped.
func TestReadVocab(t *testing.T) {
	for _, s := range []string{"", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\r\r\n\n\nb", "\r", "a\n\r", "x\ry\n"} {
		var want []string
		sc := bufio.NewScanner(strings.NewReader(s))
		for sc.Scan() {
			want = append(want, strings.TrimSuffix(sc.Text(), "\r"))
		}
		got, err := wordpiece.ReadVocab(strings.NewReader(s))
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("ReadVocab(%q) = %q, %v; want %q", s, got, err, want)
		}
	}
}
