package yake

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// pyParams are KeywordExtractor keyword arguments as the goldens record them.
type pyParams struct {
	Lan        *string  `json:"lan"`
	N          *int     `json:"n"`
	Top        *int     `json:"top"`
	DedupLim   *float64 `json:"dedup_lim"`
	DedupFunc  *string  `json:"dedup_func"`
	WindowSize *int     `json:"window_size"`
	Stopwords  []string `json:"stopwords"`
}

// options returns the Options matching p, filling in yake's defaults.
func (p pyParams) options(dedupFunc string) Options {
	o := DefaultOptions()
	o.DedupFunc = dedupFunc
	if p.Lan != nil {
		o.Language = *p.Lan
	}
	if p.N != nil {
		o.MaxNGram = *p.N
	}
	if p.Top != nil {
		o.Top = *p.Top
	}
	if p.DedupLim != nil {
		o.DedupThreshold = *p.DedupLim
	}
	if p.DedupFunc != nil {
		o.DedupFunc = *p.DedupFunc
	}
	if p.WindowSize != nil {
		o.WindowSize = *p.WindowSize
	}
	o.Stopwords = p.Stopwords
	return o
}

// pyKeyword is a (keyword, score) pair; the score is kept as its literal
// so that it is compared bit for bit.
type pyKeyword struct {
	Text  string
	Score float64
}

func (k *pyKeyword) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || len(raw) != 2 {
		return fmt.Errorf("keyword %s: want [text, score]", b)
	}
	if err := json.Unmarshal(raw[0], &k.Text); err != nil {
		return err
	}
	lit := string(raw[1])
	if len(lit) > 0 && lit[0] == '"' { // a repr() string
		if err := json.Unmarshal(raw[1], &lit); err != nil {
			return err
		}
	}
	s, err := strconv.ParseFloat(lit, 64)
	k.Score = s
	return err
}

// compareKeywords reports the first difference between got and want.
func compareKeywords(got []Keyword, want []pyKeyword) error {
	for i := range min(len(got), len(want)) {
		if got[i].Text != want[i].Text || got[i].Score != want[i].Score {
			return fmt.Errorf("keyword %d: got (%q, %v), want (%q, %v)", i, got[i].Text, got[i].Score, want[i].Text, want[i].Score)
		}
	}
	if len(got) != len(want) {
		return fmt.Errorf("got %d keywords, want %d (first extra: %v)", len(got), len(want), extra(got, want))
	}
	return nil
}

func extra(got []Keyword, want []pyKeyword) any {
	if len(got) > len(want) {
		return got[len(want)]
	}
	return want[len(got)]
}

// upstreamCase is one test of the upstream suites (testdata/upstream/v0*).
type upstreamCase struct {
	Name            string      `json:"name"`
	Params          pyParams    `json:"params"`
	EffectiveParams *pyParams   `json:"effective_params"`
	Text            *string     `json:"text"`
	Inputs          []*string   `json:"inputs"`
	Expected        []pyKeyword `json:"expected"`
	ExpectedLen     []int       `json:"expected_len"`
	HighlightParams *struct {
		MaxNGramSize int `json:"max_ngram_size"`
	} `json:"highlight_params"`
	ExpectedHighlight *string `json:"expected_highlight"`
}

func loadUpstream(t *testing.T, dir string) []upstreamCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata/upstream", dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no goldens in %s: %v", dir, err)
	}
	var cases []upstreamCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c upstreamCase
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		cases = append(cases, c)
	}
	return cases
}

// TestUpstream runs the upstream test suites: v073 with yake 0.7.3's
// defaults, v060 with "levs", which reproduces 0.6.0's default output.
func TestUpstream(t *testing.T) {
	for _, suite := range []struct{ dir, dedup string }{{"v073", "seqm"}, {"v060", "levs"}} {
		for _, c := range loadUpstream(t, suite.dir) {
			t.Run(suite.dir+"/"+c.Name, func(t *testing.T) {
				p := c.Params
				if c.EffectiveParams != nil {
					p = *c.EffectiveParams
				}
				e, err := New(p.options(suite.dedup))
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				if c.Text == nil {
					for i, in := range c.Inputs {
						text := ""
						if in != nil {
							text = *in
						}
						got, err := e.Extract(ctx, text)
						if err != nil {
							t.Fatal(err)
						}
						if c.ExpectedLen != nil && len(got) != c.ExpectedLen[i] || c.ExpectedLen == nil && len(got) != len(c.Expected) {
							t.Errorf("input %q: %d keywords %v", text, len(got), got)
						}
					}
					return
				}
				got, err := e.Extract(ctx, *c.Text)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case c.Expected != nil:
					if err := compareKeywords(got, c.Expected); err != nil {
						t.Error(err)
					}
				case c.ExpectedLen != nil:
					if len(got) != c.ExpectedLen[0] {
						t.Errorf("%d keywords, want %d", len(got), c.ExpectedLen[0])
					}
				default:
					t.Fatal("case has no expectation")
				}
			})
		}
	}
}

// supplementaryFile holds reference outputs for edge cases
// (testdata/upstream/generated).
type supplementaryFile struct {
	Provenance string `json:"provenance"`
	Cases      []struct {
		Name   string      `json:"name"`
		Params pyParams    `json:"params"`
		Text   *string     `json:"text"`
		Result []pyKeyword `json:"result_repr"`
	} `json:"cases"`
}

// TestSupplementary runs the generated edge cases; the v060 file is run
// with "levs". Cases whose text file is not shipped are skipped.
func TestSupplementary(t *testing.T) {
	for _, suite := range []struct{ file, dedup string }{
		{"supplementary_v073.json", "seqm"},
		{"supplementary_v060.json", "levs"},
	} {
		b, err := os.ReadFile("testdata/upstream/generated/" + suite.file)
		if err != nil {
			t.Fatal(err)
		}
		var f supplementaryFile
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		ran := 0
		for _, c := range f.Cases {
			if c.Text == nil {
				continue
			}
			ran++
			t.Run(suite.file+"/"+c.Name, func(t *testing.T) {
				e, err := New(c.Params.options(suite.dedup))
				if err != nil {
					t.Fatal(err)
				}
				got, err := e.Extract(context.Background(), *c.Text)
				if err != nil {
					t.Fatal(err)
				}
				if err := compareKeywords(got, c.Result); err != nil {
					t.Error(err)
				}
			})
		}
		if ran < 50 {
			t.Errorf("%s: only %d cases with text", suite.file, ran)
		}
	}
}
