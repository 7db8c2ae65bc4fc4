package yake

import (
	"encoding/json"
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

// TestHighlightUpstream checks the highlight expectations of the upstream
// suites.
func TestHighlightUpstream(t *testing.T) {
	n := 0
	for _, dir := range []string{"v073", "v060"} {
		for _, c := range loadUpstream(t, dir) {
			if c.ExpectedHighlight == nil {
				continue
			}
			n++
			kws := make([]Keyword, len(c.Expected))
			for i, k := range c.Expected {
				kws[i] = Keyword{Text: k.Text, Score: k.Score}
			}
			h := Highlighter{MaxNGram: c.HighlightParams.MaxNGramSize, Pre: DefaultHighlightPre, Post: DefaultHighlightPost}
			if got := h.Highlight(*c.Text, kws); got != *c.ExpectedHighlight {
				t.Errorf("%s/%s:\n got %s\nwant %s", dir, c.Name, firstDiff(got, *c.ExpectedHighlight), firstDiff(*c.ExpectedHighlight, got))
			}
		}
	}
	if n < 9 {
		t.Fatalf("only %d highlight cases", n)
	}
}

// firstDiff returns a of a around its first difference from b.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo, hi := max(0, i-60), min(len(a), i+60)
	return "…" + a[lo:hi] + "…"
}

// TestHighlightAgainstYake compares with TextHighlighter on the inputs of
// testdata/oracle/gen_highlight.py.
func TestHighlightAgainstYake(t *testing.T) {
	var golden struct {
		Cases []highlightCase `json:"cases"`
	}
	sberttest.ReadGzipJSON(t, "testdata/oracle/highlight.json.gz", &golden)
	if len(golden.Cases) < 1000 {
		t.Fatalf("only %d cases", len(golden.Cases))
	}
	fails := 0
	for i, c := range golden.Cases {
		kws := make([]Keyword, len(c.Keywords))
		for j, k := range c.Keywords {
			kws[j] = Keyword{Text: k}
		}
		h := Highlighter{MaxNGram: c.N, Pre: DefaultHighlightPre, Post: DefaultHighlightPost}
		if got := h.Highlight(c.Text, kws); got != c.Want {
			fails++
			t.Errorf("case %d (n=%d, keywords %q):\n got %s\nwant %s", i, c.N, c.Keywords, firstDiff(got, c.Want), firstDiff(c.Want, got))
		}
	}
	t.Logf("%d/%d differ", fails, len(golden.Cases))
}

// highlightCase is [max_ngram_size, text, keywords, expected].
type highlightCase struct {
	N        int
	Text     string
	Keywords []string
	Want     string
}

func (c *highlightCase) UnmarshalJSON(b []byte) error {
	return json.Unmarshal(b, &[]any{&c.N, &c.Text, &c.Keywords, &c.Want})
}
