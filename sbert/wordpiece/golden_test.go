package wordpiece_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
	"github.com/jobmatch/jobmatch/sbert/wordpiece"
)

// The goldens are written by testdata/gen_golden.py with the versions pinned
// in testdata/requirements.txt, from BertTokenizerFast called as
// sentence-transformers calls it.

type goldenCase struct {
	Kind    string  `json:"kind"`
	Text    string  `json:"text"`
	IDs     []int32 `json:"ids"`
	Mask    []int32 `json:"mask"`
	SlowIDs []int32 `json:"slow_ids"`
}

type goldenBatch struct {
	Idx     []int     `json:"idx"`
	IDs     [][]int32 `json:"ids"`
	Mask    [][]int32 `json:"mask"`
	TypeIDs [][]int32 `json:"type_ids"`
}

type encodeGolden struct {
	Meta struct {
		Transformers string `json:"transformers"`
		Tokenizers   string `json:"tokenizers"`
		MaxLength    int    `json:"max_length"`
	} `json:"meta"`
	Cases   []goldenCase  `json:"cases"`
	Batches []goldenBatch `json:"batches"`
}

var (
	goldenOnce sync.Once
	golden     encodeGolden
)

// readEncodeGolden reads testdata/encode.json.gz once for all tests.
func readEncodeGolden(t testing.TB) *encodeGolden {
	t.Helper()
	goldenOnce.Do(func() { sberttest.ReadGzipJSON(t, "testdata/encode.json.gz", &golden) })
	if len(golden.Cases) == 0 {
		t.Fatal("testdata/encode.json.gz: no cases")
	}
	return &golden
}

func loadModel(t testing.TB) *wordpiece.Tokenizer {
	t.Helper()
	tok, err := wordpiece.Load(sberttest.ModelDir(t))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// diff describes the first difference between two id sequences, with the
// tokens around it.
func diff(tok *wordpiece.Tokenizer, got, want []int32) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	show := func(ids []int32) string {
		lo, hi := max(0, i-3), min(len(ids), i+4)
		var b strings.Builder
		for j := lo; j < hi; j++ {
			if j == i {
				b.WriteString(">>")
			}
			fmt.Fprintf(&b, "%s(%d) ", tok.Token(ids[j]), ids[j])
		}
		return b.String()
	}
	return fmt.Sprintf("first difference at %d (len got %d, want %d):\n\tgot  %s\n\twant %s", i, len(got), len(want), show(got), show(want))
}

func TestGoldenEncode(t *testing.T) {
	tok := loadModel(t)
	g := readEncodeGolden(t)
	if tok.MaxLen() != g.Meta.MaxLength {
		t.Fatalf("MaxLen() = %d, golden max_length %d", tok.MaxLen(), g.Meta.MaxLength)
	}
	if len(g.Cases) < 10000 {
		t.Fatalf("golden has %d cases, want at least 10000", len(g.Cases))
	}
	type count struct{ n, ok, slow int }
	kinds := map[string]*count{}
	failed := 0
	var ids []int32
	for i, c := range g.Cases {
		k := kinds[c.Kind]
		if k == nil {
			k = &count{}
			kinds[c.Kind] = k
		}
		k.n++
		if c.SlowIDs != nil {
			k.slow++
		}
		ids = tok.AppendEncode(ids[:0], c.Text)
		if slices.Equal(ids, c.IDs) && !slices.ContainsFunc(c.Mask, func(m int32) bool { return m != 1 }) {
			k.ok++
			continue
		}
		if failed++; failed <= 10 {
			t.Errorf("case %d (%s) %q: %s", i, c.Kind, clip(c.Text), diff(tok, ids, c.IDs))
		}
	}
	total, ok := 0, 0
	for _, name := range slices.Sorted(maps.Keys(kinds)) {
		k := kinds[name]
		total += k.n
		ok += k.ok
		t.Logf("%-12s %5d/%5d exact (slow BertTokenizer differs from fast on %d)", name, k.ok, k.n, k.slow)
	}
	t.Logf("exact match: %d/%d texts (transformers %s, tokenizers %s)", ok, total, g.Meta.Transformers, g.Meta.Tokenizers)
}

func TestGoldenBatch(t *testing.T) {
	tok := loadModel(t)
	g := readEncodeGolden(t)
	var b wordpiece.Batch // reused across batches, as a caller would
	for n, gb := range g.Batches {
		texts := make([]string, len(gb.Idx))
		for i, idx := range gb.Idx {
			texts[i] = g.Cases[idx].Text
		}
		tok.EncodeBatchInto(&b, texts)
		if b.Size != len(gb.IDs) || b.SeqLen != len(gb.IDs[0]) {
			t.Fatalf("batch %d: shape %dx%d, want %dx%d", n, b.Size, b.SeqLen, len(gb.IDs), len(gb.IDs[0]))
		}
		for i := range gb.IDs {
			lo, hi := i*b.SeqLen, (i+1)*b.SeqLen
			if !slices.Equal(b.IDs[lo:hi], gb.IDs[i]) {
				t.Fatalf("batch %d row %d %q: ids %s", n, i, clip(texts[i]), diff(tok, b.IDs[lo:hi], gb.IDs[i]))
			}
			if !slices.Equal(b.Mask[lo:hi], gb.Mask[i]) {
				t.Fatalf("batch %d row %d: mask %v, want %v", n, i, b.Mask[lo:hi], gb.Mask[i])
			}
			if !slices.Equal(b.TypeIDs[lo:hi], gb.TypeIDs[i]) {
				t.Fatalf("batch %d row %d: type ids %v, want %v", n, i, b.TypeIDs[lo:hi], gb.TypeIDs[i])
			}
		}
	}
}

// TestGoldenTokenize checks that Tokenize gives the pieces of Encode for
// every golden text that was not truncated.
func TestGoldenTokenize(t *testing.T) {
	tok := loadModel(t)
	g := readEncodeGolden(t)
	for i, c := range g.Cases {
		if len(c.IDs) >= tok.MaxLen() {
			continue
		}
		got := tok.Tokenize(c.Text)
		want := make([]string, len(c.IDs)-2)
		for j, id := range c.IDs[1 : len(c.IDs)-1] {
			want[j] = tok.Token(id)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("case %d %q: Tokenize = %q, want %q", i, clip(c.Text), got, want)
		}
	}
}

func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

// TestVocabMatchesTokenizerJSON checks that vocab.txt, which Load reads, has
// the vocabulary of tokenizer.json, which BertTokenizerFast reads.
func TestVocabMatchesTokenizerJSON(t *testing.T) {
	dir := sberttest.ModelDir(t)
	tok := loadModel(t)
	data, err := os.ReadFile(filepath.Join(dir, "tokenizer.json"))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("no tokenizer.json")
	}
	if err != nil {
		t.Fatal(err)
	}
	var tj struct {
		Model struct {
			Vocab map[string]int32 `json:"vocab"`
		} `json:"model"`
	}
	if err := json.Unmarshal(data, &tj); err != nil {
		t.Fatal(err)
	}
	if len(tj.Model.Vocab) != tok.VocabSize() {
		t.Fatalf("tokenizer.json has %d tokens, vocab.txt %d", len(tj.Model.Vocab), tok.VocabSize())
	}
	for s, id := range tj.Model.Vocab {
		if got := tok.Token(id); got != s {
			t.Fatalf("id %d: vocab.txt has %q, tokenizer.json %q", id, got, s)
		}
	}
}

// TestConcurrentEncode encodes from several goroutines at once; each must
// get what a lone caller gets.
func TestConcurrentEncode(t *testing.T) {
	tok := loadModel(t)
	g := readEncodeGolden(t)
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ids []int32
			var b wordpiece.Batch
			for i := w; i < len(g.Cases); i += 4 {
				c := g.Cases[i]
				ids = tok.AppendEncode(ids[:0], c.Text)
				tok.EncodeBatchInto(&b, []string{c.Text, "x"})
				row, _ := b.Row(0)
				if !slices.Equal(ids, c.IDs) || !slices.Equal(row[:len(c.IDs)], c.IDs) {
					errs <- fmt.Sprintf("case %d %q: %s", i, clip(c.Text), diff(tok, ids, c.IDs))
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
