package wordpiece

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// unicodeGolden is testdata/unicode.json.gz, written by gen_golden.py from
// tokenizers' BertNormalizer and BertPreTokenizer applied to every code
// point on its own.
type unicodeGolden struct {
	Options struct {
		CleanText          bool  `json:"clean_text"`
		HandleChineseChars bool  `json:"handle_chinese_chars"`
		StripAccents       *bool `json:"strip_accents"`
		Lowercase          bool  `json:"lowercase"`
	} `json:"model_options"`
	// Runs of code points [first, last] and what each becomes, "{}"
	// standing for the code point; code points in no run stay as they are.
	Model, Lower, Strip, Plain [][3]any
	PreSpace                   []rune `json:"pre_space"`
	PrePunct                   []rune `json:"pre_punct"`
	// Texts and what the model's normalizer makes of them.
	Texts [][2]string `json:"texts"`
}

func readUnicodeGolden(t *testing.T) *unicodeGolden {
	t.Helper()
	var g unicodeGolden
	sberttest.ReadGzipJSON(t, "testdata/unicode.json.gz", &g)
	return &g
}

// run is a golden run: code points lo to hi become out, "{}" standing for
// the code point.
type run struct {
	lo, hi rune
	out    string
}

func parseRuns(t *testing.T, raw [][3]any) []run {
	t.Helper()
	runs := make([]run, len(raw))
	for i, r := range raw {
		lo, ok1 := r[0].(float64)
		hi, ok2 := r[1].(float64)
		out, ok3 := r[2].(string)
		if !ok1 || !ok2 || !ok3 || (i > 0 && rune(lo) <= runs[i-1].hi) {
			t.Fatalf("bad or unordered run %v", r)
		}
		runs[i] = run{rune(lo), rune(hi), out}
	}
	return runs
}

func modelConfig(g *unicodeGolden) Config {
	o := g.Options
	return Config{LowerCase: o.Lowercase, StripAccents: o.StripAccents, TokenizeCJK: o.HandleChineseChars, NoCleanText: !o.CleanText}
}

// TestNormalizeTexts checks the normalizer on whole texts, where combining
// marks from several code points meet and NFD orders them.
func TestNormalizeTexts(t *testing.T) {
	g := readUnicodeGolden(t)
	if len(g.Texts) < 1000 {
		t.Fatalf("golden has %d texts", len(g.Texts))
	}
	tok, err := New([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]"}, modelConfig(g))
	if err != nil {
		t.Fatal(err)
	}
	sc := new(scratch)
	var buf []byte
	for i, tc := range g.Texts {
		buf = tok.normalize(buf[:0], tc[0], sc)
		if string(buf) != tc[1] {
			t.Errorf("text %d %+q:\n\tgot  %+q\n\twant %+q", i, tc[0], buf, tc[1])
		}
	}
}

// TestNormalizeEveryCodePoint compares the normalizer with tokenizers' on
// every Unicode scalar value, for the model's options and for others, so
// that every table (Unicode 8.0 categories of the Rust crate, x/text's NFD,
// Go's lower-case mapping, the CJK ranges) is checked in full.
func TestNormalizeEveryCodePoint(t *testing.T) {
	g := readUnicodeGolden(t)
	yes, no := true, false
	o := g.Options
	for _, v := range []struct {
		name string
		runs [][3]any
		cfg  Config
	}{
		{"model", g.Model, modelConfig(g)},
		{"lower", g.Lower, Config{LowerCase: true, StripAccents: &no, TokenizeCJK: o.HandleChineseChars, NoCleanText: !o.CleanText}},
		{"strip", g.Strip, Config{StripAccents: &yes, TokenizeCJK: o.HandleChineseChars, NoCleanText: !o.CleanText}},
		{"plain", g.Plain, Config{NoCleanText: true}},
	} {
		t.Run(v.name, func(t *testing.T) {
			runs := parseRuns(t, v.runs)
			tok, err := New([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]"}, v.cfg)
			if err != nil {
				t.Fatal(err)
			}
			sc := new(scratch)
			var buf []byte
			bad := 0
			for r := rune(0); r <= utf8.MaxRune; r++ {
				if r >= 0xD800 && r <= 0xDFFF {
					continue
				}
				for len(runs) > 0 && runs[0].hi < r {
					runs = runs[1:]
				}
				w := string(r)
				if len(runs) > 0 && runs[0].lo <= r {
					w = strings.ReplaceAll(runs[0].out, "{}", w)
				}
				buf = tok.normalize(buf[:0], string(r), sc)
				if string(buf) != w {
					if bad++; bad <= 20 {
						t.Errorf("U+%04X %q: got %+q, want %+q", r, string(r), buf, w)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d code points differ", bad)
			}
		})
	}
}

// TestPreTokenizeEveryCodePoint checks which code points split words.
func TestPreTokenizeEveryCodePoint(t *testing.T) {
	g := readUnicodeGolden(t)
	space, punct := map[rune]bool{}, map[rune]bool{}
	for _, r := range g.PreSpace {
		space[r] = true
	}
	for _, r := range g.PrePunct {
		punct[r] = true
	}
	if len(space) == 0 || len(punct) == 0 {
		t.Fatal("golden has no white space or no punctuation")
	}
	bad := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		if isWhitespace(r) != space[r] || isPunct(r) != punct[r] {
			if bad++; bad <= 20 {
				t.Errorf("U+%04X: white space %v, punctuation %v; want %v, %v", r, isWhitespace(r), isPunct(r), space[r], punct[r])
			}
		}
	}
}
