package yake

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// corpusFile is testdata/generated/corpus_v073.json.gz (see the README
// there): yake 0.7.3's keywords and highlights on 374 documents with 7
// option sets.
type corpusFile struct {
	Docs []struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	} `json:"docs"`
	Cases []struct {
		ID        string          `json:"id"`
		Doc       int             `json:"doc"`
		Params    json.RawMessage `json:"params"`
		Expected  [][2]string     `json:"expected"`
		Highlight []struct {
			MaxNGramSize int    `json:"max_ngram_size"`
			Text         string `json:"text"`
		} `json:"highlight"`
	} `json:"cases"`
}

// TestCorpus requires identical keywords, bit-identical scores and
// identical highlights for every case of the generated corpus.
func TestCorpus(t *testing.T) {
	var golden corpusFile
	sberttest.ReadGzipJSON(t, "testdata/generated/corpus_v073.json.gz", &golden)
	if len(golden.Cases) < 2000 {
		t.Fatalf("only %d cases", len(golden.Cases))
	}
	ctx := context.Background()
	failed, highlights := 0, 0
	for _, c := range golden.Cases {
		err := func() error {
			var p pyParams
			if err := json.Unmarshal(c.Params, &p); err != nil {
				return err
			}
			e, err := New(p.options("seqm"))
			if err != nil {
				return err
			}
			want := make([]pyKeyword, len(c.Expected))
			for i, kv := range c.Expected {
				s, err := strconv.ParseFloat(kv[1], 64)
				if err != nil {
					return err
				}
				want[i] = pyKeyword{Text: kv[0], Score: s}
			}
			text := golden.Docs[c.Doc].Text
			got, err := e.Extract(ctx, text)
			if err != nil {
				return err
			}
			if err := compareKeywords(got, want); err != nil {
				return err
			}
			for _, h := range c.Highlight {
				highlights++
				hl := Highlighter{MaxNGram: h.MaxNGramSize, Pre: DefaultHighlightPre, Post: DefaultHighlightPost}
				if out := hl.Highlight(text, got); out != h.Text {
					return fmt.Errorf("highlight n=%d:\n got %s\nwant %s", h.MaxNGramSize, firstDiff(out, h.Text), firstDiff(h.Text, out))
				}
			}
			return nil
		}()
		if err != nil {
			failed++
			t.Errorf("%s: %v", c.ID, err)
		}
	}
	if highlights == 0 {
		t.Error("no highlight cases")
	}
	t.Logf("%d/%d cases differ (%d highlights checked)", failed, len(golden.Cases), highlights)
}
